// The order a reconnect tries hosts in (pg_host_order): a silent host must not hold up finding
// the new primary, and must still be found when it is the primary again.
#include "store/postgres/pg_host_order.h"

#include <gtest/gtest.h>

namespace haetae::store::pg {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

const std::vector<std::string> hosts = {"dc1", "dc2", "dc3"};

TEST(PgHostOrderTest, WithoutHistoryTheConninfoOrderHolds) {
  EXPECT_EQ(reconnect_order(hosts, {}, clock::now()), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(PgHostOrderTest, TheLostHostGoesLast) {
  EXPECT_EQ(reconnect_order(hosts, {"dc1", {}}, clock::now()), (std::vector<std::size_t>{1, 2, 0}));
}

TEST(PgHostOrderTest, AHostThatJustTimedOutIsLeftOutWhileOthersMayAnswer) {
  const auto now = clock::now();
  host_history h{"dc2", {{"dc2", now - 1s}}};
  EXPECT_EQ(reconnect_order(hosts, h, now), (std::vector<std::size_t>{0, 2}));
}

TEST(PgHostOrderTest, AfterAWhileATimedOutHostIsTriedAgainLast) {
  const auto now = clock::now();
  host_history h{"", {{"dc1", now - silent_left_out_for - 1s}}};
  EXPECT_EQ(reconnect_order(hosts, h, now), (std::vector<std::size_t>{1, 2, 0}));
  h.timed_out["dc1"] = now - silent_goes_last_for - 1s;  // long ago: back in its place
  EXPECT_EQ(reconnect_order(hosts, h, now), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(PgHostOrderTest, WhenEveryHostTimedOutLatelyAllAreTried) {
  const auto now = clock::now();
  host_history h{"dc3", {{"dc1", now - 1s}, {"dc2", now - 2s}, {"dc3", now}}};
  EXPECT_EQ(reconnect_order(hosts, h, now), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(PgHostOrderTest, ASilentHostComesAfterTheLostOne) {
  const auto now = clock::now();
  host_history h{"dc1", {{"dc3", now - 10s}}};
  EXPECT_EQ(reconnect_order(hosts, h, now), (std::vector<std::size_t>{1, 0, 2}));
}

}  // namespace
}  // namespace haetae::store::pg
