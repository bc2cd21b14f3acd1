#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <string>
#include <thread>

#include "net/tests/test_client.h"
#include "net/tests/test_server.h"

namespace haetae::net::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

json::value parse(const std::optional<std::string>& frame) {
  if (!frame) return nullptr;
  return json::parse(*frame);
}

std::unique_ptr<ws_client> authed(test_server& server, const std::string& token) {
  auto c = ws_client::connect(server.port());
  if (!c) return nullptr;
  auto reply = parse(c->auth(token));
  if (!reply.is_object() || reply.at("type") != "auth_ok") return nullptr;
  return c;
}

// Reads frames until the server closes; bounded.
void expect_closed_with(ws_client& c, int code) {
  for (int i = 0; i < 10'000 && !c.closed(); ++i) (void)c.read();
  EXPECT_TRUE(c.closed());
  EXPECT_FALSE(c.timed_out());
  EXPECT_EQ(c.close_code(), code);
}

TEST(WebsocketSessionTest, AuthFrameGetsAuthOk) {
  test_server server;
  auto c = ws_client::connect(server.port());
  ASSERT_TRUE(c);
  auto v = parse(c->auth("token-3-12"));
  EXPECT_EQ(v, json::parse(R"({"type":"auth_ok","user_id":3,"device_id":12})"));
}

TEST(WebsocketSessionTest, BadTokenGetsErrorAndClose1008) {
  test_server server;
  auto c = ws_client::connect(server.port());
  ASSERT_TRUE(c);
  auto v = parse(c->auth("forged"));
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.at("type"), "error");
  EXPECT_EQ(v.at("error").at("code"), "unauthorized");
  expect_closed_with(*c, 1008);
}

TEST(WebsocketSessionTest, FirstFrameThatIsNotAuthGetsClose1008) {
  test_server server;
  auto c = ws_client::connect(server.port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->send(R"({"op":"whoami","rid":1})"));
  auto v = parse(c->read());
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.at("error").at("code"), "unauthorized");
  expect_closed_with(*c, 1008);
}

TEST(WebsocketSessionTest, NoAuthFrameInTimeGetsClose1008) {
  test_server server(200ms);
  auto c = ws_client::connect(server.port());
  ASSERT_TRUE(c);
  auto v = parse(c->read());
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.at("error").at("code"), "unauthorized");
  expect_closed_with(*c, 1008);
}

TEST(WebsocketSessionTest, RequestResultCarriesItsRid) {
  test_server server;
  auto c = authed(server, "token-4-1");
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->send(R"({"op":"whoami","rid":7})"));
  EXPECT_EQ(parse(c->read()),
            json::parse(R"({"type":"result","rid":7,"result":{"user_id":4,"device_id":1}})"));
  ASSERT_TRUE(c->send(R"({"op":"echo","rid":"abc","x":[1,2]})"));
  EXPECT_EQ(parse(c->read()), json::parse(R"({"type":"result","rid":"abc","result":{"x":[1,2]}})"));
}

TEST(WebsocketSessionTest, FailedRequestGetsErrorWithItsRid) {
  test_server server;
  auto c = authed(server, "token-4-1");
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->send(R"({"op":"nosuchop","rid":9})"));
  auto v = parse(c->read());
  EXPECT_EQ(v.at("type"), "error");
  EXPECT_EQ(v.at("rid"), 9);
  EXPECT_EQ(v.at("error").at("code"), "unknown_op");
}

TEST(WebsocketSessionTest, NonObjectFrameGetsErrorWithNullRidAndSocketStaysOpen) {
  test_server server;
  auto c = authed(server, "token-4-1");
  ASSERT_TRUE(c);
  for (std::string bad : {"[1]", "nope", "42"}) {
    ASSERT_TRUE(c->send(bad));
    auto v = parse(c->read());
    ASSERT_TRUE(v.is_object()) << bad;
    EXPECT_EQ(v.at("type"), "error");
    EXPECT_TRUE(v.at("rid").is_null());
    EXPECT_EQ(v.at("error").at("code"), "bad_request");
  }
  ASSERT_TRUE(c->send(R"({"op":"echo","rid":1})"));
  EXPECT_EQ(parse(c->read()).at("type"), "result");
}

