// A device that was offline while 500 messages were sent catches up by sync alone: every message
// once, in seq order, with no hole (issue 2, "Tests that must exist").
#include <gtest/gtest.h>

#include "chat_fixture.h"
#include "device.h"

namespace haetae::testing {
namespace {

void expect_gap_free(const std::vector<store::room_event>& events) {
  for (std::size_t i = 1; i < events.size(); ++i) {
    ASSERT_EQ(events[i].seq, events[i - 1].seq + 1) << "hole or repeat at index " << i;
  }
}

class CatchUpTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CatchUpTest, DeviceOfflineDuring500MessagesCatchesUpBySyncAlone) {
  two_users_in_a_room chat(backend_args(GetParam()));
  auto& [dir, server, node, alice, bob, room] = chat;
  std::string bob_pc_token = login_device(node, bob, "pc");

  constexpr int count = 500;
  {
    device alice_phone({server.url()}, alice.token, 11);
    ASSERT_TRUE(alice_phone.wait_caught_up());
    for (int i = 0; i < count; ++i) alice_phone.send(room, "message " + std::to_string(i));
    ASSERT_TRUE(alice_phone.wait_until([&] { return alice_phone.acks().size() == count; }));
  }

  // Bob's PC connects for the first time only now: no push can have reached it.
  device bob_pc({server.url()}, bob_pc_token, 12);
  ASSERT_TRUE(bob_pc.wait_caught_up());
  auto events = bob_pc.events(room);
  auto messages = bob_pc.messages(room);
  ASSERT_EQ(messages.size(), static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) EXPECT_EQ(messages[i].body, "message " + std::to_string(i));
  expect_gap_free(events);
  // Bob sees his room from his own join on, and the last event is the last message.
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().seq, messages.back().seq);
}

TEST_P(CatchUpTest, TwoUsersThreeDevicesEveryDeviceGetsEveryMessageOnceInOrder) {
  two_users_in_a_room chat(backend_args(GetParam()));
  auto& [dir, server, node, alice, bob, room] = chat;

  device alice_phone({server.url()}, alice.token, 31);
  device alice_pc({server.url()}, login_device(node, alice, "pc"), 32);
  device bob_phone({server.url()}, bob.token, 33);
  for (auto* d : {&alice_phone, &alice_pc, &bob_phone}) ASSERT_TRUE(d->wait_caught_up());

  constexpr int per_user = 50;
  for (int i = 0; i < per_user; ++i) {
    alice_phone.send(room, "a" + std::to_string(i));
    bob_phone.send(room, "b" + std::to_string(i));
  }
  for (auto* d : {&alice_phone, &alice_pc, &bob_phone}) {
    ASSERT_TRUE(d->wait_until([&] { return d->messages(room).size() >= 2 * per_user; }));
  }
  for (auto* d : {&alice_phone, &alice_pc, &bob_phone}) {
    auto events = d->events(room);
    expect_gap_free(events);
    auto mine = d->messages(room);
    EXPECT_EQ(mine.size(), static_cast<std::size_t>(2 * per_user));
    // The same order on every device: compare the common tail by seq and client id.
    auto theirs = alice_phone.messages(room);
    for (std::size_t i = 0; i < mine.size() && i < theirs.size(); ++i) {
      EXPECT_EQ(mine[i].seq, theirs[i].seq);
      EXPECT_EQ(mine[i].client_id, theirs[i].client_id);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CatchUpTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace haetae::testing
