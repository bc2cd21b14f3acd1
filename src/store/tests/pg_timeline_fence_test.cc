// The writer's refusal of a primary on an older timeline (issue 8, defence in depth).
#include "store/postgres/pg_timeline_fence.h"

#include <gtest/gtest.h>

namespace haetae::store::pg {
namespace {

TEST(TimelineFenceTest, ParsesTheTimelineOfAWalFileName) {
  EXPECT_EQ(parse_timeline("00000001"), 1u);
  EXPECT_EQ(parse_timeline("0000001A"), 26u);
  EXPECT_EQ(parse_timeline("0000001a"), 26u);
  EXPECT_EQ(parse_timeline("FFFFFFFF"), 0xFFFFFFFFu);
}

TEST(TimelineFenceTest, RejectsMalformedTimelines) {
  EXPECT_FALSE(parse_timeline(""));
  EXPECT_FALSE(parse_timeline("0000001"));
  EXPECT_FALSE(parse_timeline("000000010"));
  EXPECT_FALSE(parse_timeline("0000000G"));
  EXPECT_FALSE(parse_timeline("00000000"));
}

TEST(TimelineFenceTest, AFreshNodeAcceptsAnyTimeline) {
  timeline_fence f;
  EXPECT_EQ(f.refuse(1), "");
  EXPECT_EQ(f.highest(), 0u);
}

TEST(TimelineFenceTest, AnOlderTimelineIsRefusedOnceANewerOneCommitted) {
  timeline_fence f;
  f.committed_through(3);
  EXPECT_EQ(f.refuse(3), "");
  EXPECT_EQ(f.refuse(4), "");  // a promotion since: the new primary
  const std::string why = f.refuse(2);
  EXPECT_NE(why.find("timeline 2"), std::string::npos) << why;
  EXPECT_NE(why.find("timeline 3"), std::string::npos) << why;
}

TEST(TimelineFenceTest, TheHighestTimelineNeverGoesBack) {
  timeline_fence f;
  f.committed_through(5);
  f.committed_through(4);
  EXPECT_EQ(f.highest(), 5u);
  EXPECT_NE(f.refuse(4), "");
}

}  // namespace
}  // namespace haetae::store::pg
