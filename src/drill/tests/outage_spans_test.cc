#include "drill/outage_spans.h"

#include <gtest/gtest.h>

#include "log_builder.h"

namespace haetae::drill {
namespace {

using std::chrono::milliseconds;
using testing::at_ms;

const room_id room{7};

TEST(OutageSpansTest, WriteStallRunsFromTheLastAckToTheNext) {
  client_log c;
  c.sends = {{"a", room, "", at_ms(0)}, {"b", room, "", at_ms(100)}, {"c", room, "", at_ms(200)}};
  c.acks = {{"a", room, 1, at_ms(50)}, {"b", room, 2, at_ms(3000)}, {"c", room, 3, at_ms(3100)}};
  // b and c were pending from 100 ms on; nothing was acked from 100 to 3000.
  EXPECT_EQ(longest_write_stall(c, at_ms(0), at_ms(5000)), milliseconds(2900));
}

TEST(OutageSpansTest, WriteStallCountsOnlyAfterTheBurn) {
  client_log c;
  c.sends = {{"a", room, "", at_ms(0)}};
  c.acks = {{"a", room, 1, at_ms(4000)}};
  EXPECT_EQ(longest_write_stall(c, at_ms(1000), at_ms(5000)), milliseconds(3000));
}

TEST(OutageSpansTest, WriteNeverAckedStallsUntilTheEnd) {
  client_log c;
  c.sends = {{"a", room, "", at_ms(2000)}};
  EXPECT_EQ(longest_write_stall(c, at_ms(1000), at_ms(5000)), milliseconds(3000));
}

TEST(OutageSpansTest, NothingPendingIsNoStall) {
  client_log c;
  c.sends = {{"a", room, "", at_ms(0)}};
  c.acks = {{"a", room, 1, at_ms(10)}};
  EXPECT_EQ(longest_write_stall(c, at_ms(1000), at_ms(5000)), milliseconds(0));
}

TEST(OutageSpansTest, FailedReadsKeepTheReadStallOpen) {
  client_log c;
  c.reads = {{at_ms(0), at_ms(10), true},
             {at_ms(260), at_ms(270), false},
             {at_ms(520), at_ms(530), false},
             {at_ms(780), at_ms(2000), true}};
  EXPECT_EQ(longest_read_stall(c, at_ms(0), at_ms(5000)), milliseconds(1740));
}

TEST(OutageSpansTest, UnansweredReadStallsUntilTheEnd) {
  client_log c;
  c.reads = {{at_ms(100), {}, false}};
  EXPECT_EQ(longest_read_stall(c, at_ms(0), at_ms(1000)), milliseconds(900));
}

TEST(OutageSpansTest, PercentileIsNearestRank) {
  EXPECT_EQ(percentile({}, 0.5), 0);
  EXPECT_EQ(percentile({3, 1, 2}, 0.5), 2);
  EXPECT_EQ(percentile({3, 1, 2}, 0.99), 3);
  EXPECT_EQ(percentile({5}, 0.01), 5);
}

}  // namespace
}  // namespace haetae::drill
