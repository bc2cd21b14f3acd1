// No input crashes a node (invariant 7): seeded random mutations of valid requests, for every
// op, over real HTTP. Each gets a JSON answer (a result or a typed error), the node keeps
// serving, and the room it was fed stays gap-free. Reproduce with HAETAE_TEST_SEED=<printed>.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <random>
#include <set>

#include "chat_fixture.h"
#include "raw_http.h"

namespace haetae::testing {
namespace {

namespace json = boost::json;

std::string mutate(std::string s, std::mt19937_64& rng) {
  auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  static const std::vector<std::string> tokens = {"-1",
                                                  "0",
                                                  "1e308",
                                                  "9223372036854775808",
                                                  "null",
                                                  "true",
                                                  "\"\"",
                                                  "[]",
                                                  "{}",
                                                  "\"\xc3\x28\"",
                                                  "\"\\u0000\"",
                                                  "\"\\ud800\"",
                                                  std::string(300, 'x'),
                                                  ",",
                                                  ":",
                                                  "\""};
  int edits = 1 + static_cast<int>(pick(3));
  for (int i = 0; i < edits; ++i) {
    std::size_t at = pick(s.size() + 1);
    switch (pick(6)) {
      case 0:  // flip a byte
        if (!s.empty()) s[pick(s.size())] = static_cast<char>(rng());
        break;
      case 1:  // insert a hostile token
        s.insert(at, tokens[pick(tokens.size())]);
        break;
      case 2:  // delete a range
        s.erase(at, pick(8));
        break;
      case 3:  // truncate
        s.resize(at);
        break;
      case 4:  // duplicate a range
        s.insert(at, s.substr(pick(s.size() + 1), pick(16)));
        break;
      default:  // wrap
        s = "[" + s + "]";
        break;
    }
  }
  return s;
}

TEST(RobustnessTest, MutatedRequestsGetJsonAnswersAndNeverStopTheNode) {
  std::uint64_t seed = 20261124;
  if (const char* env = std::getenv("HAETAE_TEST_SEED")) seed = std::strtoull(env, nullptr, 10);
  std::printf("HAETAE_TEST_SEED=%llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);

  two_users_in_a_room chat;
  const std::string room = std::to_string(chat.room.value);
  const std::string auth = "Authorization: Bearer " + chat.alice.token + "\r\n";
  const std::vector<std::pair<std::string, std::string>> valid = {
      {"signup", R"({"name":"dave","password":"correct horse","display_name":"D"})"},
      {"login", R"({"name":"alice","password":"correct horse","device":"x"})"},
      {"send", R"({"room_id":)" + room + R"(,"client_id":"c1","body":"hello"})"},
      {"history", R"({"room_id":)" + room + R"(,"before":5,"limit":10})"},
      {"sync", R"({"room_id":)" + room + R"(,"after":0,"limit":10})"},
      {"changes", R"({"since":0,"limit":10})"},
      {"read", R"({"room_id":)" + room + R"(,"seq":2})"},
      {"rooms.create", R"({"client_id":"g","title":"t","members":["bob"]})"},
      {"rooms.invite", R"({"room_id":)" + room + R"(,"members":["bob"]})"},
      {"rooms.direct", R"({"name":"bob"})"},
      {"rooms.get", R"({"room_id":)" + room + "}"},
      {"friends.add", R"({"name":"bob"})"},
      {"profile.update", R"({"display_name":"앨리스"})"},
  };
  const std::set<int> statuses = {200, 400, 401, 403, 404, 409, 413, 429, 503};

  constexpr int rounds = 400;
  for (int i = 0; i < rounds; ++i) {
    const auto& [op, body] = valid[i % valid.size()];
    std::string mutated = mutate(body, rng);
    auto response = raw_http(chat.server.port(), "POST", "/api/" + op, mutated, auth);
    ASSERT_TRUE(statuses.contains(response.status))
        << "round " << i << " op " << op << " status " << response.status << " body " << mutated;
    json::error_code ec;
    auto answer = json::parse(response.body, ec);
    ASSERT_FALSE(ec) << "round " << i << ": not JSON: " << response.body;
    ASSERT_TRUE(answer.is_object());
    if (response.status != 200) {
      ASSERT_TRUE(answer.as_object().contains("error")) << response.body;
    }
  }
  EXPECT_EQ(raw_http(chat.server.port(), "GET", "/healthz", "").status, 200);

  // Whatever was accepted was stored in one gap-free order.
  auto page = must_call(chat.node, chat.alice.token, "sync",
                        {{"room_id", chat.room.value}, {"after", 0}, {"limit", 500}});
  std::int64_t previous = 0;
  for (const auto& e : page.at("events").as_array()) {
    std::int64_t seq = e.at("seq").as_int64();
    if (previous != 0) {
      EXPECT_EQ(seq, previous + 1);
    }
    previous = seq;
  }
}

}  // namespace
}  // namespace haetae::testing
