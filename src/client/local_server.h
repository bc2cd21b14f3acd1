#pragma once
// A `haetae serve` child process on this machine: a temp data dir, an ephemeral port (read back
// from --port-file), --fast-password-hashing, optionally pinned to one core. For benchmarks and
// tests; stopped by PID (SIGTERM, then SIGKILL after a bounded wait) and its dir removed.
#include <sys/types.h>

#include <string>

#include "base/result.h"

namespace haetae::client {

class local_server {
 public:
  // Starts `binary serve …` and waits (bounded, 60 s) until /healthz answers. `core` < 0: not
  // pinned.
  static result<local_server> start(const std::string& binary, int core = -1);
  local_server(local_server&& other) noexcept;
  local_server& operator=(local_server&&) = delete;
  ~local_server();

  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  void stop();

  // SIGKILL, as a crash or power cut would; restart() brings it back on the same data and port.
  void crash();
  status restart();

 private:
  local_server() = default;
  status spawn(const std::string& listen);

  pid_t pid_ = -1;
  int core_ = -1;
  std::string binary_;
  std::string dir_;
  std::string url_;
};

}  // namespace haetae::client
