#include "proto/decode.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "proto/encode.h"

namespace haetae::proto {
namespace {

namespace json = boost::json;

TEST(DecodeTest, EventRoundTripsEveryField) {
  auto v = json::parse(R"({"room_id":4,"seq":17,"kind":"message","sender":3,"subject":0,
      "client_id":"k3j2h1","body":"hi","time":1764000000123,"unread":1})");
  auto e = decode_event(v);
  ASSERT_TRUE(e) << e.err().text();
  EXPECT_EQ(e->room, room_id(4));
  EXPECT_EQ(e->seq, 17);
  EXPECT_EQ(e->kind, store::event_kind::message);
  EXPECT_EQ(e->sender, user_id(3));
  EXPECT_EQ(e->client_id, "k3j2h1");
  EXPECT_EQ(e->body, "hi");
  EXPECT_EQ(e->time_ms, 1764000000123);
  EXPECT_EQ(e->unread, 1);
}

TEST(DecodeTest, EventWithUnknownKindIsInvalidField) {
  auto e = decode_event(json::parse(R"({"room_id":4,"seq":1,"kind":"party","sender":3})"));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.code(), errc::invalid_field);
}

TEST(DecodeTest, EventWithStringSeqIsInvalidField) {
  auto e = decode_event(json::parse(R"({"room_id":4,"seq":"1","kind":"message"})"));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.code(), errc::invalid_field);
  EXPECT_NE(e.err().text().find("seq"), std::string_view::npos);
}

TEST(DecodeTest, NonObjectIsInvalidField) {
  EXPECT_EQ(decode_user(json::value(3)).code(), errc::invalid_field);
  EXPECT_EQ(decode_room(json::array()).code(), errc::invalid_field);
}

TEST(DecodeTest, RoomWithMembersAndNullLastMessage) {
  auto v = json::parse(R"({"id":4,"kind":"group","title":"t","members":[{"id":3,"name":"minji",
      "display_name":"민지","joined_seq":1,"read_seq":17}],"last_seq":17,"last_message":null,
      "unread":2,"left":false,"change":88})");
  auto r = decode_room(v);
  ASSERT_TRUE(r) << r.err().text();
  EXPECT_EQ(r->kind, store::room_kind::group);
  ASSERT_EQ(r->members.size(), 1u);
  EXPECT_EQ(r->members[0].display_name, "민지");
  EXPECT_EQ(r->members[0].read_seq, 17);
  EXPECT_FALSE(r->last_message.has_value());
  EXPECT_EQ(r->unread, 2);
  EXPECT_EQ(r->change, 88);
}

TEST(DecodeTest, RoomWithBadMemberFails) {
  auto r = decode_room(json::parse(R"({"id":4,"kind":"direct","members":[{"id":"x"}]})"));
  EXPECT_EQ(r.code(), errc::invalid_field);
}

TEST(DecodeTest, PageAndChanges) {
  auto p = decode_page(json::parse(
      R"({"events":[{"room_id":1,"seq":1,"kind":"created","sender":2,"body":"g"}],"more":true})"));
  ASSERT_TRUE(p) << p.err().text();
  EXPECT_TRUE(p->more);
  ASSERT_EQ(p->events.size(), 1u);
  EXPECT_EQ(p->events[0].kind, store::event_kind::created);

  auto c = decode_changes(json::parse(
      R"({"rooms":[{"id":4,"kind":"direct","members":[],"last_seq":3}],"next":9,"more":false})"));
  ASSERT_TRUE(c) << c.err().text();
  EXPECT_EQ(c->next, 9);
  ASSERT_EQ(c->rooms.size(), 1u);
  EXPECT_EQ(c->rooms[0].last_seq, 3);
}

TEST(DecodeTest, SendAckFriendAndReadPush) {
  auto a = decode_send_ack(
      json::parse(R"({"room_id":4,"seq":17,"time":1764000000123,"duplicate":true})"));
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->duplicate);
  EXPECT_EQ(a->seq, 17);

  auto f =
      decode_friend(json::parse(R"({"id":5,"name":"jun","display_name":"준","state":"blocked"})"));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->state, store::friend_state::blocked);

  auto r = decode_read_push(json::parse(R"({"type":"read","room_id":4,"user_id":3,"seq":17})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reader, user_id(3));
  EXPECT_EQ(r->read_seq, 17);
}

TEST(DecodeTest, ErrorMapsWireCodes) {
  auto e =
      decode_error(json::parse(R"({"error":{"code":"not_room_member","message":"not a member"}})"));
  EXPECT_EQ(e.code, errc::not_room_member);
  EXPECT_EQ(e.message, "not a member");
  EXPECT_EQ(decode_error(json::parse(R"({"code":"whatever"})")).code, errc::internal);
  for (errc code : all_errcs) EXPECT_EQ(errc_from_name(errc_name(code)), code);
}

// What the server encodes, the client decodes to the same record.
TEST(DecodeTest, RoundTripsWhatEncodeWrites) {
  store::room_event e;
  e.room = room_id(4);
  e.seq = 17;
  e.kind = store::event_kind::left;
  e.sender = user_id(3);
  e.subject = user_id(5);
  e.client_id = "abc";
  e.body = "";
  e.time_ms = 1764000000123;
  auto back = decode_event(encode_event(e));
  ASSERT_TRUE(back) << back.err().text();
  EXPECT_EQ(back->kind, e.kind);
  EXPECT_EQ(back->subject, e.subject);
  EXPECT_EQ(back->client_id, e.client_id);
  EXPECT_EQ(back->time_ms, e.time_ms);

  store::room_summary r;
  r.id = room_id(4);
  r.kind = store::room_kind::direct;
  r.members.push_back({user_id(3), "minji", "민지", 1, 17});
  r.last_seq = 17;
  r.last_message = e;
  r.change = 88;
  auto room = decode_room(encode_room(r));
  ASSERT_TRUE(room) << room.err().text();
  EXPECT_EQ(room->kind, store::room_kind::direct);
  ASSERT_EQ(room->members.size(), 1u);
  EXPECT_EQ(room->members[0].read_seq, 17);
  ASSERT_TRUE(room->last_message);
  EXPECT_EQ(room->last_message->seq, 17);
  EXPECT_EQ(room->change, 88);

  store::send_ack a{room_id(4), 17, 1764000000123, true};
  auto ack = decode_send_ack(encode_send_ack(a));
  ASSERT_TRUE(ack);
  EXPECT_TRUE(ack->duplicate);
  EXPECT_EQ(ack->seq, 17);
}

}  // namespace
}  // namespace haetae::proto
