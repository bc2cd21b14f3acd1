#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "net/tests/test_client.h"
#include "net/tests/test_server.h"

namespace haetae::net::testing {
namespace {

namespace json = boost::json;

std::unique_ptr<ws_client> authed(test_server& server, const std::string& token) {
  auto c = ws_client::connect(server.port());
  if (!c) return nullptr;
  auto reply = c->auth(token);
  if (!reply || json::parse(*reply).at("type") != "auth_ok") return nullptr;
  return c;
}

TEST(PushHubTest, PushesFromOneThreadArriveInOrder) {
  test_server server;
  auto c = authed(server, "token-1-1");
  ASSERT_TRUE(c);
  for (int i = 0; i < 500; ++i)
    server.push({1}, R"({"type":"event","n":)" + std::to_string(i) + "}");
  for (int i = 0; i < 500; ++i) {
    auto f = c->read();
    ASSERT_TRUE(f);
    EXPECT_EQ(json::parse(*f).at("n").as_int64(), i);
  }
}

TEST(PushHubTest, ConcurrentPushersKeepEachOnesOrderOnEverySocket) {
  test_server server;
  auto a = authed(server, "token-2-1");
  auto b = authed(server, "token-2-2");
  ASSERT_TRUE(a && b);
  constexpr int threads = 4;
  constexpr int per_thread = 200;
  std::vector<std::thread> pushers;
  for (int t = 0; t < threads; ++t) {
    pushers.emplace_back([&server, t] {
      for (int i = 0; i < per_thread; ++i) {
        server.push({2}, R"({"type":"event","t":)" + std::to_string(t) + R"(,"n":)" +
                             std::to_string(i) + "}");
      }
    });
  }
  for (auto& p : pushers) p.join();
  for (auto* c : {a.get(), b.get()}) {
    std::map<std::int64_t, std::int64_t> next;  // pusher → next expected n
    for (int i = 0; i < threads * per_thread; ++i) {
      auto f = c->read();
      ASSERT_TRUE(f);
      auto v = json::parse(*f);
      auto t = v.at("t").as_int64();
      EXPECT_EQ(v.at("n").as_int64(), next[t]++);
    }
    for (int t = 0; t < threads; ++t) EXPECT_EQ(next[t], per_thread);
  }
}

TEST(PushHubTest, PushToNobodyConnectedIsDropped) {
  test_server server;
  server.push({42}, R"({"type":"event"})");
  auto c = authed(server, "token-42-1");
  ASSERT_TRUE(c);
  server.push({42}, R"({"type":"event","n":2})");
  EXPECT_EQ(json::parse(c->read().value_or("null")).at("n"), 2);
}

}  // namespace
}  // namespace haetae::net::testing
