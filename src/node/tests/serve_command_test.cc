// `haetae serve` as users run it: the real binary, its flags, its port file and its signals.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "net/tests/test_client.h"

extern char** environ;

namespace haetae::node {
namespace {

using namespace std::chrono_literals;
using net::testing::http_call;

std::filesystem::path fresh_dir(const std::string& name) {
  std::random_device rd;
  auto p = std::filesystem::temp_directory_path() /
           ("haetae-serve-" + name + "-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(p);
  return p;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A child process with stdout and stderr in `log`.
class child {
 public:
  child(const std::vector<std::string>& args, const std::filesystem::path& log) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(HAETAE_BINARY));
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (posix_spawn(&pid_, HAETAE_BINARY, &fa, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
      exited_ = true;  // never started: wait_exit reports -1
      status_ = -1;
    }
    posix_spawn_file_actions_destroy(&fa);
  }
  ~child() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
  }
  bool running() {
    if (exited_) return false;
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
      exited_ = true;
      status_ = st;
    }
    return !exited_;
  }
  void signal(int sig) { ::kill(pid_, sig); }
  // The exit code, or -1 if it did not exit in time (a hang) or died by a signal.
  int wait_exit(std::chrono::seconds limit = 60s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(10ms);
    if (!exited_) return -1;
    return pid_ > 0 && WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

// Waits (bounded) for the port file; 0 if the child exited or it never came.
int wait_for_port(child& c, const std::filesystem::path& port_file) {
  for (int i = 0; i < 6000; ++i) {
    if (std::filesystem::exists(port_file)) return std::stoi(slurp(port_file));
    if (!c.running()) return 0;
    std::this_thread::sleep_for(10ms);
  }
  return 0;
}

class ServeCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::vector<std::string> serve_args() {
    return {"serve",       "--data",      (dir_ / "data").string(), "--listen",
            "127.0.0.1:0", "--port-file", (dir_ / "port").string(), "--fast-password-hashing"};
  }
  std::filesystem::path dir_;
};

TEST_F(ServeCommandTest, WritesThePortServesAndStopsCleanlyOnSigterm) {
  child c(serve_args(), dir_ / "log");
  ASSERT_GT(c.pid(), 0);
  int port = wait_for_port(c, dir_ / "port");
  ASSERT_GT(port, 0) << slurp(dir_ / "log");
  EXPECT_EQ(http_call(static_cast<std::uint16_t>(port), "GET", "/healthz").status, 200);
  c.signal(SIGTERM);
  EXPECT_EQ(c.wait_exit(), 0) << slurp(dir_ / "log");
  EXPECT_NE(slurp(dir_ / "log").find("haetae serving on http://127.0.0.1:" + std::to_string(port)),
            std::string::npos);
}

TEST_F(ServeCommandTest, AccountsSurviveARestartAfterSigint) {
  {
    child c(serve_args(), dir_ / "log1");
    int port = wait_for_port(c, dir_ / "port");
    ASSERT_GT(port, 0) << slurp(dir_ / "log1");
    auto r = http_call(static_cast<std::uint16_t>(port), "POST", "/api/signup",
                       R"({"name":"minji","password":"password123"})");
    ASSERT_EQ(r.status, 200) << r.body;
    c.signal(SIGINT);
    ASSERT_EQ(c.wait_exit(), 0) << slurp(dir_ / "log1");
  }
  std::filesystem::remove(dir_ / "port");
  child c(serve_args(), dir_ / "log2");
  int port = wait_for_port(c, dir_ / "port");
  ASSERT_GT(port, 0) << slurp(dir_ / "log2");
  auto r = http_call(static_cast<std::uint16_t>(port), "POST", "/api/login",
                     R"({"name":"minji","password":"password123"})");
  EXPECT_EQ(r.status, 200) << r.body;
  c.signal(SIGTERM);
  EXPECT_EQ(c.wait_exit(), 0);
}

TEST_F(ServeCommandTest, BadFlagPrintsUsageAndExitsWith2) {
  child c({"serve", "--bogus"}, dir_ / "log");
  EXPECT_EQ(c.wait_exit(), 2);
  EXPECT_NE(slurp(dir_ / "log").find("usage: haetae serve"), std::string::npos);
}

TEST_F(ServeCommandTest, MalformedListenExitsWith2) {
  child c({"serve", "--listen", "localhost"}, dir_ / "log");
  EXPECT_EQ(c.wait_exit(), 2);
}

TEST_F(ServeCommandTest, BadClusterFlagsExitWith2AndSayWhy) {
  struct bad_case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const auto& [args, says] : std::vector<bad_case>{
           {{"serve", "--node-url", "198.18.0.11:8080"}, "--node-url wants an http://"},
           {{"serve", "--postgres-local", "host=x"}, "--postgres-local needs --postgres"},
           {{"serve", "--stall-after", "0"}, "--stall-after wants milliseconds"},
           {{"serve", "--stall-after", "5s"}, "--stall-after wants milliseconds"}}) {
    child c(args, dir_ / "log");
    EXPECT_EQ(c.wait_exit(), 2) << says;
    EXPECT_NE(slurp(dir_ / "log").find(says), std::string::npos) << slurp(dir_ / "log");
  }
}

TEST_F(ServeCommandTest, UnopenableDataDirRefusesToStart) {
  std::ofstream(dir_ / "file") << "x";
  child c({"serve", "--data", (dir_ / "file").string(), "--listen", "127.0.0.1:0"}, dir_ / "log");
  EXPECT_EQ(c.wait_exit(), 1);
  EXPECT_NE(slurp(dir_ / "log").find("haetae serve:"), std::string::npos);
}

}  // namespace
}  // namespace haetae::node
