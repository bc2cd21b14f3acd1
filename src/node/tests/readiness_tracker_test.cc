#include "node/readiness_tracker.h"

#include <gtest/gtest.h>

namespace haetae::node {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

store::store_health writable() { return {}; }
store::store_health stalled() {
  store::store_health h;
  h.writes = false;
  h.stalled = true;
  h.not_ready = "a write has not returned";
  return h;
}
store::store_health unreadable() {
  store::store_health h;
  h.reads = false;
  h.not_ready = "reads fail";
  return h;
}

class ReadinessTrackerTest : public ::testing::Test {
 protected:
  readiness_tracker tracker{seconds(15), seconds(2)};
  readiness_tracker::time_point t0 = std::chrono::steady_clock::time_point{} + seconds(100);
};

TEST_F(ReadinessTrackerTest, AWritableReadableStoreIsReadyAndKeepsItsClients) {
  auto r = tracker.observe(writable(), t0);
  EXPECT_TRUE(r.reads);
  EXPECT_TRUE(r.writes);
  EXPECT_TRUE(r.keeps_clients);
  EXPECT_TRUE(r.reason.empty());
}

TEST_F(ReadinessTrackerTest, AStallShorterThanAFailoverKeepsClientsButSaysWritesAreRefused) {
  tracker.observe(writable(), t0);
  auto r = tracker.observe(stalled(), t0 + seconds(1));
  EXPECT_TRUE(r.reads);
  EXPECT_FALSE(r.writes);
  EXPECT_TRUE(r.keeps_clients);
  EXPECT_EQ(r.reason, "a write has not returned");
  r = tracker.observe(stalled(), t0 + seconds(1) + milliseconds(14'999));
  EXPECT_TRUE(r.keeps_clients);
}

TEST_F(ReadinessTrackerTest, UnableToWriteForLongerThanAFailoverLetsClientsGo) {
  tracker.observe(writable(), t0);
  tracker.observe(stalled(), t0 + seconds(1));
  auto r = tracker.observe(stalled(), t0 + seconds(16));
  EXPECT_TRUE(r.reads);
  EXPECT_FALSE(r.keeps_clients);
  EXPECT_NE(r.reason.find("clients go elsewhere"), std::string::npos) << r.reason;
}

TEST_F(ReadinessTrackerTest, WritingAgainStartsTheCountAfresh) {
  tracker.observe(writable(), t0);
  tracker.observe(stalled(), t0 + seconds(1));
  EXPECT_TRUE(tracker.observe(writable(), t0 + seconds(10)).keeps_clients);
  auto r = tracker.observe(stalled(), t0 + seconds(20));
  EXPECT_TRUE(r.keeps_clients);  // 10 s unwritable in all, but only 0 s in a row
  EXPECT_FALSE(tracker.observe(stalled(), t0 + seconds(35)).keeps_clients);
}

TEST_F(ReadinessTrackerTest, AReadFailureShorterThanTheGraceKeepsClients) {
  tracker.observe(writable(), t0);
  auto r = tracker.observe(unreadable(), t0 + seconds(1));
  EXPECT_FALSE(r.reads);
  EXPECT_TRUE(r.keeps_clients);
  EXPECT_TRUE(tracker.observe(unreadable(), t0 + milliseconds(2999)).keeps_clients);
  EXPECT_TRUE(tracker.observe(writable(), t0 + seconds(4)).keeps_clients);
  EXPECT_TRUE(tracker.observe(unreadable(), t0 + seconds(5)).keeps_clients);  // afresh
}

TEST_F(ReadinessTrackerTest, ANodeThatCannotReadForLongerThanTheGraceKeepsNobody) {
  tracker.observe(writable(), t0);
  tracker.observe(unreadable(), t0 + seconds(1));
  auto r = tracker.observe(unreadable(), t0 + seconds(3));
  EXPECT_FALSE(r.reads);
  EXPECT_TRUE(r.writes);
  EXPECT_FALSE(r.keeps_clients);
}

TEST_F(ReadinessTrackerTest, AStoreNeverWritableSinceStartKeepsNobody) {
  auto r = tracker.observe(stalled(), t0);
  EXPECT_FALSE(r.keeps_clients);
  EXPECT_FALSE(tracker.observe(stalled(), t0 + seconds(1)).keeps_clients);
  EXPECT_TRUE(tracker.observe(writable(), t0 + seconds(2)).keeps_clients);
}

}  // namespace
}  // namespace haetae::node
