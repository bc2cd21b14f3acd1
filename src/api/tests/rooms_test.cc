// rooms.direct, rooms.create, rooms.invite, rooms.leave, rooms.list, rooms.get.
#include <set>

#include "api/tests/dispatcher_fixture.h"

namespace haetae::api::testing {
namespace {

using RoomsTest = DispatcherTest;
namespace json = boost::json;

std::set<std::string> member_names(json::object& room) {
  std::set<std::string> names;
  for (auto& m : room["members"].as_array())
    names.insert(std::string(m.as_object().at("name").as_string()));
  return names;
}

TEST_P(RoomsTest, DirectRoomIsCreatedOnceAndPushedToBoth) {
  auto minji = user("minji");
  auto jun = user("jun");
  sink_.clear();
  auto r = ok(minji, "rooms.direct", R"({"name":"jun"})");
  auto& room = r["room"].as_object();
  EXPECT_EQ(room["kind"], "direct");
  EXPECT_EQ(member_names(room), (std::set<std::string>{"minji", "jun"}));
  EXPECT_TRUE(room["last_message"].is_null());
  auto frames = sink_.frames();
  ASSERT_FALSE(frames.empty());
  for (auto& f : frames) {
    EXPECT_EQ(f.body["type"], "event");
    EXPECT_EQ(std::set<user_id>(f.users.begin(), f.users.end()),
              (std::set<user_id>{minji.user, jun.user}));
  }
  // The same pair, from either side, is the same room.
  auto again = ok(jun, "rooms.direct", R"({"name":"minji"})");
  EXPECT_EQ(again["room"].as_object()["id"], room["id"]);
}

TEST_P(RoomsTest, DirectRoomErrors) {
  auto minji = user("minji");
  auto jun = user("jun");
  EXPECT_EQ(call(minji, "rooms.direct", R"({"name":"ghost"})").code(), errc::not_found);
  EXPECT_EQ(call(minji, "rooms.direct", R"({"name":"minji"})").code(), errc::invalid_field);
  ok(jun, "friends.block", R"({"name":"minji"})");
  EXPECT_EQ(call(minji, "rooms.direct", R"({"name":"jun"})").code(), errc::blocked);
  EXPECT_TRUE(ok(minji, "rooms.list")["rooms"].as_array().empty());
  rejected_untouched(minji, "rooms.direct", "{}", errc::invalid_field);
}

TEST_P(RoomsTest, GroupCreateIsIdempotentByClientId) {
  auto minji = user("minji");
  user("jun");
  user("sora");
  auto r = ok(minji, "rooms.create",
              R"({"client_id":"g1","title":"우리 반","members":["jun","sora","minji","jun"]})");
  auto& room = r["room"].as_object();
  EXPECT_EQ(room["kind"], "group");
  EXPECT_EQ(room["title"], "우리 반");
  EXPECT_EQ(member_names(room), (std::set<std::string>{"minji", "jun", "sora"}));
  auto again =
      ok(minji, "rooms.create", R"({"client_id":"g1","title":"우리 반","members":["jun"]})");
  EXPECT_EQ(again["room"].as_object()["id"], room["id"]);
  EXPECT_EQ(ok(minji, "rooms.list")["rooms"].as_array().size(), 1u);
}

TEST_P(RoomsTest, GroupCreateValidatesEveryField) {
  auto minji = user("minji");
  user("jun");
  std::string title100(100, 't');
  rejected_untouched(minji, "rooms.create", R"({"title":"x","members":[]})", errc::invalid_field);
  rejected_untouched(minji, "rooms.create", R"({"client_id":"bad id","title":"x"})",
                     errc::invalid_field);
  rejected_untouched(minji, "rooms.create", R"({"client_id":"g","members":[]})",
                     errc::invalid_field);
  rejected_untouched(minji, "rooms.create", R"({"client_id":"g","title":""})", errc::invalid_field);
  rejected_untouched(minji, "rooms.create", R"({"client_id":"g","title":")" + title100 + R"(t"})",
                     errc::field_too_long);
  rejected_untouched(minji, "rooms.create", R"({"client_id":"g","title":"x","members":"jun"})",
                     errc::invalid_field);
  rejected_untouched(minji, "rooms.create", R"({"client_id":"g","title":"x","members":[1]})",
                     errc::invalid_field);
  rejected_untouched(minji, "rooms.create", R"({"client_id":"g","title":"x","members":["Jun"]})",
                     errc::invalid_field);
  EXPECT_EQ(
      call(minji, "rooms.create", R"({"client_id":"g","title":"x","members":["ghost"]})").code(),
      errc::not_found);
  EXPECT_TRUE(ok(minji, "rooms.list")["rooms"].as_array().empty());
  // At the limit.
  auto r = ok(minji, "rooms.create", R"({"client_id":"g","title":")" + title100 + R"("})");
  EXPECT_EQ(r["room"].as_object()["title"].as_string().size(), 100u);
}

TEST_P(RoomsTest, InviteAddsMembersAndSkipsPresentOnes) {
  auto minji = user("minji");
  auto jun = user("jun");
  user("sora");
  auto r = ok(minji, "rooms.create", R"({"client_id":"g1","title":"t","members":["jun"]})");
  auto id = r["room"].as_object()["id"].as_int64();
  std::string room_field = R"("room_id":)" + std::to_string(id);
  sink_.clear();
  auto invited = ok(jun, "rooms.invite", "{" + room_field + R"(,"members":["sora","minji"]})");
  EXPECT_EQ(member_names(invited["room"].as_object()),
            (std::set<std::string>{"minji", "jun", "sora"}));
  auto frames = sink_.frames();
  ASSERT_EQ(frames.size(), 1u);  // one joined event: minji was already there
  EXPECT_EQ(frames[0].body["event"].as_object()["kind"], "joined");
  EXPECT_EQ(frames[0].users.size(), 3u);
}

TEST_P(RoomsTest, NonMemberCannotInviteGetOrLeave) {
  auto minji = user("minji");
  user("jun");
  auto eve = user("eve");
  auto r = ok(minji, "rooms.create", R"({"client_id":"g1","title":"t","members":["jun"]})");
  std::string room_field = R"("room_id":)" + std::to_string(r["room"].as_object()["id"].as_int64());
  auto before = ok(minji, "rooms.get", "{" + room_field + "}");
  EXPECT_EQ(call(eve, "rooms.invite", "{" + room_field + R"(,"members":["eve"]})").code(),
            errc::not_room_member);
  EXPECT_EQ(call(eve, "rooms.get", "{" + room_field + "}").code(), errc::not_room_member);
  EXPECT_EQ(call(eve, "rooms.leave", "{" + room_field + "}").code(), errc::not_room_member);
  EXPECT_EQ(ok(minji, "rooms.get", "{" + room_field + "}"), before);
  rejected_untouched(eve, "rooms.invite", "{" + room_field + R"(,"members":[]})",
                     errc::invalid_field);
  rejected_untouched(eve, "rooms.invite", R"({"members":["eve"]})", errc::invalid_field);
  rejected_untouched(eve, "rooms.get", R"({"room_id":"1"})", errc::invalid_field);
  rejected_untouched(eve, "rooms.leave", R"({"room_id":0})", errc::invalid_field);
}

TEST_P(RoomsTest, LeaveRemovesTheRoomAndPushesToFormerMembers) {
  auto minji = user("minji");
  auto jun = user("jun");
  auto r = ok(minji, "rooms.create", R"({"client_id":"g1","title":"t","members":["jun"]})");
  std::string room_field = R"("room_id":)" + std::to_string(r["room"].as_object()["id"].as_int64());
  sink_.clear();
  EXPECT_TRUE(ok(jun, "rooms.leave", "{" + room_field + "}").empty());
  auto frames = sink_.frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].body["event"].as_object()["kind"], "left");
  EXPECT_EQ(std::set<user_id>(frames[0].users.begin(), frames[0].users.end()),
            (std::set<user_id>{minji.user, jun.user}));
  EXPECT_TRUE(ok(jun, "rooms.list")["rooms"].as_array().empty());
  EXPECT_EQ(member_names(ok(minji, "rooms.get", "{" + room_field + "}")["room"].as_object()),
            (std::set<std::string>{"minji"}));
}

HAETAE_ALL_BACKENDS(RoomsTest);

}  // namespace
}  // namespace haetae::api::testing
