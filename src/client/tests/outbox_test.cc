#include "client/outbox.h"

#include <gtest/gtest.h>

namespace haetae::client {
namespace {

using namespace std::chrono_literals;

outbox_options opts() {
  outbox_options o;
  o.ack_timeout = 5s;
  o.retry_delay = 1s;
  o.max_in_flight = 100;
  return o;
}

std::vector<std::string> ids(const std::vector<outbox_entry>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.client_id);
  return out;
}

TEST(OutboxTest, SendsInOrderOfAdd) {
  outbox box(opts());
  steady::time_point t0{};
  box.add(room_id(1), "a", "1", t0);
  box.add(room_id(2), "b", "2", t0);
  box.add(room_id(1), "c", "3", t0);
  EXPECT_EQ(ids(box.take_due(t0)), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(box.in_flight(), 3u);
  EXPECT_TRUE(box.take_due(t0 + 1s).empty()) << "in flight and not yet overdue";
}

TEST(OutboxTest, AckRemovesEntryOnce) {
  outbox box(opts());
  steady::time_point t0{};
  box.add(room_id(1), "a", "1", t0);
  (void)box.take_due(t0);
  auto acked = box.on_ack("a");
  ASSERT_TRUE(acked);
  EXPECT_EQ(acked->body, "1");
  EXPECT_EQ(box.size(), 0u);
  EXPECT_EQ(box.in_flight(), 0u);
  EXPECT_FALSE(box.on_ack("a")) << "a second ack for the same id is ignored";
}

TEST(OutboxTest, OverdueAckResendsWithSameClientId) {
  outbox box(opts());
  steady::time_point t0{};
  box.add(room_id(1), "a", "hello", t0);
  auto first = box.take_due(t0);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(box.take_due(t0 + 4s).empty());
  auto again = box.take_due(t0 + 5s);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].client_id, "a");
  EXPECT_EQ(again[0].body, "hello");
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_EQ(box.size(), 1u);
}

TEST(OutboxTest, DisconnectResendsInFlightWithSameIdsInOrder) {
  outbox box(opts());
  steady::time_point t0{};
  box.add(room_id(1), "a", "1", t0);
  box.add(room_id(1), "b", "2", t0);
  (void)box.take_due(t0);
  box.on_disconnect();
  EXPECT_EQ(box.in_flight(), 0u);
  EXPECT_EQ(ids(box.take_due(t0 + 1ms)), (std::vector<std::string>{"a", "b"}));
}

TEST(OutboxTest, RetryableErrorKeepsEntryAndHoldsItsRoom) {
  outbox box(opts());
  steady::time_point t0{};
  box.add(room_id(1), "a", "1", t0);
  (void)box.take_due(t0);
  EXPECT_FALSE(box.on_error("a", make_error(errc::overloaded), t0));
  box.add(room_id(1), "b", "2", t0);
  box.add(room_id(2), "c", "3", t0);
  EXPECT_EQ(ids(box.take_due(t0 + 10ms)), (std::vector<std::string>{"c"}))
      << "room 1 waits behind its head; room 2 goes on";
  EXPECT_EQ(ids(box.take_due(t0 + 1s)), (std::vector<std::string>{"a", "b"}));
}

TEST(OutboxTest, PermanentErrorFailsTheEntry) {
  outbox box(opts());
  steady::time_point t0{};
  box.add(room_id(1), "a", "1", t0);
  (void)box.take_due(t0);
  auto failed = box.on_error("a", make_error(errc::not_room_member, "nope"), t0);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->entry.client_id, "a");
  EXPECT_EQ(failed->why.code, errc::not_room_member);
  EXPECT_EQ(box.size(), 0u);
  EXPECT_EQ(box.in_flight(), 0u);
}

TEST(OutboxTest, WindowLimitsSendsInFlight) {
  auto o = opts();
  o.max_in_flight = 2;
  outbox box(o);
  steady::time_point t0{};
  for (std::string id : {"a", "b", "c"}) box.add(room_id(1), id, "x", t0);
  EXPECT_EQ(ids(box.take_due(t0)), (std::vector<std::string>{"a", "b"}));
  (void)box.on_ack("a");
  EXPECT_EQ(ids(box.take_due(t0)), (std::vector<std::string>{"c"}));
}

TEST(OutboxTest, NextDeadlineIsEarliestAckDeadline) {
  outbox box(opts());
  steady::time_point t0{};
  EXPECT_FALSE(box.next_deadline());
  box.add(room_id(1), "a", "1", t0);
  (void)box.take_due(t0);
  ASSERT_TRUE(box.next_deadline());
  EXPECT_EQ(*box.next_deadline(), t0 + 5s);
}

TEST(OutboxTest, RetryableCodes) {
  EXPECT_TRUE(is_retryable(errc::overloaded));
  EXPECT_TRUE(is_retryable(errc::store_unavailable));
  EXPECT_FALSE(is_retryable(errc::invalid_field));
  EXPECT_FALSE(is_retryable(errc::not_room_member));
}

}  // namespace
}  // namespace haetae::client
