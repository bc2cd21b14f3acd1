#include "proto/encode.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "proto/decode.h"

namespace haetae::proto {
namespace {

namespace json = boost::json;

store::room_event message_event() {
  store::room_event e;
  e.room = room_id(4);
  e.seq = 17;
  e.kind = store::event_kind::message;
  e.sender = user_id(3);
  e.subject = user_id(0);
  e.client_id = "k3j2h1";
  e.body = "hi";
  e.time_ms = 1764000000123;
  e.unread = 1;
  return e;
}

constexpr const char* message_json =
    R"({"room_id":4,"seq":17,"kind":"message","sender":3,"subject":0,"client_id":"k3j2h1",)"
    R"("body":"hi","time":1764000000123,"unread":1})";

TEST(EncodeTest, UserOmitsThePasswordHash) {
  store::user_record u{user_id(3), "minji", "민지", "$argon2id$secret"};
  EXPECT_EQ(json::serialize(encode_user(u)), R"({"id":3,"name":"minji","display_name":"민지"})");
}

TEST(EncodeTest, FriendCarriesItsState) {
  store::friend_entry f{user_id(5), "jun", "준", store::friend_state::friend_};
  EXPECT_EQ(json::serialize(encode_friend(f)),
            R"({"id":5,"name":"jun","display_name":"준","state":"friend"})");
  f.state = store::friend_state::blocked;
  EXPECT_EQ(json::serialize(encode_friend(f)),
            R"({"id":5,"name":"jun","display_name":"준","state":"blocked"})");
}

TEST(EncodeTest, EventHasEveryField) {
  EXPECT_EQ(json::serialize(encode_event(message_event())), message_json);
  store::room_event joined = message_event();
  joined.kind = store::event_kind::joined;
  joined.subject = user_id(5);
  joined.client_id.clear();
  joined.body.clear();
  joined.unread = 0;
  EXPECT_EQ(json::serialize(encode_event(joined)),
            R"({"room_id":4,"seq":17,"kind":"joined","sender":3,"subject":5,"client_id":"",)"
            R"("body":"","time":1764000000123,"unread":0})");
  EXPECT_EQ(to_string(store::event_kind::created), "created");
  EXPECT_EQ(to_string(store::event_kind::left), "left");
}

store::room_summary group_room() {
  store::room_summary r;
  r.id = room_id(4);
  r.kind = store::room_kind::group;
  r.title = "우리 반";
  r.members = {{user_id(3), "minji", "민지", 1, 17}, {user_id(5), "jun", "준", 2, 16}};
  r.last_seq = 17;
  r.last_message = message_event();
  r.unread = 0;
  r.left = false;
  r.change = 88;
  return r;
}

TEST(EncodeTest, RoomWithMembersAndLastMessage) {
  EXPECT_EQ(
      json::serialize(encode_room(group_room())),
      std::string(R"({"id":4,"kind":"group","title":"우리 반","members":[)"
                  R"({"id":3,"name":"minji","display_name":"민지","joined_seq":1,"read_seq":17},)"
                  R"({"id":5,"name":"jun","display_name":"준","joined_seq":2,"read_seq":16}],)"
                  R"("last_seq":17,"last_message":)") +
          message_json + R"(,"unread":0,"left":false,"change":88})");
}

TEST(EncodeTest, RoomWithoutMessagesHasNullLastMessage) {
  store::room_summary r;
  r.id = room_id(9);
  r.kind = store::room_kind::direct;
  r.left = true;
  r.change = 3;
  EXPECT_EQ(json::serialize(encode_room(r)),
            R"({"id":9,"kind":"direct","title":"","members":[],"last_seq":0,)"
            R"("last_message":null,"unread":0,"left":true,"change":3})");
}

TEST(EncodeTest, PageAndChanges) {
  store::page p{{message_event()}, true};
  EXPECT_EQ(json::serialize(encode_page(p)),
            std::string(R"({"events":[)") + message_json + R"(],"more":true})");
  EXPECT_EQ(json::serialize(encode_page(store::page{})), R"({"events":[],"more":false})");
  store::changes_page c;
  c.next = 42;
  EXPECT_EQ(json::serialize(encode_changes(c)), R"({"rooms":[],"next":42,"more":false})");
  c.rooms.push_back(group_room());
  auto o = encode_changes(c);
  EXPECT_EQ(o["rooms"].as_array().size(), 1u);
  EXPECT_EQ(o["rooms"].as_array()[0], encode_room(group_room()));
}

TEST(EncodeTest, SendAck) {
  store::send_ack ack{room_id(4), 17, 1764000000123, true};
  EXPECT_EQ(json::serialize(encode_send_ack(ack)),
            R"({"room_id":4,"seq":17,"time":1764000000123,"duplicate":true})");
}

TEST(EncodeTest, PushFrames) {
  EXPECT_EQ(*encode_event_push(message_event()),
            std::string(R"({"type":"event","event":)") + message_json + "}");
  store::read_update u{room_id(4), user_id(3), 17, {user_id(3), user_id(5)}};
  EXPECT_EQ(*encode_read_push(u), R"({"type":"read","room_id":4,"user_id":3,"seq":17})");
}

TEST(EncodeTest, NonAsciiAndControlCharactersAreEscapedAsJson) {
  store::room_event e = message_event();
  e.body = "line\n\"quoted\"\t\\";
  auto parsed = json::parse(json::serialize(encode_event(e)));
  EXPECT_EQ(parsed.as_object().at("body").as_string(), e.body);
}

TEST(EncodeTest, DecodeInvertsEncode) {
  auto event = decode_event(encode_event(message_event()));
  ASSERT_TRUE(event) << event.err().text();
  EXPECT_EQ(encode_event(*event), encode_event(message_event()));
  auto room = decode_room(encode_room(group_room()));
  ASSERT_TRUE(room) << room.err().text();
  EXPECT_EQ(encode_room(*room), encode_room(group_room()));
  store::user_record u{user_id(3), "minji", "민지", ""};
  auto user = decode_user(encode_user(u));
  ASSERT_TRUE(user);
  EXPECT_EQ(encode_user(*user), encode_user(u));
  store::friend_entry f{user_id(5), "jun", "준", store::friend_state::blocked};
  auto fr = decode_friend(encode_friend(f));
  ASSERT_TRUE(fr);
  EXPECT_EQ(encode_friend(*fr), encode_friend(f));
  store::send_ack ack{room_id(4), 17, 1764000000123, false};
  auto a = decode_send_ack(encode_send_ack(ack));
  ASSERT_TRUE(a);
  EXPECT_EQ(encode_send_ack(*a), encode_send_ack(ack));
  store::changes_page c{{group_room()}, 42, true};
  auto ch = decode_changes(encode_changes(c));
  ASSERT_TRUE(ch);
  EXPECT_EQ(encode_changes(*ch), encode_changes(c));
  store::read_update r{room_id(4), user_id(3), 17, {}};
  auto rd = decode_read_push(json::parse(*encode_read_push(r)));
  ASSERT_TRUE(rd);
  EXPECT_EQ(rd->room, r.room);
  EXPECT_EQ(rd->reader, r.reader);
  EXPECT_EQ(rd->read_seq, r.read_seq);
}

}  // namespace
}  // namespace haetae::proto
