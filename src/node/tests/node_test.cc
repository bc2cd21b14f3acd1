#include "node/node.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "net/tests/test_client.h"

namespace haetae::node {
namespace {

namespace json = boost::json;
using net::testing::http_call;
using net::testing::ws_client;

std::filesystem::path fresh_dir(const std::string& name) {
  std::random_device rd;
  auto p = std::filesystem::temp_directory_path() /
           ("haetae-node-" + name + "-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(p);
  return p;
}

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    node_options o;
    o.data_dir = (dir_ / "data").string();
    o.host = "127.0.0.1";
    o.port = 0;
    o.fast_password_hashing = true;
    auto n = node::start(o);
    ASSERT_TRUE(n) << n.err().text();
    node_ = std::move(*n);
  }
  void TearDown() override {
    node_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  json::value post(const std::string& op, const std::string& body, const std::string& token = {},
                   int expect_status = 200) {
    auto r = http_call(node_->port(), "POST", "/api/" + op, body, token);
    EXPECT_EQ(r.status, expect_status) << op << " " << r.body;
    if (r.body.empty()) return nullptr;
    return json::parse(r.body);
  }

  // Signs up (once) and logs in a device; returns the token.
  std::string login(const std::string& name, const std::string& device) {
    auto r = http_call(node_->port(), "POST", "/api/signup",
                       R"({"name":")" + name + R"(","password":"password123"})");
    EXPECT_TRUE(r.status == 200 || r.status == 409) << r.body;
    auto v = post("login", R"({"name":")" + name + R"(","password":"password123","device":")" +
                               device + R"("})");
    return std::string(v.at("token").as_string());
  }

  std::unique_ptr<ws_client> connect(const std::string& token) {
    auto c = ws_client::connect(node_->port());
    if (!c) return nullptr;
    auto reply = c->auth(token);
    if (!reply || json::parse(*reply).at("type") != "auth_ok") return nullptr;
    return c;
  }

  std::filesystem::path dir_;
  std::unique_ptr<node> node_;
};

TEST_F(NodeTest, ServesHealthzAndNodes) {
  EXPECT_EQ(http_call(node_->port(), "GET", "/healthz").status, 200);
  auto r = http_call(node_->port(), "GET", "/api/nodes");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body).at("self").as_string(), node_->url());
  EXPECT_EQ(node_->url(), "http://127.0.0.1:" + std::to_string(node_->port()));
}

TEST_F(NodeTest, HttpOpsNeedAValidToken) {
  std::string token = login("minji", "phone");
  EXPECT_EQ(post("me", "{}", token).at("user").at("name"), "minji");
  EXPECT_EQ(post("me", "{}", "", 401).at("error").at("code"), "unauthorized");
  EXPECT_EQ(post("me", "{}", "forged-token", 401).at("error").at("code"), "unauthorized");
}

TEST_F(NodeTest, WebsocketRequestGetsItsResultByRid) {
  auto c = connect(login("minji", "phone"));
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->send(R"({"op":"me","rid":"r1"})"));
  auto v = json::parse(c->read().value_or("null"));
  EXPECT_EQ(v.at("type"), "result");
  EXPECT_EQ(v.at("rid"), "r1");
  EXPECT_EQ(v.at("result").at("user").at("name"), "minji");
}

TEST_F(NodeTest, WebsocketBadTokenIsClosedWith1008) {
  auto c = ws_client::connect(node_->port());
  ASSERT_TRUE(c);
  auto reply = c->auth("forged-token");
  ASSERT_TRUE(reply);
  EXPECT_EQ(json::parse(*reply).at("error").at("code"), "unauthorized");
  for (int i = 0; i < 10 && !c->closed(); ++i) (void)c->read();
  EXPECT_EQ(c->close_code(), 1008);
}

TEST_F(NodeTest, SentMessageIsPushedToEveryDeviceOfEveryMember) {
  std::string minji_phone = login("minji", "phone");
  std::string minji_pc = login("minji", "pc");
  std::string jun_phone = login("jun", "phone");
  auto phone = connect(minji_phone);
  auto pc = connect(minji_pc);
  auto jun = connect(jun_phone);
  ASSERT_TRUE(phone && pc && jun);

  auto room = post("rooms.direct", R"({"name":"jun"})", minji_phone);
  auto room_id = room.at("room").at("id").as_int64();
  // Whatever the room's creation pushed, the message push is the one with our client id.
  ASSERT_TRUE(phone->send(R"({"op":"send","rid":5,"room_id":)" + std::to_string(room_id) +
                          R"(,"client_id":"c1","body":"안녕하세요"})"));

  auto find_message = [](ws_client& c, bool want_result) {
    json::value found = nullptr;
    for (int i = 0; i < 20 && found.is_null(); ++i) {
      auto f = c.read();
      if (!f) break;
      auto v = json::parse(*f);
      if (want_result && v.at("type") == "result") found = v;
      if (!want_result && v.at("type") == "event" && v.at("event").at("kind") == "message")
        found = v;
    }
    return found;
  };
  auto ack = find_message(*phone, true);
  ASSERT_TRUE(ack.is_object());
  EXPECT_EQ(ack.at("rid"), 5);
  auto seq = ack.at("result").at("seq").as_int64();
  for (auto* c : {pc.get(), jun.get()}) {
    auto push = find_message(*c, false);
    ASSERT_TRUE(push.is_object());
    EXPECT_EQ(push.at("event").at("seq").as_int64(), seq);
    EXPECT_EQ(push.at("event").at("body"), "안녕하세요");
    EXPECT_EQ(push.at("event").at("client_id"), "c1");
  }
}

TEST(NodeStartTest, RefusesToStartWhenTheStoreCannotOpen) {
  auto dir = fresh_dir("refuse");
  auto file = dir / "not-a-dir";
  std::ofstream(file) << "x";
  node_options o;
  o.data_dir = file.string();
  o.port = 0;
  auto n = node::start(o);
  ASSERT_FALSE(n);
  EXPECT_FALSE(n.err().text().empty());
  std::filesystem::remove_all(dir);
}

TEST(NodeStartTest, RefusesABusyPort) {
  auto dir = fresh_dir("busy");
  node_options o;
  o.data_dir = (dir / "a").string();
  o.port = 0;
  o.fast_password_hashing = true;
  auto first = node::start(o);
  ASSERT_TRUE(first) << first.err().text();
  o.data_dir = (dir / "b").string();
  o.port = (*first)->port();
  auto second = node::start(o);
  EXPECT_FALSE(second);
  first->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haetae::node
