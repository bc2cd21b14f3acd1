#include "drill/fault_menu.h"

#include <gtest/gtest.h>

#include <set>

namespace haetae::drill {
namespace {

TEST(FaultMenuTest, EveryNameParsesBackToItsFault) {
  for (fault f : fault_menu) {
    auto parsed = parse_fault(fault_name(f));
    ASSERT_TRUE(parsed) << fault_name(f);
    EXPECT_EQ(*parsed, f);
  }
  EXPECT_EQ(fault_name(fault::cut_standby), "cut-standby");
  EXPECT_EQ(fault_name(fault::burn_twice), "burn-twice");
}

TEST(FaultMenuTest, UnknownNameIsRefusedWithTheMenu) {
  for (const char* bad : {"", "Burn", "cut_standby", "pause", "burn "}) {
    auto parsed = parse_fault(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.code(), errc::invalid_field);
    EXPECT_NE(parsed.err().text().find("cut-standby"), std::string_view::npos);
  }
}

TEST(FaultMenuTest, NamesListTheWholeMenu) {
  EXPECT_EQ(fault_names(), "burn, freeze, cut, cut-standby, burn-twice");
}

TEST(FaultMenuTest, PickIsTheSameForTheSameSeedAndRound) {
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 1ULL << 40}) {
    for (int round = 1; round <= 20; ++round) {
      EXPECT_EQ(pick_fault(seed, round), pick_fault(seed, round));
    }
  }
}

TEST(FaultMenuTest, PicksCoverTheMenuAndDependOnTheSeed) {
  std::set<fault> seen;
  int differ = 0;
  for (int round = 1; round <= 50; ++round) {
    seen.insert(pick_fault(7, round));
    differ += pick_fault(7, round) != pick_fault(8, round) ? 1 : 0;
  }
  EXPECT_EQ(seen.size(), fault_menu.size());
  EXPECT_GT(differ, 0);
}

TEST(FaultMenuTest, ChosenFaultRunsInEveryRound) {
  for (int round = 1; round <= 5; ++round) {
    EXPECT_EQ(fault_for_round(fault::cut, false, 3, round), fault::cut);
    EXPECT_EQ(fault_for_round(fault::cut, true, 3, round), fault::cut);
  }
}

TEST(FaultMenuTest, ShortDrillBurnsThenFreezes) {
  EXPECT_EQ(fault_for_round(std::nullopt, true, 3, 1), fault::burn);
  EXPECT_EQ(fault_for_round(std::nullopt, true, 3, 2), fault::freeze);
  EXPECT_EQ(fault_for_round(std::nullopt, true, 3, 3), fault::burn);
}

TEST(FaultMenuTest, WithoutAChoiceRoundsArePickedFromTheSeed) {
  for (int round = 1; round <= 10; ++round) {
    EXPECT_EQ(fault_for_round(std::nullopt, false, 9, round), pick_fault(9, round));
  }
}

}  // namespace
}  // namespace haetae::drill
