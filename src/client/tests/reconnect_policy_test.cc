#include "client/reconnect_policy.h"

#include <gtest/gtest.h>

#include <set>

namespace haetae::client {
namespace {

using namespace std::chrono_literals;

TEST(ReconnectPolicyTest, FailureMovesToTheNextNode) {
  reconnect_policy p({"http://a:1", "http://b:1", "http://c:1"}, {}, 7);
  std::set<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    seen.insert(p.current());
    (void)p.on_failure();
  }
  EXPECT_EQ(seen.size(), 3u) << "three failures visit every node";
}

TEST(ReconnectPolicyTest, BackOffGrowsWithJitterUpToTheMax) {
  reconnect_options o;
  o.initial = 100ms;
  o.max = 1000ms;
  reconnect_policy p({"http://a:1"}, o, 1);
  auto d0 = p.on_failure();
  EXPECT_GE(d0, 50ms);
  EXPECT_LE(d0, 100ms);
  auto d1 = p.on_failure();
  EXPECT_GE(d1, 100ms);
  EXPECT_LE(d1, 200ms);
  (void)p.on_failure();           // base 400 ms
  (void)p.on_failure();           // base 800 ms
  for (int i = 0; i < 20; ++i) {  // base capped at 1000 ms
    auto d = p.on_failure();
    EXPECT_GE(d, 500ms);
    EXPECT_LE(d, 1000ms);
  }
}

TEST(ReconnectPolicyTest, SuccessResetsTheBackOff) {
  reconnect_options o;
  o.initial = 100ms;
  reconnect_policy p({"http://a:1"}, o, 3);
  for (int i = 0; i < 5; ++i) (void)p.on_failure();
  p.on_success();
  EXPECT_EQ(p.failures(), 0);
  EXPECT_LE(p.on_failure(), 100ms);
}

TEST(ReconnectPolicyTest, SameSeedSameDelays) {
  reconnect_policy a({"http://a:1", "http://b:1"}, {}, 42);
  reconnect_policy b({"http://a:1", "http://b:1"}, {}, 42);
  EXPECT_EQ(a.current(), b.current());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.on_failure(), b.on_failure());
}

}  // namespace
}  // namespace haetae::client
