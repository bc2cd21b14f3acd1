// Crash test (issue 2): a client sends flat out, the server is killed with SIGKILL mid-load and
// restarted on the same data; every acknowledged message is present exactly once with the seq it
// was acknowledged with, and the outbox delivers the rest, each once. Judged from outside, by a
// device that reads the room from the start.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "chat_fixture.h"
#include "device.h"

namespace haetae::testing {
namespace {

class CrashTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CrashTest, AcknowledgedMessagesSurviveSigkillAndTheOutboxDeliversTheRestOnce) {
  two_users_in_a_room chat(backend_args(GetParam()));
  auto& [dir, server, node, alice, bob, room] = chat;

  constexpr std::size_t total = 3000;
  constexpr std::size_t kill_after_acks = 300;
  device alice_phone({server.url()}, alice.token, 41);
  ASSERT_TRUE(alice_phone.wait_caught_up());
  std::set<std::string> sent;
  for (std::size_t i = 0; i < total; ++i) {
    sent.insert(alice_phone.send(room, "crash " + std::to_string(i)));
  }
  ASSERT_TRUE(alice_phone.wait_until([&] { return alice_phone.acks().size() >= kill_after_acks; }));
  server.kill_hard();
  auto acked_before_crash = alice_phone.acks();
  ASSERT_LT(acked_before_crash.size(), total) << "the crash must come mid-load";

  server.restart();  // same data, same port: the outbox reconnects and resends, same ids
  ASSERT_TRUE(alice_phone.wait_until([&] { return alice_phone.outbox_size() == 0; },
                                     std::chrono::seconds(180)));
  EXPECT_EQ(alice_phone.failed_sends(), 0u);
  auto acks = alice_phone.acks();
  EXPECT_EQ(acks.size(), total);

  device bob_pc({server.url()}, login_device(node, bob, "pc"), 42);
  ASSERT_TRUE(bob_pc.wait_caught_up());
  std::map<std::string, seq_no> stored;  // client id → seq, from Bob's view
  seq_no previous = 0;
  for (const auto& e : bob_pc.events(room)) {
    if (previous != 0) {
      EXPECT_EQ(e.seq, previous + 1) << "hole or repeat";
    }
    previous = e.seq;
    if (e.kind != store::event_kind::message) continue;
    EXPECT_TRUE(stored.emplace(e.client_id, e.seq).second) << "stored twice: " << e.client_id;
  }
  EXPECT_EQ(stored.size(), total);
  for (const auto& id : sent) EXPECT_TRUE(stored.contains(id)) << "lost: " << id;
  for (const auto& [id, ack] : acked_before_crash) {
    ASSERT_TRUE(stored.contains(id)) << "acknowledged before the crash and lost: " << id;
    EXPECT_EQ(stored[id], ack.seq) << "acknowledged seq changed for " << id;
  }
  for (const auto& [id, ack] : acks) EXPECT_EQ(stored[id], ack.seq) << id;
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace haetae::testing
