// Bad input over real sockets (issue 2, invariant 7): each case gets its status and error code,
// the server keeps serving, and nothing in the store changes.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "client/http_client.h"
#include "client/node_url.h"
#include "raw_http.h"
#include "server_process.h"
#include "test_accounts.h"

namespace haetae::testing {
namespace {

namespace json = boost::json;

struct bad_case {
  std::string what;
  std::string op;
  std::string body;
  std::string token;  // "" none, else a raw Authorization header value
  int status;
  std::string code;
};

std::string error_code_of(const std::string& body) {
  json::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("error")) return "<no error object>";
  return std::string(v.at("error").at("code").as_string());
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<server_process>(dir_.path() / "data");
    node_ = client::node_url::parse(server_->url()).value();
    alice_ = make_user(node_, "alice");
    bob_ = make_user(node_, "bob");
    carol_ = make_user(node_, "carol");
    room_ = open_direct(node_, alice_, bob_);
    must_call(node_, alice_.token, "send",
              {{"room_id", room_.value}, {"client_id", "first"}, {"body", "before"}});
  }

  // Everything a bad request could have touched.
  std::string snapshot() {
    json::object state;
    state["alice_rooms"] = must_call(node_, alice_.token, "rooms.list", {});
    state["carol_rooms"] = must_call(node_, carol_.token, "rooms.list", {});
    state["history"] = must_call(node_, alice_.token, "history", {{"room_id", room_.value}});
    state["friends"] = must_call(node_, alice_.token, "friends.list", {});
    return json::serialize(state);
  }

  temp_dir dir_;
  std::unique_ptr<server_process> server_;
  client::node_url node_;
  test_user alice_, bob_, carol_;
  room_id room_;
};

TEST_F(BadInputTest, EveryBadRequestGetsItsErrorAndChangesNothing) {
  const std::string alice = "Bearer " + alice_.token;
  const std::string carol = "Bearer " + carol_.token;
  const std::string room = std::to_string(room_.value);
  const std::string too_long_message(16 * 1024 + 1, 'x');
  const std::vector<bad_case> cases = {
      {"malformed JSON", "send", "{\"room_id\":", alice, 400, "bad_request"},
      {"not an object", "send", "[1,2,3]", alice, 400, "bad_request"},
      {"deep nesting", "send", std::string(5000, '['), alice, 400, "bad_request"},
      {"wrong type", "send", "{\"room_id\":\"x\",\"client_id\":\"c\",\"body\":\"b\"}", alice, 400,
       "invalid_field"},
      {"missing client id", "send", "{\"room_id\":" + room + ",\"body\":\"b\"}", alice, 400,
       "invalid_field"},
      {"bad client id", "send", "{\"room_id\":" + room + ",\"client_id\":\"a b\",\"body\":\"b\"}",
       alice, 400, "invalid_field"},
      {"empty message", "send", "{\"room_id\":" + room + ",\"client_id\":\"e\",\"body\":\"\"}",
       alice, 400, "invalid_field"},
      {"too long message", "send",
       "{\"room_id\":" + room + ",\"client_id\":\"l\",\"body\":\"" + too_long_message + "\"}",
       alice, 400, "field_too_long"},
      {"invalid UTF-8", "send",
       "{\"room_id\":" + room + ",\"client_id\":\"u\",\"body\":\"\xff\xfe\"}", alice, 400,
       "bad_request"},
      {"unknown op", "launch.missiles", "{}", alice, 404, "unknown_op"},
      {"oversized body", "send", std::string(70000, ' '), alice, 413, "payload_too_large"},
      {"no token", "rooms.list", "{}", "", 401, "unauthorized"},
      {"malformed token", "rooms.list", "{}", "Bearer not-a-token", 401, "unauthorized"},
      {"forged token", "rooms.list", "{}", "Bearer " + std::string(64, 'a'), 401, "unauthorized"},
      {"not a member: send", "send",
       "{\"room_id\":" + room + ",\"client_id\":\"c1\",\"body\":\"hi\"}", carol, 403,
       "not_room_member"},
      {"not a member: history", "history", "{\"room_id\":" + room + "}", carol, 403,
       "not_room_member"},
      {"not a member: read", "read", "{\"room_id\":" + room + ",\"seq\":1}", carol, 403,
       "not_room_member"},
      {"not a member: invite", "rooms.invite", "{\"room_id\":" + room + ",\"members\":[\"carol\"]}",
       carol, 403, "not_room_member"},
      {"no such room", "send", "{\"room_id\":999999,\"client_id\":\"c2\",\"body\":\"hi\"}", alice,
       404, "not_found"},
      {"negative seq", "read", "{\"room_id\":" + room + ",\"seq\":-1}", alice, 400,
       "invalid_field"},
      {"page over the limit", "history", "{\"room_id\":" + room + ",\"limit\":501}", alice, 400,
       "invalid_field"},
      {"friend who does not exist", "friends.add", "{\"name\":\"nobody\"}", alice, 404,
       "not_found"},
      {"too long user name", "signup",
       "{\"name\":\"" + std::string(33, 'n') + "\",\"password\":\"long enough\"}", "", 400,
       "field_too_long"},
      {"bad user name", "signup", "{\"name\":\"Bad Name!\",\"password\":\"long enough\"}", "", 400,
       "invalid_field"},
      {"short password", "signup", "{\"name\":\"dave\",\"password\":\"short\"}", "", 400,
       "invalid_field"},
      {"taken name", "signup", "{\"name\":\"alice\",\"password\":\"long enough\"}", "", 409,
       "name_taken"},
      {"wrong password", "login", "{\"name\":\"alice\",\"password\":\"wrong password\"}", "", 401,
       "invalid_credentials"},
  };

  const std::string before = snapshot();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    std::string headers = c.token.empty() ? "" : "Authorization: " + c.token + "\r\n";
    auto response = raw_http(server_->port(), "POST", "/api/" + c.op, c.body, headers);
    EXPECT_EQ(response.status, c.status) << response.body;
    EXPECT_EQ(error_code_of(response.body), c.code) << response.body;
  }
  EXPECT_EQ(raw_http(server_->port(), "GET", "/healthz", "").status, 200);
  EXPECT_EQ(snapshot(), before) << "a bad request changed the store";
}

TEST_F(BadInputTest, MessageAtTheLimitIsAcceptedAndOneByteOverIsNot) {
  const std::string at_limit(16 * 1024, 'x');
  auto ok = client::http_call(node_, "send",
                              {{"room_id", room_.value}, {"client_id", "at"}, {"body", at_limit}},
                              alice_.token);
  ASSERT_TRUE(ok) << ok.err().text();
  auto over = client::http_call(
      node_, "send", {{"room_id", room_.value}, {"client_id", "over"}, {"body", at_limit + "x"}},
      alice_.token);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.code(), errc::field_too_long);
}

}  // namespace
}  // namespace haetae::testing
