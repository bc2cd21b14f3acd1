#include "drill/drill_checks.h"

#include <gtest/gtest.h>

#include "log_builder.h"

namespace haetae::drill {
namespace {

using testing::at_ms;
using testing::clean_logs;
using testing::message;

const room_id room{7};

TEST(DrillChecksTest, CleanLogsCountNothing) {
  check_counts c = check_logs(clean_logs());
  EXPECT_EQ(c.acked, 3);
  EXPECT_EQ(c.acked_lost, 0);
  EXPECT_EQ(c.duplicates, 0);
  EXPECT_EQ(c.taken_back, 0);
  EXPECT_EQ(c.order_violations, 0);
  EXPECT_EQ(c.gaps, 0);
  EXPECT_EQ(c.forced_relogins, 0);
  EXPECT_TRUE(c.clean());
}

TEST(DrillChecksTest, AckedMessageMissingFromTheFinalLogIsLost) {
  auto logs = clean_logs();
  logs[1].acks.push_back({"b2", room, 5, at_ms(50)});  // acked, but the store never had it
  check_counts c = check_logs(logs);
  EXPECT_EQ(c.acked_lost, 1);
  EXPECT_FALSE(c.clean());
}

TEST(DrillChecksTest, AckedMessageAtAnotherSeqIsLost) {
  auto logs = clean_logs();
  logs[1].acks[0].seq = 4;  // the ack said 4; the store has b1 at 3
  EXPECT_EQ(check_logs(logs).acked_lost, 1);
}

// One seq acknowledged to two messages (alice's a2 and bob's b2 both told seq 4): the final log
// can hold only one of them there, so the other's acknowledgement is lost. Nothing was stored
// twice, so it is not a duplicate.
TEST(DrillChecksTest, SeqAckedToTwoMessagesCountsTheOneNotThereAsLost) {
  auto logs = clean_logs();
  logs[1].sends.push_back({"b2", room, "body of b2", at_ms(6)});
  logs[1].acks.push_back({"b2", room, 4, at_ms(45)});
  check_counts c = check_logs(logs);
  EXPECT_EQ(c.acked, 4);
  EXPECT_EQ(c.acked_lost, 1);
  EXPECT_EQ(c.duplicates, 0);
  EXPECT_FALSE(c.clean());
}

// The same, with b2 stored again later (resent to the new primary) at seq 5: b2's ack still
// names a seq that holds another message, so it is lost, and a2's is kept.
TEST(DrillChecksTest, SeqAckedTwiceWithTheSecondMessageStoredElsewhereIsLost) {
  auto logs = clean_logs();
  logs[1].sends.push_back({"b2", room, "body of b2", at_ms(6)});
  logs[1].acks.push_back({"b2", room, 4, at_ms(45)});
  for (client_log& c : logs) {
    c.final_rooms[room].push_back(message(room, 5, user_id{2}, "b2"));
    c.shown.push_back({message(room, 5, user_id{2}, "b2"), at_ms(95)});
  }
  check_counts c = check_logs(logs);
  EXPECT_EQ(c.acked_lost, 1);
  EXPECT_EQ(c.duplicates, 0);
  EXPECT_EQ(c.taken_back, 0);
}

// Two acks at one seq and a third message there in the final log: both are lost.
TEST(DrillChecksTest, SeqAckedToTwoMessagesHoldingAThirdLosesBoth) {
  auto logs = clean_logs();
  logs[1].acks.push_back({"b2", room, 4, at_ms(45)});
  for (client_log& c : logs) {
    c.final_rooms[room][3] = message(room, 4, user_id{2}, "b3");
    c.shown[3].event = message(room, 4, user_id{2}, "b3");
  }
  check_counts c = check_logs(logs);
  EXPECT_EQ(c.acked_lost, 2);  // a2 and b2
  EXPECT_EQ(c.taken_back, 0);
}

// The history: a lost ack, a seq acknowledged twice and a read taken back, together.
TEST(DrillChecksTest, LostAckSeqAckedTwiceAndTakenBackReadAreEachCounted) {
  auto logs = clean_logs();
  // alice's a3 was acked at 5 and shown to both; a failover took it back (final log ends at 4).
  logs[0].sends.push_back({"a3", room, "body of a3", at_ms(7)});
  logs[0].acks.push_back({"a3", room, 5, at_ms(50)});
  for (client_log& c : logs) c.shown.push_back({message(room, 5, user_id{1}, "a3"), at_ms(99)});
  // bob's b2 was acked at 4, the seq alice's a2 holds.
  logs[1].sends.push_back({"b2", room, "body of b2", at_ms(8)});
  logs[1].acks.push_back({"b2", room, 4, at_ms(45)});
  check_counts c = check_logs(logs);
  EXPECT_EQ(c.acked, 5);
  EXPECT_EQ(c.acked_lost, 2);  // a3 (gone) and b2 (its seq holds a2)
  EXPECT_EQ(c.taken_back, 2);  // both were shown a3 at seq 5
  EXPECT_EQ(c.duplicates, 0);
  EXPECT_EQ(c.order_violations, 0);
  EXPECT_FALSE(c.clean());
}

TEST(DrillChecksTest, ClientIdStoredTwiceIsADuplicate) {
  auto logs = clean_logs();
  for (client_log& c : logs) c.final_rooms[room].push_back(message(room, 5, user_id{2}, "b1"));
  EXPECT_EQ(check_logs(logs).duplicates, 1);
}

TEST(DrillChecksTest, SeqShownTwiceIsADuplicate) {
  auto logs = clean_logs();
  logs[0].shown.push_back(logs[0].shown[2]);
  check_counts c = check_logs(logs);
  EXPECT_EQ(c.duplicates, 1);
  EXPECT_EQ(c.order_violations, 0);  // a repeat is not counted as disorder too
}

TEST(DrillChecksTest, EntryShownButReplacedInTheFinalLogIsTakenBack) {
  auto logs = clean_logs();
  // Both were shown x9 at seq 4; a failover took it back and gave seq 4 to a2.
  for (client_log& c : logs) c.shown[3].event = message(room, 4, user_id{2}, "x9");
  EXPECT_EQ(check_logs(logs).taken_back, 2);
}

TEST(DrillChecksTest, EntryShownBeyondTheFinalLogIsTakenBack) {
  auto logs = clean_logs();
  logs[1].shown.push_back({message(room, 5, user_id{2}, "b2"), at_ms(90)});
  EXPECT_EQ(check_logs(logs).taken_back, 1);
}

TEST(DrillChecksTest, EventsShownOutOfOrderAreAnOrderViolation) {
  auto logs = clean_logs();
  std::swap(logs[1].shown[1], logs[1].shown[2]);  // bob saw 3 before 2
  EXPECT_EQ(check_logs(logs).order_violations, 1);
}

TEST(DrillChecksTest, MembersShownDifferentEntriesAtOneSeqAreAnOrderViolation) {
  auto logs = clean_logs();
  // Bob's view swaps the authors of seqs 2 and 3; the final log agrees with alice.
  logs[1].shown[1].event = message(room, 2, user_id{2}, "b1");
  logs[1].shown[2].event = message(room, 3, user_id{1}, "a1");
  check_counts c = check_logs(logs);
  EXPECT_EQ(c.order_violations, 2);
  EXPECT_EQ(c.taken_back, 2);  // bob's two entries are not what the store holds there
}

TEST(DrillChecksTest, FinalReadsThatDisagreeAreAnOrderViolation) {
  auto logs = clean_logs();
  logs[1].final_rooms[room][2] = message(room, 3, user_id{2}, "other");
  EXPECT_GE(check_logs(logs).order_violations, 1);
}

TEST(DrillChecksTest, HoleInTheFinalLogIsAGap) {
  auto logs = clean_logs();
  for (client_log& c : logs) {
    c.final_rooms[room].push_back(message(room, 6, user_id{1}, "a3"));  // seq 5 missing
  }
  EXPECT_GE(check_logs(logs).gaps, 1);
}

TEST(DrillChecksTest, ClientShownSeqPastAHoleIsAGap) {
  auto logs = clean_logs();
  logs[1].shown.erase(logs[1].shown.begin() + 2);  // bob saw 1, 2, 4
  check_counts c = check_logs(logs);
  EXPECT_EQ(c.gaps, 1);
  EXPECT_EQ(c.taken_back, 0);
}

TEST(DrillChecksTest, ClientShownLessThanTheFinalLogIsAGap) {
  auto logs = clean_logs();
  logs[1].shown.pop_back();  // bob never saw seq 4
  EXPECT_EQ(check_logs(logs).gaps, 1);
}

TEST(DrillChecksTest, ClientJoiningLaterMayStartAtItsJoinPoint) {
  auto logs = clean_logs();
  logs[1].joined_at[room] = 3;
  logs[1].shown.erase(logs[1].shown.begin(), logs[1].shown.begin() + 2);  // saw 3, 4
  EXPECT_EQ(check_logs(logs).gaps, 0);
}

TEST(DrillChecksTest, RefusedTokenIsAForcedRelogin) {
  auto logs = clean_logs();
  logs[0].forced_relogins = 1;
  EXPECT_EQ(check_logs(logs).forced_relogins, 1);
}

}  // namespace
}  // namespace haetae::drill
