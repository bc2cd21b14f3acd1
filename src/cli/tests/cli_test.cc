// The `haetae` binary from outside: exit codes, messages, and a whole session against a real
// server (signup, friend, dm, send, rooms, follow) plus a short bench.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/tests/run_shell.h"
#include "client/local_server.h"

namespace haetae::cli {
namespace {

using testing::outcome;

// Runs the binary through the shell, bounded by timeout(1).
outcome haetae(const std::string& args, int limit_s = 120) {
  return testing::run_shell("timeout " + std::to_string(limit_s) + " " + HAETAE_BINARY + " " +
                            args);
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/haetae-cli-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void start_server() {
    auto s = client::local_server::start(HAETAE_BINARY);
    ASSERT_TRUE(s) << s.err().text();
    server_.emplace(std::move(*s));
  }
  std::string as(const std::string& who) { return " --session " + dir_ + "/" + who; }

  std::string dir_;
  std::optional<client::local_server> server_;
};

TEST_F(CliTest, NoCommandPrintsUsageAndExitsTwo) {
  auto o = haetae("");
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.out.find("haetae send"), std::string::npos);
}

TEST_F(CliTest, UnknownCommandExitsTwo) { EXPECT_EQ(haetae("frobnicate").rc, 2); }

TEST_F(CliTest, BadArgumentsPrintUsageAndExitTwo) {
  auto o = haetae("send 12" + as("nobody"));
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.out.find("usage:"), std::string::npos);
  EXPECT_EQ(haetae("send notaroom hi" + as("nobody")).rc, 2);
  EXPECT_EQ(haetae("bench --clients x").rc, 2);
  EXPECT_EQ(haetae("bench --bogus 1").rc, 2);
  EXPECT_EQ(haetae("friend hug someone" + as("nobody")).rc, 2);
}

TEST_F(CliTest, WithoutSessionExitsOneWithAMessage) {
  auto o = haetae("rooms" + as("nobody"));
  EXPECT_EQ(o.rc, 1);
  EXPECT_NE(o.out.find("not logged in"), std::string::npos);
}

TEST_F(CliTest, ConversationFromSignupToFollow) {
  start_server();
  const std::string server = " --server " + server_->url();
  auto a = haetae("signup minji --password password123" + server + as("minji"));
  ASSERT_EQ(a.rc, 0) << a.out;
  ASSERT_EQ(haetae("signup jun --password password123" + server + as("jun")).rc, 0);

  auto wrong = haetae("login jun --password wrongpassword" + server + as("jun2"));
  EXPECT_EQ(wrong.rc, 1);
  EXPECT_NE(wrong.out.find("invalid_credentials"), std::string::npos) << wrong.out;

  auto f = haetae("friend add jun" + as("minji"));
  EXPECT_EQ(f.rc, 0) << f.out;
  EXPECT_NE(f.out.find("jun"), std::string::npos);

  auto dm = haetae("dm jun" + as("minji"));
  ASSERT_EQ(dm.rc, 0) << dm.out;
  const std::string room = dm.out.substr(0, dm.out.find('\n'));
  EXPECT_EQ(haetae("dm minji" + as("jun")).out, dm.out) << "one room per pair";

  auto sent = haetae("send " + room + " '안녕 jun'" + as("minji"));
  EXPECT_EQ(sent.rc, 0) << sent.out;
  EXPECT_NE(sent.out.find("seq"), std::string::npos);

  auto rooms = haetae("rooms" + as("jun"));
  EXPECT_EQ(rooms.rc, 0) << rooms.out;
  EXPECT_NE(rooms.out.find("(1)"), std::string::npos) << "one unread: " << rooms.out;
  EXPECT_NE(rooms.out.find("안녕 jun"), std::string::npos);

  auto follow = haetae("follow " + room + " --from 0 --count 4 --seconds 60" + as("jun"));
  EXPECT_EQ(follow.rc, 0) << follow.out;
  EXPECT_NE(follow.out.find("minji: 안녕 jun"), std::string::npos) << follow.out;

  auto refused = haetae("send 99999 hi" + as("minji"));
  EXPECT_EQ(refused.rc, 1);
  EXPECT_NE(refused.out.find("haetae: "), std::string::npos);

  EXPECT_EQ(haetae("logout" + as("minji")).rc, 0);
  EXPECT_EQ(haetae("rooms" + as("minji")).rc, 1) << "logged out";
}

TEST_F(CliTest, ShortBenchWritesItsReport) {
  const std::string report = dir_ + "/bench-report.json";
  auto o = haetae("bench --clients 4 --seconds 1 --warmup 0.2 --report " + report, 300);
  ASSERT_EQ(o.rc, 0) << o.out;
  std::ifstream in(report);
  std::stringstream text;
  text << in.rdbuf();
  auto v = boost::json::parse(text.str());
  for (const char* key : {"mode", "delivered_per_s", "acked_per_s", "p50_ms", "p99_ms",
                          "server_rss_mb", "clients", "messages"}) {
    EXPECT_TRUE(v.as_object().contains(key)) << key;
  }
  EXPECT_EQ(v.at("clients").to_number<int>(), 4);
  EXPECT_GT(v.at("messages").to_number<double>(), 0);
  EXPECT_EQ(v.at("duplicates").to_number<int>(), 0);
}

TEST_F(CliTest, IdleBenchReportsMemoryPerConnection) {
  const std::string report = dir_ + "/idle.json";
  auto o = haetae("bench --idle 20 --report " + report, 300);
  ASSERT_EQ(o.rc, 0) << o.out;
  EXPECT_NE(o.out.find("per connection"), std::string::npos);
}

}  // namespace
}  // namespace haetae::cli
