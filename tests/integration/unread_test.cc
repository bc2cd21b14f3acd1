// Unread counts and read markers (issue 2): a read on one device clears the badge on the user's
// other device and lowers the per-message counts the sender sees; markers never move back.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "chat_fixture.h"
#include "device.h"

namespace haetae::testing {
namespace {

namespace json = boost::json;

json::object room_of(const client::node_url& node, const test_user& user, room_id room) {
  auto rooms = must_call(node, user.token, "rooms.list", {});
  for (const auto& r : rooms.at("rooms").as_array()) {
    if (r.at("id").as_int64() == room.value) return r.as_object();
  }
  return {};
}

std::vector<std::int64_t> message_unread_counts(const client::node_url& node,
                                                const test_user& viewer, room_id room) {
  auto page = must_call(node, viewer.token, "history", {{"room_id", room.value}});
  std::vector<std::int64_t> counts;
  for (const auto& e : page.at("events").as_array()) {
    if (e.at("kind").as_string() == "message") counts.push_back(e.at("unread").as_int64());
  }
  return counts;
}

bool has_read(const device& d, user_id reader, seq_no seq) {
  for (const auto& r : d.reads()) {
    if (r.reader == reader && r.read_seq >= seq) return true;
  }
  return false;
}

TEST(UnreadTest, ReadOnOneDeviceClearsTheBadgeOnTheOtherAndTheSendersCounts) {
  two_users_in_a_room chat;
  auto& [dir, server, node, alice, bob, room] = chat;

  device alice_phone({server.url()}, alice.token, 51);
  device bob_phone({server.url()}, bob.token, 52);
  device bob_pc({server.url()}, login_device(node, bob, "pc"), 53);
  for (auto* d : {&alice_phone, &bob_phone, &bob_pc}) ASSERT_TRUE(d->wait_caught_up());

  for (int i = 0; i < 3; ++i) alice_phone.send(room, "unread " + std::to_string(i));
  ASSERT_TRUE(alice_phone.wait_until([&] { return alice_phone.acks().size() == 3; }));
  seq_no last = 0;
  for (const auto& [id, ack] : alice_phone.acks()) last = std::max(last, ack.seq);

  EXPECT_EQ(room_of(node, bob, room).at("unread").as_int64(), 3);
  EXPECT_EQ(room_of(node, alice, room).at("unread").as_int64(), 0) << "own messages are read";
  EXPECT_EQ(message_unread_counts(node, alice, room), (std::vector<std::int64_t>{1, 1, 1}));

  auto marked = bob_phone.call("read", {{"room_id", room.value}, {"seq", last}});
  ASSERT_TRUE(marked) << marked.err().text();
  EXPECT_EQ(marked->at("seq").as_int64(), last);

  EXPECT_TRUE(bob_pc.wait_until([&] { return has_read(bob_pc, bob.id, last); }));
  EXPECT_TRUE(alice_phone.wait_until([&] { return has_read(alice_phone, bob.id, last); }));
  EXPECT_EQ(room_of(node, bob, room).at("unread").as_int64(), 0);
  EXPECT_EQ(message_unread_counts(node, alice, room), (std::vector<std::int64_t>{0, 0, 0}));

  // A stale marker from a slower device never moves the marker back.
  auto stale = bob_pc.call("read", {{"room_id", room.value}, {"seq", 1}});
  ASSERT_TRUE(stale) << stale.err().text();
  EXPECT_EQ(stale->at("seq").as_int64(), last);
  EXPECT_EQ(room_of(node, bob, room).at("unread").as_int64(), 0);
}

TEST(UnreadTest, GroupMessageCountFallsAsEachMemberReads) {
  temp_dir dir;
  server_process server(dir.path() / "data");
  auto node = client::node_url::parse(server.url()).value();
  auto alice = make_user(node, "alice");
  auto bob = make_user(node, "bob");
  auto carol = make_user(node, "carol");
  room_id room = create_group(node, alice, {bob, carol}, "trio");

  auto sent = must_call(node, alice.token, "send",
                        {{"room_id", room.value}, {"client_id", "g1"}, {"body", "hello all"}});
  seq_no seq = sent.at("seq").as_int64();
  EXPECT_EQ(message_unread_counts(node, alice, room), (std::vector<std::int64_t>{2}));
  must_call(node, bob.token, "read", {{"room_id", room.value}, {"seq", seq}});
  EXPECT_EQ(message_unread_counts(node, carol, room), (std::vector<std::int64_t>{1}));
  must_call(node, carol.token, "read", {{"room_id", room.value}, {"seq", seq}});
  EXPECT_EQ(message_unread_counts(node, alice, room), (std::vector<std::int64_t>{0}));
}

}  // namespace
}  // namespace haetae::testing
