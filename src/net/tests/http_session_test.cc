#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "net/tests/test_client.h"
#include "net/tests/test_server.h"

namespace haetae::net::testing {
namespace {

namespace json = boost::json;

std::string error_code_of(const http_reply& r) {
  auto v = json::parse(r.body);
  return std::string(v.at("error").at("code").as_string());
}

TEST(HttpSessionTest, HealthzIsOk) {
  test_server server;
  auto r = http_call(server.port(), "GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
}

TEST(HttpSessionTest, UnknownPathIsNotFoundWithJsonError) {
  test_server server;
  auto r = http_call(server.port(), "GET", "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_code_of(r), "not_found");
}

TEST(HttpSessionTest, NodesListsItself) {
  test_server server;
  auto r = http_call(server.port(), "GET", "/api/nodes");
  ASSERT_EQ(r.status, 200);
  auto self = "http://127.0.0.1:" + std::to_string(server.port());
  auto v = json::parse(r.body);
  EXPECT_EQ(v.at("self").as_string(), self);
  ASSERT_EQ(v.at("nodes").as_array().size(), 1u);
  EXPECT_EQ(v.at("nodes").as_array()[0].as_string(), self);
}

TEST(HttpSessionTest, KeepAliveCarriesSeveralRequests) {
  test_server server;
  auto c = http_connection::connect(server.port());
  ASSERT_TRUE(c);
  for (int i = 0; i < 3; ++i) {
    auto r = c->send("POST", "/api/echo", R"({"n":)" + std::to_string(i) + "}", "token-1-1");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"n":)" + std::to_string(i) + "}");
    EXPECT_TRUE(r.keep_alive);
  }
}

TEST(HttpSessionTest, OpWithTokenReturnsItsResult) {
  test_server server;
  auto r = http_call(server.port(), "POST", "/api/whoami", "{}", "token-7-9");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"user_id":7,"device_id":9})");
}

TEST(HttpSessionTest, EmptyBodyCountsAsEmptyObject) {
  test_server server;
  auto r = http_call(server.port(), "POST", "/api/echo", "", "token-1-1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
}

TEST(HttpSessionTest, OpWithoutAuthNeedsNoToken) {
  test_server server;
  auto r = http_call(server.port(), "POST", "/api/signup", R"({"name":"minji"})");
  EXPECT_EQ(r.status, 200);
}

TEST(HttpSessionTest, MissingTokenIsUnauthorized) {
  test_server server;
  auto r = http_call(server.port(), "POST", "/api/whoami", "{}");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(error_code_of(r), "unauthorized");
}

TEST(HttpSessionTest, ForgedTokenIsUnauthorized) {
  test_server server;
  auto r = http_call(server.port(), "POST", "/api/whoami", "{}", "forged");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(error_code_of(r), "unauthorized");
}

TEST(HttpSessionTest, NonObjectBodyIsBadRequest) {
  test_server server;
  for (std::string body : {"[1,2]", "not json", "\"s\"", "{\"a\":"}) {
    auto r = http_call(server.port(), "POST", "/api/echo", body, "token-1-1");
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(error_code_of(r), "bad_request") << body;
  }
}

TEST(HttpSessionTest, UnknownOpIsNotFound) {
  test_server server;
  auto r = http_call(server.port(), "POST", "/api/nosuchop", "{}", "token-1-1");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_code_of(r), "unknown_op");
}

TEST(HttpSessionTest, BodyAtTheLimitIsAccepted) {
  test_server server;
  std::string prefix = R"({"s":")";
  std::string body = prefix + std::string(65536 - prefix.size() - 2, 'x') + "\"}";
  ASSERT_EQ(body.size(), 65536u);
  auto r = http_call(server.port(), "POST", "/api/echo", body, "token-1-1");
  EXPECT_EQ(r.status, 200);
}

TEST(HttpSessionTest, BodyOneByteOverTheLimitIsPayloadTooLargeAndServerStillServes) {
  test_server server;
  std::string prefix = R"({"s":")";
  std::string body = prefix + std::string(65537 - prefix.size() - 2, 'x') + "\"}";
  ASSERT_EQ(body.size(), 65537u);
  auto r = http_call(server.port(), "POST", "/api/echo", body, "token-1-1");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(error_code_of(r), "payload_too_large");
  EXPECT_FALSE(r.keep_alive);
  EXPECT_EQ(http_call(server.port(), "GET", "/healthz").status, 200);
}

TEST(HttpSessionTest, ChunkedBodyOverTheLimitIsPayloadTooLarge) {
  test_server server;
  auto c = http_connection::connect(server.port());
  ASSERT_TRUE(c);
  std::string raw =
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-1-1\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) raw += "1000\r\n" + std::string(4096, 'x') + "\r\n";
  raw += "0\r\n\r\n";
  auto r = c->send_raw(raw);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(http_call(server.port(), "GET", "/healthz").status, 200);
}

TEST(HttpSessionTest, ExpectContinueGetsContinueThenTheResult) {
  test_server server;
  auto c = http_connection::connect(server.port());
  ASSERT_TRUE(c);
  std::string body = R"({"a":1})";
  std::string raw =
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-1-1\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  EXPECT_EQ(c->send_raw(raw).status, 100);
  auto r = c->read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, body);
}

TEST(HttpSessionTest, GetOnAnOpIsRefused) {
  test_server server;
  auto r = http_call(server.port(), "GET", "/api/echo", "", "token-1-1");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(error_code_of(r), "bad_request");
}

}  // namespace
}  // namespace haetae::net::testing
