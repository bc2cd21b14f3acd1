#pragma once
// Keeps WAL checkpoints off the commit path: the writer runs with wal_autocheckpoint=0 and this
// thread, with its own connection, copies the WAL back into the database while it grows
// (PASSIVE: never waits for the writer or readers), so that the writer's own rewinding
// checkpoint (group_commit.h) only has a short tail left; it truncates the WAL when the store is
// idle.
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
  // How often it looks; cheap (a stat and two atomics) unless there is work.
  std::chrono::milliseconds interval{20};
  // No commit for this long: the store is idle.
  std::chrono::milliseconds idle_after{200};
  // A PASSIVE checkpoint each time the WAL has grown by this many frames, so the writer's
  // rewinding checkpoint (at 8,192 frames) finds most of the WAL copied already. Not more often:
  // each one syncs the database file, and every 50 ms that competed with the commits' fsyncs
  // (bench --rate 2000: p99 5.6 ms instead of 2 ms).
  std::uint64_t passive_every_frames = 2048;
  // ... but at most this often: under full load 2,048 frames are two commits, and a copy plus a
  // database fsync every two commits took the core from the commits themselves.
  std::chrono::milliseconds passive_spacing{100};
};

// What the checkpointer watches on the writer.
struct writer_progress {
  std::function<std::uint64_t()> commits;     // commit count, to tell an idle store
  std::function<std::uint64_t()> wal_frames;  // frames in the WAL now
};

class checkpointer {
 public:
  checkpointer(std::unique_ptr<connection> db, std::string wal_path, writer_progress writer,
               checkpoint_options options = {});
  ~checkpointer();
  checkpointer(const checkpointer&) = delete;
  checkpointer& operator=(const checkpointer&) = delete;

 private:
  void run();
  void tick();

  std::unique_ptr<connection> db_;
  std::string wal_path_;
  writer_progress writer_;
  checkpoint_options options_;
  std::uint64_t last_commits_ = 0;
  std::uint64_t checkpointed_at_frames_ = 0;  // WAL size at the last PASSIVE
  std::chrono::steady_clock::time_point checkpointed_at_;
  std::chrono::steady_clock::time_point last_commit_seen_ = std::chrono::steady_clock::now();
  bool truncated_since_idle_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace haetae::store::sqlite
