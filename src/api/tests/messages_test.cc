// send, history, sync, changes, read.
#include <set>

#include "api/tests/dispatcher_fixture.h"

namespace haetae::api::testing {
namespace {

namespace json = boost::json;

class MessagesTest : public DispatcherTest {
 protected:
  MessagesTest() {
    minji_ = user("minji");
    jun_ = user("jun");
    eve_ = user("eve");
    auto r = ok(minji_, "rooms.create", R"({"client_id":"g1","title":"t","members":["jun"]})");
    room_ = r["room"].as_object()["id"].as_int64();
    last_seq_ = r["room"].as_object()["last_seq"].as_int64();
    sink_.clear();
  }

  std::string room_field() const { return R"("room_id":)" + std::to_string(room_); }
  std::string send_params(std::string_view client_id, std::string_view body) const {
    return "{" + room_field() + R"(,"client_id":)" + quoted(client_id) + R"(,"body":)" +
           quoted(body) + "}";
  }
  json::array all_events(const caller& who) {
    return ok(who, "sync", "{" + room_field() + R"(,"after":0})")["events"].as_array();
  }

  caller minji_, jun_, eve_;
  std::int64_t room_ = 0;
  std::int64_t last_seq_ = 0;
};

TEST_P(MessagesTest, SendAcksWithTheNextSeqAndPushesToEveryMember) {
  auto ack = ok(minji_, "send", send_params("c1", "안녕하세요"));
  EXPECT_EQ(ack["room_id"].as_int64(), room_);
  EXPECT_EQ(ack["seq"].as_int64(), last_seq_ + 1);
  EXPECT_GT(ack["time"].as_int64(), 0);
  EXPECT_EQ(ack["duplicate"], false);
  auto frames = sink_.frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::set<user_id>(frames[0].users.begin(), frames[0].users.end()),
            (std::set<user_id>{minji_.user, jun_.user}));
  auto& event = frames[0].body["event"].as_object();
  EXPECT_EQ(event["kind"], "message");
  EXPECT_EQ(event["body"], "안녕하세요");
  EXPECT_EQ(event["client_id"], "c1");
  EXPECT_EQ(event["seq"], ack["seq"]);
  EXPECT_EQ(event["sender"].as_int64(), minji_.user.value);
  EXPECT_EQ(event["unread"], 1);  // jun has not read it
}

TEST_P(MessagesTest, ResendWithSameClientIdReturnsOriginalAckAndPushesNothing) {
  auto before = all_events(minji_).size();
  auto first = ok(minji_, "send", send_params("c1", "hi"));
  sink_.clear();
  auto again = ok(minji_, "send", send_params("c1", "hi"));
  EXPECT_EQ(again["seq"], first["seq"]);
  EXPECT_EQ(again["time"], first["time"]);
  EXPECT_EQ(again["duplicate"], true);
  EXPECT_TRUE(sink_.frames().empty());
  EXPECT_EQ(all_events(minji_).size(), before + 1);
}

TEST_P(MessagesTest, BodyLimitIs16KiBAndMustBeUtf8) {
  std::string at_limit(16384, 'b');
  rejected_untouched(minji_, "send", send_params("c1", at_limit + "b"), errc::field_too_long);
  rejected_untouched(minji_, "send", send_params("c1", ""), errc::invalid_field);
  json::object bad_utf8 = json::parse("{" + room_field() + R"(,"client_id":"c1"})").as_object();
  bad_utf8["body"] = json::string("\xC3\x28");
  {
    auto before = store_->calls();
    std::promise<result<json::object>> p;
    dispatcher_->call(minji_, "send", bad_utf8,
                      [&p](result<json::object> r) { p.set_value(std::move(r)); });
    auto f = p.get_future();
    ASSERT_EQ(f.wait_for(hang_timeout), std::future_status::ready);
    EXPECT_EQ(f.get().code(), errc::invalid_field);
    EXPECT_EQ(store_->calls(), before);
  }
  auto ack = ok(minji_, "send", send_params("c1", at_limit));
  EXPECT_EQ(all_events(jun_).back().as_object()["body"].as_string().size(), 16384u);
  EXPECT_EQ(ack["duplicate"], false);
}

TEST_P(MessagesTest, SendRejectsBadFieldsWithoutTouchingTheStore) {
  rejected_untouched(minji_, "send", R"({"client_id":"c1","body":"x"})", errc::invalid_field);
  rejected_untouched(minji_, "send", R"({"room_id":"4","client_id":"c1","body":"x"})",
                     errc::invalid_field);
  rejected_untouched(minji_, "send", "{" + room_field() + R"(,"body":"x"})", errc::invalid_field);
  rejected_untouched(minji_, "send", "{" + room_field() + R"(,"client_id":"c1"})",
                     errc::invalid_field);
  rejected_untouched(minji_, "send", "{" + room_field() + R"(,"client_id":"c1","body":5})",
                     errc::invalid_field);
  rejected_untouched(minji_, "send", send_params("c/1", "x"), errc::invalid_field);
  rejected_untouched(minji_, "send", send_params("", "x"), errc::invalid_field);
  rejected_untouched(minji_, "send", send_params(std::string(65, 'c'), "x"), errc::field_too_long);
  ok(minji_, "send", send_params(std::string(64, 'c'), "x"));
}

TEST_P(MessagesTest, NonMemberCannotSendReadOrSync) {
  auto before = all_events(minji_);
  EXPECT_EQ(call(eve_, "send", send_params("e1", "let me in")).code(), errc::not_room_member);
  EXPECT_EQ(call(eve_, "sync", "{" + room_field() + R"(,"after":0})").code(),
            errc::not_room_member);
  EXPECT_EQ(call(eve_, "history", "{" + room_field() + "}").code(), errc::not_room_member);
  EXPECT_EQ(call(eve_, "read", "{" + room_field() + R"(,"seq":1})").code(), errc::not_room_member);
  // A room that does not exist: either answer is allowed by the protocol; neither stores anything.
  auto missing = call(eve_, "send", R"({"room_id":999,"client_id":"e2","body":"x"})").code();
  EXPECT_TRUE(missing == errc::not_room_member || missing == errc::not_found) << errc_name(missing);
  EXPECT_EQ(all_events(minji_), before);
  EXPECT_TRUE(sink_.frames().empty());
}

TEST_P(MessagesTest, HistoryAndSyncPageInAscendingOrder) {
  for (int i = 1; i <= 5; ++i) ok(minji_, "send", send_params("m" + std::to_string(i), "x"));
  std::int64_t last = last_seq_ + 5;
  auto latest = ok(jun_, "history", "{" + room_field() + R"(,"limit":2})");
  auto& events = latest["events"].as_array();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].as_object().at("seq").as_int64(), last - 1);
  EXPECT_EQ(events[1].as_object().at("seq").as_int64(), last);
  EXPECT_EQ(latest["more"], true);
  auto older =
      ok(jun_, "history",
         "{" + room_field() + R"(,"before":)" + std::to_string(last - 1) + R"(,"limit":500})");
  EXPECT_EQ(older["events"].as_array().back().as_object().at("seq").as_int64(), last - 2);
  EXPECT_EQ(older["more"], false);

  auto page = ok(jun_, "sync",
                 "{" + room_field() + R"(,"after":)" + std::to_string(last - 3) + R"(,"limit":2})");
  ASSERT_EQ(page["events"].as_array().size(), 2u);
  EXPECT_EQ(page["events"].as_array()[0].as_object().at("seq").as_int64(), last - 2);
  EXPECT_EQ(page["more"], true);
  auto rest =
      ok(jun_, "sync", "{" + room_field() + R"(,"after":)" + std::to_string(last - 1) + "}");
  EXPECT_EQ(rest["events"].as_array().size(), 1u);
  EXPECT_EQ(rest["more"], false);

  rejected_untouched(jun_, "sync", "{" + room_field() + "}", errc::invalid_field);
  rejected_untouched(jun_, "sync", "{" + room_field() + R"(,"after":-1})", errc::invalid_field);
  rejected_untouched(jun_, "sync", "{" + room_field() + R"(,"after":0,"limit":501})",
                     errc::invalid_field);
  rejected_untouched(jun_, "history", "{" + room_field() + R"(,"limit":0})", errc::invalid_field);
  rejected_untouched(jun_, "history", "{" + room_field() + R"(,"before":1.5})",
                     errc::invalid_field);
}

