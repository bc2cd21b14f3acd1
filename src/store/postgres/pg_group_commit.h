#pragma once
// The writer: one thread with its own connection that commits whatever is queued as one
// transaction (group commit without a timer), as the SQLite backend does. Per batch:
//   1. BEGIN; lock every room the batch's writes name, in ascending id (`SELECT … FOR UPDATE`),
//      so writers on several nodes take room locks in one global order and cannot deadlock;
//   2. each write in its own SAVEPOINT (a failing write rolls back alone);
//   3. one real write of this node's own row (node_beats), so COMMIT always waits for the
//      synchronous standby, even for a batch that only found duplicates;
//   4. COMMIT, which returns once replicated (pg_commit.h);
//   5. publish what the batch wrote or read (pg_publish.h) in a second transaction;
//   6. completions run on the writer thread, in order, only after both returned.
// A deadlock or serialization failure aborts the whole transaction before COMMIT: nothing was
// committed, so the batch is retried (a bounded number of times). A lost connection, or a
// publication that failed, fails the batch with store_unavailable: the outcome is unknown and
// the client's ids settle it (a resend publishes what it finds). No statement_timeout on this
// path: a cancelled commit wait could leave an unreplicated commit.
//
// The connection may be down at start or after a failover: the writer reconnects by itself
// (every second while idle), checks the server again (pg_settings.h), migrates the schema and
// settles a new timeline (pg_epoch.h) before its first batch there. It never writes to a server
// on a lower timeline than one it has committed through (pg_timeline_fence.h): it reports not
// ready and reconnects elsewhere.
//
// While a write has gone unanswered for `stall_after` (a frozen or cut-off primary, a failover
// under way), the committer is stalled: it refuses new writes at once and fails the waiting ones
// (none of them was started) with store_unavailable, so clients resend shortly instead of waiting
// on a server that may never answer; reads do not depend on the writer (pg_read_pool.h).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_timeline_fence.h"
#include "store/postgres/pg_writes.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace haetae::store::pg {

class write_op {
 public:
  virtual ~write_op() = default;
  // What the write will lock (step 1).
  virtual void plan(lock_plan& p) const = 0;
  // Runs inside the batch transaction and the op's savepoint. True: keep its changes. May throw
  // pg_error; the committer classifies it.
  virtual bool apply(write_context& w) = 0;
  // The op failed inside the batch (its savepoint rolled back); the batch goes on.
  virtual void set_error(error e) = 0;
  // After the commit: deliver the result (success or the op's own error).
  virtual void complete() = 0;
  // The op will not be committed (queue full, batch failed, store closed).
  virtual void fail(error e) = 0;
};

template <class T>
class typed_write_op final : public write_op {
 public:
  using body = std::function<result<T>(write_context&)>;
  using planner = std::function<void(lock_plan&)>;
  typed_write_op(planner p, body fn, completion<T> done)
      : plan_(std::move(p)), fn_(std::move(fn)), done_(std::move(done)) {}

  void plan(lock_plan& p) const override {
    if (plan_) plan_(p);
  }
  bool apply(write_context& w) override {
    r_.emplace(fn_(w));
    return r_->ok();
  }
  void set_error(error e) override { r_.emplace(std::move(e)); }
  void complete() override { done_(std::move(*r_)); }
  void fail(error e) override { done_(std::move(e)); }

 private:
  planner plan_;
  body fn_;
  completion<T> done_;
  std::optional<result<T>> r_;
};

struct committer_options {
  std::string node_tag;  // this node in node_beats and wake-ups
  bool require_sync_standby = true;
  std::chrono::milliseconds stall_after{5000};
  std::size_t max_queued = 100000;
  // Writes per transaction: short enough that another node's writer never waits long for the
  // rooms and the change counter this one holds.
  std::size_t max_batch = 250;
  int max_batch_retries = 5;
  std::uint32_t test_committed_timeline = 0;  // tests: as if committed through this timeline
};

class group_committer {
 public:
  group_committer(std::unique_ptr<pg_conn> db, committer_options options);
  // Drains: every write submitted before destruction gets its completion.
  ~group_committer();
  group_committer(const group_committer&) = delete;
  group_committer& operator=(const group_committer&) = delete;

  // Thread-safe. When the queue is full, fails the op at once (on the caller's thread) with
  // errc::overloaded; while stalled, with errc::store_unavailable.
  void submit(std::unique_ptr<write_op> op);
  store_stats stats() const { return queue_.stats(); }
  store_health health() const;

 private:
  enum class outcome { committed, retry, lost };
  void run();
  // Connected, checked, migrated and on a settled timeline; false with `why` otherwise.
  bool ensure_ready(std::string& why);
  status migrate_without_timeout();
  void run_batch(std::vector<std::unique_ptr<write_op>>& batch);
  outcome try_batch(std::vector<std::unique_ptr<write_op>>& batch, std::string& why);
  void lock_rooms(const std::vector<std::unique_ptr<write_op>>& batch);
  void apply_one(write_op& op, std::vector<exposure>& exposed);
  void set_busy(bool busy);
  // Empty unless stalled; else why, for the refused writes and /readyz. Any thread.
  std::string stalled_reason() const;
  // Its own thread: while stalled, fails the writes that queue up behind the stuck batch.
  void refuse_while_stalled();

  std::unique_ptr<pg_conn> db_;
  const committer_options options_;
  bool ready_ = false;          // writer thread: the session was checked since it (re)connected
  std::uint32_t timeline_ = 0;  // writer thread: the checked server's timeline
  timeline_fence fence_;
  std::string last_warning_;  // writer thread: the idle retries' last logged reason, and when
  std::chrono::steady_clock::time_point last_warned_;

  write_queue<write_op> queue_;

  // For health(): the last reason the store could not be used, whether it ever could, and since
  // when the writer has waited on the server (a COMMIT blocked on a cut-off primary).
  mutable std::mutex health_mu_;
  std::string down_reason_ = "not connected to PostgreSQL yet";
  bool ever_ready_ = false;
  std::string fenced_;     // non-empty while the only primary found is on an older timeline
  bool writable_ = false;  // the writer's session was checked and has not been lost since
  std::optional<std::chrono::steady_clock::time_point> busy_since_;

  std::mutex guard_mu_;
  std::condition_variable guard_cv_;
  bool guard_stopping_ = false;

  std::thread thread_;  // last: start after everything above exists
  std::thread stall_guard_;
};

}  // namespace haetae::store::pg