TEST(WebsocketSessionTest, FrameAtTheLimitIsAccepted) {
  test_server server;
  auto c = authed(server, "token-4-1");
  ASSERT_TRUE(c);
  std::string prefix = R"({"op":"echo","rid":1,"s":")";
  std::string frame = prefix + std::string(65536 - prefix.size() - 2, 'x') + "\"}";
  ASSERT_EQ(frame.size(), 65536u);
  ASSERT_TRUE(c->send(frame));
  EXPECT_EQ(parse(c->read()).at("type"), "result");
}

TEST(WebsocketSessionTest, FrameOverTheLimitClosesWith1009AndServerStillServes) {
  test_server server;
  auto c = authed(server, "token-4-1");
  ASSERT_TRUE(c);
  (void)c->send(std::string(65537, 'x'));
  expect_closed_with(*c, 1009);
  auto d = authed(server, "token-4-2");
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->send(R"({"op":"echo","rid":1})"));
  EXPECT_EQ(parse(d->read()).at("type"), "result");
}

TEST(WebsocketSessionTest, TooManyPendingRequestsGetOverloaded) {
  test_server server;
  auto c = authed(server, "token-4-1");
  ASSERT_TRUE(c);
  for (int i = 0; i < 1000; ++i)
    ASSERT_TRUE(c->send(R"({"op":"hold","rid":)" + std::to_string(i) + "}"));
  ASSERT_TRUE(c->send(R"({"op":"hold","rid":"extra"})"));
  auto v = parse(c->read());
  EXPECT_EQ(v.at("rid"), "extra");
  EXPECT_EQ(v.at("error").at("code"), "overloaded");
  // The 1,000 are held, not lost: released, each gets its result.
  for (int i = 0; i < 3000 && server.held() < 1000; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(server.release_held(), 1000u);
  std::set<std::int64_t> rids;
  for (int i = 0; i < 1000; ++i) {
    auto r = parse(c->read());
    ASSERT_EQ(r.at("type"), "result");
    rids.insert(r.at("rid").as_int64());
  }
  EXPECT_EQ(rids.size(), 1000u);
  // Slots are free again.
  ASSERT_TRUE(c->send(R"({"op":"echo","rid":"after"})"));
  EXPECT_EQ(parse(c->read()).at("rid"), "after");
}

TEST(WebsocketSessionTest, PushReachesEverySocketOfTheUserAndNoOther) {
  test_server server;
  auto phone = authed(server, "token-5-1");
  auto pc = authed(server, "token-5-2");
  auto other = authed(server, "token-6-3");
  ASSERT_TRUE(phone && pc && other);
  ASSERT_EQ(server.sessions_of(5), 2u);
  server.push({5}, R"({"type":"event","n":1})");
  server.push({5, 6}, R"({"type":"event","n":2})");
  for (auto* c : {phone.get(), pc.get()}) {
    EXPECT_EQ(parse(c->read()).at("n"), 1);
    EXPECT_EQ(parse(c->read()).at("n"), 2);
  }
  // The first push was not for user 6: its first frame is the second push.
  EXPECT_EQ(parse(other->read()).at("n"), 2);
}

TEST(WebsocketSessionTest, ClosedSocketLeavesTheHub) {
  test_server server;
  {
    auto c = authed(server, "token-8-1");
    ASSERT_TRUE(c);
    ASSERT_EQ(server.sessions_of(8), 1u);
  }
  std::size_t n = 1;
  for (int i = 0; i < 3000 && n != 0; ++i) {
    n = server.sessions_of(8);
    if (n) std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(n, 0u);
}

TEST(WebsocketSessionTest, SlowConsumerIsClosedWith1008) {
  test_server server;
  auto c = authed(server, "token-9-1");
  ASSERT_TRUE(c);
  // 400 × 64 KiB = 25 MiB in one io turn: over the 4 MiB queue whatever the kernel buffers hold.
  std::string frame = R"({"type":"event","pad":")" + std::string(64 * 1024, 'p') + "\"}";
  server.deliver_burst(9, frame, 400);
  expect_closed_with(*c, 1008);
  // The server goes on.
  auto d = authed(server, "token-9-2");
  ASSERT_TRUE(d);
}

}  // namespace
}  // namespace haetae::net::testing
