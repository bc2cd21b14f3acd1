#pragma once
// A throwaway PostgreSQL server for the store tests: initdb into a temp dir, `postgres` on a
// Unix socket in that dir (no TCP port to collide on), fsync on. One server per test process,
// started on first use and stopped by PID (SIGINT: fast shutdown) when the process's tests end
// (a gtest Environment), also if a test failed. Each test gets its own database.
//
// Running as root, the server runs as the `postgres` user (PostgreSQL refuses root): the child
// drops to it before exec, so the PID held here is the server's, and it asks the kernel for
// SIGINT if this process dies first, so a crashed test leaves no server behind.
#include <sys/types.h>

#include <string>

#include "base/result.h"

namespace haetae::store::testing {

class pg_test_server {
 public:
  // The process's server, started on the first call. errc::store_unavailable when it could not
  // start (the message says why, with the server log's tail).
  static result<pg_test_server*> get();
  // Stops the server if it was started (the Environment does this at the end).
  static void shutdown();

  // A new, empty database; returns its name.
  result<std::string> create_database();
  // Runs one statement as the superuser on the `postgres` database (test setup only).
  status admin(const std::string& sql);
  std::string conninfo(const std::string& database) const;
  pid_t pid() const { return pid_; }

  ~pg_test_server();

 private:
  pg_test_server() = default;
  status start();
  void stop();
  std::string log_tail() const;

  std::string dir_;  // socket dir, data dir (dir/data) and log (dir/server.log)
  pid_t pid_ = -1;
  int databases_ = 0;
};

// Makes every commit on the server wait for a synchronous standby that does not exist (as a
// primary cut off from its standbys does), in force when the constructor returns (ok()); undone
// on destruction, also when the test fails.
class missing_standby {
 public:
  explicit missing_standby(pg_test_server& server);
  ~missing_standby();
  missing_standby(const missing_standby&) = delete;
  missing_standby& operator=(const missing_standby&) = delete;
  bool ok() const { return ok_; }

 private:
  pg_test_server& server_;
  bool ok_ = false;
};

}  // namespace haetae::store::testing
