#pragma once
// The writer: one thread with its own connection that commits whatever is queued as one
// transaction (group commit without a timer), as the SQLite backend does. Per batch:
//   1. BEGIN; lock every room the batch's writes name, in ascending id (`SELECT … FOR UPDATE`),
//      so writers on several nodes take room locks in one global order and cannot deadlock;
//   2. each write in its own SAVEPOINT (a failing write rolls back alone);
//   3. the change numbers of the rooms the kept writes touched, from the `change_counter` row
//      (locked last, after every room lock), so change numbers follow commit order across nodes;
//   4. COMMIT; completions run on the writer thread, in order, only after COMMIT returned.
// A deadlock or serialization failure aborts the whole transaction before COMMIT: nothing was
// committed, so the batch is retried (a bounded number of times). A lost connection fails the
// batch with store_unavailable: the outcome is unknown and the client's ids settle it. No
// statement_timeout on this path: a cancelled commit wait could leave an unreplicated commit.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_writes.h"
#include "store/store.h"

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

class group_committer {
 public:
  group_committer(std::unique_ptr<pg_conn> db, std::size_t max_queued, int max_batch_retries);
  // Drains: every write submitted before destruction gets its completion.
  ~group_committer();
  group_committer(const group_committer&) = delete;
  group_committer& operator=(const group_committer&) = delete;

  // Thread-safe. When the queue is full, fails the op at once (on the caller's thread) with
  // errc::overloaded.
  void submit(std::unique_ptr<write_op> op);
  store_stats stats() const;

 private:
  enum class outcome { committed, retry, lost };
  void run();
  void run_batch(std::vector<std::unique_ptr<write_op>>& batch);
  outcome try_batch(std::vector<std::unique_ptr<write_op>>& batch, std::string& why);
  void lock_rooms(const std::vector<std::unique_ptr<write_op>>& batch);
  void apply_one(write_op& op, std::vector<room_id>& touched);
  void assign_changes(const std::vector<room_id>& touched);

  std::unique_ptr<pg_conn> db_;
  const std::size_t max_queued_;
  const int max_batch_retries_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<write_op>> queue_;
  bool stopping_ = false;
  store_stats stats_;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace haetae::store::pg
