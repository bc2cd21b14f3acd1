#pragma once
// A real `haetae serve` child process for tests: started on 127.0.0.1 with an ephemeral port
// (or a given one, to come back on the same address after a crash), stopped by PID.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace haetae::testing {

class server_process {
 public:
  // Starts the server on `data_dir` and waits (bounded) until it has written its port.
  // `port` 0 picks an ephemeral port.
  explicit server_process(std::filesystem::path data_dir, int port = 0,
                          std::vector<std::string> extra_args = {});
  ~server_process();  // SIGTERM, then SIGKILL if it does not stop
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  // Kills with SIGKILL, as a crash would (no clean shutdown, no flush).
  void kill_hard();
  // Starts again on the same data dir and port after kill_hard or stop.
  void restart();
  // SIGTERM and wait for a clean exit; returns the exit status.
  int stop();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

 private:
  void start();
  int wait_for_exit(int timeout_ms);

  std::filesystem::path data_dir_;
  std::filesystem::path port_file_;
  int port_ = 0;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
};

// A fresh directory under the system temp dir, removed when this object goes away.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace haetae::testing
