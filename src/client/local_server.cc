#include "client/local_server.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "client/http_client.h"
#include "client/node_url.h"

namespace haetae::client {

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The port file holds the port (or host:port) once the node listens.
int parse_port(const std::string& text) {
  auto end = text.find_last_not_of(" \n\r\t");
  if (end == std::string::npos) return 0;
  std::string t = text.substr(0, end + 1);
  auto colon = t.rfind(':');
  if (colon != std::string::npos) t = t.substr(colon + 1);
  try {
    return std::stoi(t);
  } catch (const std::exception&) {
    return 0;
  }
}

void pin_child(int core) {
  if (core < 0 || core >= static_cast<int>(std::thread::hardware_concurrency())) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(core, &set);
  sched_setaffinity(0, sizeof(set), &set);
}
}  // namespace

result<local_server> local_server::start(const std::string& binary, int core) {
  char pattern[] = "/tmp/haetae-server-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) return make_error(errc::internal, "mkdtemp failed");
  local_server s;
  s.dir_ = pattern;
  s.binary_ = binary;
  s.core_ = core;
  auto st = s.spawn("127.0.0.1:0");
  if (!st) return st.err();
  return s;
}

status local_server::spawn(const std::string& listen) {
  const std::string data = dir_ + "/data";
  const std::string port_file = dir_ + "/port";
  const std::string log = dir_ + "/server.log";
  ::unlink(port_file.c_str());
  std::vector<std::string> argv_s = {"haetae",      "serve",    "--data",
                                     data,          "--listen", listen,
                                     "--port-file", port_file,  "--fast-password-hashing"};
  pid_t pid = ::fork();
  if (pid < 0) return make_error(errc::internal, "fork failed");
  if (pid == 0) {
    pin_child(core_);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary_.c_str(), argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int st = 0;
    if (::waitpid(pid, &st, WNOHANG) == pid) {
      pid_ = -1;
      return make_error(errc::internal,
                        "the server exited at start:\n" + read_file(log).substr(0, 2000));
    }
    int port = parse_port(read_file(port_file));
    if (port > 0) {
      url_ = "http://127.0.0.1:" + std::to_string(port);
      auto node = node_url::parse(url_);
      if (node && http_get(*node, "/healthz", {std::chrono::milliseconds(2000)})) {
        return ok_status();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return make_error(errc::internal, "the server did not start within 60 s; see " + log);
}

void local_server::crash() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int st = 0;
  ::waitpid(pid_, &st, 0);
  pid_ = -1;
}

status local_server::restart() {
  if (pid_ > 0) return make_error(errc::invalid_field, "the server is running");
  auto colon = url_.rfind(':');
  return spawn("127.0.0.1:" + url_.substr(colon + 1));
}

local_server::local_server(local_server&& o) noexcept
    : pid_(o.pid_),
      core_(o.core_),
      binary_(std::move(o.binary_)),
      dir_(std::move(o.dir_)),
      url_(std::move(o.url_)) {
  o.pid_ = -1;
  o.dir_.clear();
}

local_server::~local_server() { stop(); }

void local_server::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {  // 10 s
      int st = 0;
      gone = ::waitpid(pid_, &st, WNOHANG) == pid_;
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!gone) {
      ::kill(pid_, SIGKILL);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

}  // namespace haetae::client
