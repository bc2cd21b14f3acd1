// The dispatcher's lifecycle: every admitted request gets exactly one reply, even when the
// dispatcher is destroyed with requests in flight.
#include <atomic>
#include <set>

#include "api/tests/dispatcher_fixture.h"

namespace haetae::api::testing {
namespace {

using DispatcherLifecycleTest = DispatcherTest;

TEST_P(DispatcherLifecycleTest, DestructionWaitsForEveryReplyInFlight) {
  auto minji = user("minji");
  auto room = ok(minji, "rooms.create", R"({"client_id":"g","title":"t"})");
  std::string room_field =
      R"("room_id":)" + std::to_string(room["room"].as_object()["id"].as_int64());
  constexpr int sends = 200;
  std::atomic<int> replies{0};
  std::atomic<int> failures{0};
  for (int i = 0; i < sends; ++i) {
    auto params = boost::json::parse("{" + room_field + R"(,"client_id":"c)" + std::to_string(i) +
                                     R"(","body":"x"})")
                      .as_object();
    dispatcher_->call(minji, "send", params, [&](result<boost::json::object> r) {
      if (!r) ++failures;
      ++replies;
    });
    dispatcher_->call(minji, "me", {}, [&](result<boost::json::object> r) {
      if (!r) ++failures;
      ++replies;
    });
  }
  dispatcher_.reset();
  EXPECT_EQ(replies.load(), 2 * sends);
  EXPECT_EQ(failures.load(), 0);
  // Every acknowledged send is in the room, once.
  restart(dispatcher_options{});
  auto page = ok(minji, "history", "{" + room_field + R"(,"limit":500})");
  int messages = 0;
  for (auto& e : page["events"].as_array()) {
    if (e.as_object().at("kind") == "message") ++messages;
  }
  EXPECT_EQ(messages, sends);
}

TEST_P(DispatcherLifecycleTest, EachSendIsPushedOnceToEveryMember) {
  auto minji = user("minji");
  auto jun = user("jun");
  auto room = ok(minji, "rooms.direct", R"({"name":"jun"})");
  std::string room_field =
      R"("room_id":)" + std::to_string(room["room"].as_object()["id"].as_int64());
  sink_.clear();
  for (int i = 0; i < 20; ++i) {
    ok(i % 2 ? minji : jun, "send",
       "{" + room_field + R"(,"client_id":"c)" + std::to_string(i) + R"(","body":"x"})");
  }
  auto frames = sink_.frames();
  ASSERT_EQ(frames.size(), 20u);
  std::set<std::int64_t> seqs;
  for (auto& f : frames) {
    EXPECT_EQ(f.users.size(), 2u);
    seqs.insert(f.body["event"].as_object()["seq"].as_int64());
  }
  EXPECT_EQ(seqs.size(), 20u);
  EXPECT_EQ(*seqs.rbegin() - *seqs.begin(), 19);  // consecutive: no gap
}

TEST_P(DispatcherLifecycleTest, FailedCommitRepliesTheErrorPushesNothingAndRetryIsSafe) {
  auto minji = user("minji");
  auto room = ok(minji, "rooms.create", R"({"client_id":"g","title":"t"})");
  std::string send = R"({"room_id":)" + std::to_string(room["room"].as_object()["id"].as_int64()) +
                     R"(,"client_id":"c1","body":"x"})";
  sink_.clear();
  store_->test_fail_writes(errc::store_unavailable);
  EXPECT_EQ(call(minji, "send", send).code(), errc::store_unavailable);
  EXPECT_EQ(call(minji, "rooms.create", R"({"client_id":"g2","title":"t"})").code(),
            errc::store_unavailable);
  EXPECT_EQ(call(minji, "read", R"({"room_id":1,"seq":1})").code(), errc::store_unavailable);
  EXPECT_TRUE(sink_.frames().empty());
  store_->test_fail_writes(errc::ok);
  // The client resends with the same client id after the doubt: stored once, pushed once.
  auto first = ok(minji, "send", send);
  auto again = ok(minji, "send", send);
  EXPECT_EQ(first["duplicate"], false);
  EXPECT_EQ(again["duplicate"], true);
  EXPECT_EQ(again["seq"], first["seq"]);
  EXPECT_EQ(sink_.frames().size(), 1u);
  EXPECT_EQ(ok(minji, "rooms.list")["rooms"].as_array().size(), 1u);
}

HAETAE_ALL_BACKENDS(DispatcherLifecycleTest);

}  // namespace
}  // namespace haetae::api::testing