TEST_P(MessagesTest, ChangesListsChangedRoomsFromACursor) {
  auto first = ok(jun_, "changes", R"({"since":0})");
  ASSERT_EQ(first["rooms"].as_array().size(), 1u);
  auto next = first["next"].as_int64();
  EXPECT_EQ(
      ok(jun_, "changes", R"({"since":)" + std::to_string(next) + "}")["rooms"].as_array().size(),
      0u);
  ok(minji_, "send", send_params("c1", "x"));
  auto after = ok(jun_, "changes", R"({"since":)" + std::to_string(next) + "}");
  ASSERT_EQ(after["rooms"].as_array().size(), 1u);
  EXPECT_EQ(after["rooms"].as_array()[0].as_object().at("id").as_int64(), room_);
  EXPECT_GT(after["next"].as_int64(), next);
  rejected_untouched(jun_, "changes", "{}", errc::invalid_field);
  rejected_untouched(jun_, "changes", R"({"since":"0"})", errc::invalid_field);
}

TEST_P(MessagesTest, ReadMovesTheMarkerAndPushesToMembers) {
  auto ack = ok(minji_, "send", send_params("c1", "x"));
  auto seq = ack["seq"].as_int64();
  auto room = ok(jun_, "rooms.get", "{" + room_field() + "}");
  EXPECT_EQ(room["room"].as_object()["unread"], 1);
  sink_.clear();
  auto r = ok(jun_, "read", "{" + room_field() + R"(,"seq":)" + std::to_string(seq) + "}");
  EXPECT_EQ(r["room_id"].as_int64(), room_);
  EXPECT_EQ(r["seq"].as_int64(), seq);
  auto frames = sink_.frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].body["type"], "read");
  EXPECT_EQ(frames[0].body["user_id"].as_int64(), jun_.user.value);
  EXPECT_EQ(frames[0].body["seq"].as_int64(), seq);
  EXPECT_EQ(std::set<user_id>(frames[0].users.begin(), frames[0].users.end()),
            (std::set<user_id>{minji_.user, jun_.user}));
  EXPECT_EQ(ok(jun_, "rooms.get", "{" + room_field() + "}")["room"].as_object()["unread"], 0);
  // Never backwards.
  EXPECT_EQ(ok(jun_, "read", "{" + room_field() + R"(,"seq":1})")["seq"].as_int64(), seq);
  rejected_untouched(jun_, "read", "{" + room_field() + "}", errc::invalid_field);
  rejected_untouched(jun_, "read", "{" + room_field() + R"(,"seq":true})", errc::invalid_field);
}

TEST_P(MessagesTest, RoomsListShowsTheLastMessage) {
  ok(minji_, "send", send_params("c1", "first"));
  ok(minji_, "send", send_params("c2", "second"));
  auto rooms = ok(jun_, "rooms.list")["rooms"].as_array();
  ASSERT_EQ(rooms.size(), 1u);
  auto& room = rooms[0].as_object();
  EXPECT_EQ(room.at("last_message").as_object().at("body"), "second");
  EXPECT_EQ(room.at("unread"), 2);
  EXPECT_EQ(room.at("left"), false);
}

HAETAE_ALL_BACKENDS(MessagesTest);

}  // namespace
}  // namespace haetae::api::testing
