#include "server_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace haetae::testing {

namespace {
constexpr int start_timeout_ms = 60'000;  // a sanitizer build on a loaded 2-core machine is slow
constexpr int stop_timeout_ms = 20'000;
}  // namespace

server_process::server_process(std::filesystem::path data_dir, int port,
                               std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)),
      port_file_(data_dir_ / "port"),
      port_(port),
      extra_args_(std::move(extra_args)) {
  start();
}

server_process::~server_process() {
  if (pid_ > 0) stop();
}

void server_process::start() {
  std::filesystem::create_directories(data_dir_);
  std::filesystem::remove(port_file_);
  std::string listen = "127.0.0.1:" + std::to_string(port_);
  std::string data = data_dir_.string();
  std::string port_file = port_file_.string();
  std::string log = (data_dir_ / "server.log").string();
  std::vector<std::string> args = {HAETAE_BINARY, "serve",    "--data",
                                   data,          "--listen", listen,
                                   "--port-file", port_file,  "--fast-password-hashing"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Child: append to a log beside the data so a failing test can show it.
    FILE* out = std::fopen(log.c_str(), "a");
    if (out) {
      dup2(fileno(out), 1);
      dup2(fileno(out), 2);
    }
    execv(HAETAE_BINARY, argv.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(start_timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(port_file_);
    int port = 0;
    if (in >> port && port > 0) {
      port_ = port;
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("haetae serve exited at start; see " + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill_hard();
  throw std::runtime_error("haetae serve did not report its port in time; see " + log);
}

int server_process::wait_for_exit(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

void server_process::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void server_process::restart() {
  if (pid_ > 0) kill_hard();
  start();
}

int server_process::stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = wait_for_exit(stop_timeout_ms);
  if (status == -1) {
    kill_hard();
    return -1;
  }
  return status;
}

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "haetae-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace haetae::testing
