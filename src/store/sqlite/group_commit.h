#pragma once
// The writer: one thread with its own connection that commits whatever is queued as one
// transaction (group commit without a timer). Each write runs in its own SAVEPOINT, so a failing
// write rolls back alone; completions run on the writer thread, in submission order, only after
// COMMIT returned (with synchronous=FULL: after the WAL fsync). Whatever arrives during a commit
// forms the next batch.
//
// The WAL must restart from its beginning now and then, or it grows without bound and every
// commit appends to a growing file (page-cache allocation, ext4 block reservation, a bigger
// wal-index to search). SQLite restarts it only when a checkpoint has backfilled every frame
// before the next write, which a background PASSIVE checkpoint never manages while commits keep
// coming. So once the WAL holds `restart_above_frames`, the writer checkpoints the small tail the
// checkpointer thread has not copied yet, between batches (after the completions: no ack waits
// for it), and its next commit rewinds the WAL.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_writes.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace haetae::store::sqlite {

class write_op {
 public:
  virtual ~write_op() = default;
  // Runs inside the batch transaction and the op's savepoint. True: keep its changes.
  virtual bool apply(write_context& w) = 0;
  // After the commit: deliver the result (success or the op's own error).
  virtual void complete() = 0;
  // The op will not be committed (queue full, batch failed, store closed).
  virtual void fail(error e) = 0;
};

template <class T>
class typed_write_op final : public write_op {
 public:
  using body = std::function<result<T>(write_context&)>;
  typed_write_op(body fn, completion<T> done) : fn_(std::move(fn)), done_(std::move(done)) {}

  bool apply(write_context& w) override {
    try {
      r_.emplace(fn_(w));
    } catch (const db_error& e) {
      r_.emplace(make_error(errc::store_unavailable, e.what()));
    } catch (const std::exception& e) {
      r_.emplace(make_error(errc::internal, e.what()));
    }
    return r_->ok();
  }
  void complete() override { done_(std::move(*r_)); }
  void fail(error e) override { done_(std::move(e)); }

 private:
  body fn_;
  completion<T> done_;
  std::optional<result<T>> r_;
};

class group_committer {
 public:
  // `last_change`: the highest change number stored (MAX(rooms.change)).
  group_committer(std::unique_ptr<connection> db, change_no last_change, std::size_t max_queued,
                  int restart_above_frames = 8192);
  // Drains: every write submitted before destruction gets its completion.
  ~group_committer();
  group_committer(const group_committer&) = delete;
  group_committer& operator=(const group_committer&) = delete;

  // Thread-safe. When the queue is full, fails the op at once (on the caller's thread) with
  // errc::overloaded.
  void submit(std::unique_ptr<write_op> op) { queue_.submit(std::move(op)); }
  store_stats stats() const { return queue_.stats(); }
  // Any thread: frames in the WAL after the last commit (0 after a rewind).
  std::uint64_t wal_frames() const { return wal_frames_.load(std::memory_order_relaxed); }

 private:
  void run();
  void run_batch(std::vector<std::unique_ptr<write_op>>& batch);
  void maybe_restart_wal();
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int frames);

  std::unique_ptr<connection> db_;
  write_context ctx_;
  const int restart_above_frames_;
  std::atomic<std::uint64_t> wal_frames_{0};
  std::uint64_t retry_above_frames_ = 0;

  write_queue<write_op> queue_;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace haetae::store::sqlite
