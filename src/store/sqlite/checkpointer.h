#pragma once
// Keeps WAL checkpoints off the commit path: the writer runs with wal_autocheckpoint=0 and this
// thread, with its own connection, copies the WAL back into the database when it has grown
// (PASSIVE: never waits for the writer or readers) and truncates it when the store is idle.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_db.h"

namespace haetae::store::sqlite {

struct checkpoint_options {
  std::chrono::milliseconds interval{200};
  std::uintmax_t passive_above_bytes = 16u << 20;
};

class checkpointer {
 public:
  // `commits` reports the writer's commit count, to tell an idle store.
  checkpointer(std::unique_ptr<connection> db, std::string wal_path,
               std::function<std::uint64_t()> commits, checkpoint_options options = {});
  ~checkpointer();
  checkpointer(const checkpointer&) = delete;
  checkpointer& operator=(const checkpointer&) = delete;

 private:
  void run();
  void tick();

  std::unique_ptr<connection> db_;
  std::string wal_path_;
  std::function<std::uint64_t()> commits_;
  checkpoint_options options_;
  std::uint64_t last_commits_ = 0;
  bool truncated_since_idle_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace haetae::store::sqlite
