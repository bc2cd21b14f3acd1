#include "store/postgres/pg_group_commit.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/postgres/pg_settings.h"

namespace haetae::store::pg {
namespace {

// PostgreSQL array literal of ids: {1,2,3}.
template <class Id>
std::string id_array(const std::vector<Id>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i].value);
  }
  return out + "}";
}

void fail_all(std::vector<std::unique_ptr<write_op>>& batch, const std::string& why) {
  for (auto& op : batch) {
    try {
      op->fail(make_error(errc::store_unavailable, why));
    } catch (const std::exception& e) {
      spdlog::error("store: a write completion threw: {}", e.what());
    }
  }
}

}  // namespace

group_committer::group_committer(std::unique_ptr<pg_conn> db, std::size_t max_queued,
                                 int max_batch_retries)
    : db_(std::move(db)), max_queued_(max_queued), max_batch_retries_(max_batch_retries) {
  thread_ = std::thread([this] { run(); });
}

group_committer::~group_committer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void group_committer::submit(std::unique_ptr<write_op> op) {
  errc refused = errc::ok;
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      refused = errc::store_unavailable;
    } else if (queue_.size() >= max_queued_) {
      refused = errc::overloaded;
    } else {
      queue_.push_back(std::move(op));
      if (queue_.size() == 1) cv_.notify_one();
      return;
    }
  }
  op->fail(make_error(refused, refused == errc::overloaded ? "too many writes are queued"
                                                           : "the store is closing"));
}

store_stats group_committer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void group_committer::run() {
  std::vector<std::unique_ptr<write_op>> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      batch.swap(queue_);
    }
    run_batch(batch);
    batch.clear();
  }
}

void group_committer::lock_rooms(const std::vector<std::unique_ptr<write_op>>& batch) {
  lock_plan plan;
  for (const auto& op : batch) op->plan(plan);
  if (!plan.direct_pairs.empty()) {
    std::vector<user_id> lo, hi;
    for (auto& [l, h] : plan.direct_pairs) {
      lo.push_back(l);
      hi.push_back(h);
    }
    auto r = db_->exec(
        "SELECT r.id FROM rooms r JOIN unnest($1::bigint[], $2::bigint[]) AS p(lo, hi) "
        "ON r.kind = 0 AND r.user_lo = p.lo AND r.user_hi = p.hi",
        {id_array(lo), id_array(hi)});
    for (int i = 0; i < r.rows(); ++i) plan.rooms.push_back(room_id(r.i64(i, 0)));
  }
  if (plan.rooms.empty()) return;
  std::sort(plan.rooms.begin(), plan.rooms.end());
  plan.rooms.erase(std::unique(plan.rooms.begin(), plan.rooms.end()), plan.rooms.end());
  // LockRows sits above the Sort: rows are locked in ascending id.
  db_->exec("SELECT id FROM rooms WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
            {id_array(plan.rooms)});
}

void group_committer::apply_one(write_op& op, std::vector<room_id>& touched) {
  // A unique violation means a concurrent writer (another node) committed the same name, pair
  // or client id after this write looked: run the write once more, and it finds that row.
  for (int attempt = 0;; ++attempt) {
    write_context ctx{*db_, {}};
    db_->exec("SAVEPOINT w");
    try {
      bool keep = op.apply(ctx);
      if (keep) {
        touched.insert(touched.end(), ctx.touched.begin(), ctx.touched.end());
      } else {
        db_->exec("ROLLBACK TO w");
      }
      db_->exec("RELEASE w");
      return;
    } catch (const pg_error& e) {
      if (e.connection_lost() || e.retryable()) throw;
      db_->exec("ROLLBACK TO w");
      db_->exec("RELEASE w");
      if (e.sqlstate() == sqlstate_unique_violation && attempt == 0) continue;
      spdlog::warn("store: a write failed: {}", e.what());
      op.set_error(make_error(errc::store_unavailable, e.what()));
      return;
    } catch (const std::exception& e) {
      db_->exec("ROLLBACK TO w");
      db_->exec("RELEASE w");
      op.set_error(make_error(errc::internal, e.what()));
      return;
    }
  }
}

void group_committer::assign_changes(const std::vector<room_id>& touched) {
  if (touched.empty()) return;
  // Each room once, in the order of its last change in the batch.
  std::vector<room_id> order;
  for (auto it = touched.rbegin(); it != touched.rend(); ++it) {
    if (std::find(order.begin(), order.end(), *it) == order.end()) order.push_back(*it);
  }
  std::reverse(order.begin(), order.end());
  auto n = static_cast<std::int64_t>(order.size());
  auto r = db_->exec("UPDATE change_counter SET last = last + $1 WHERE id = 1 RETURNING last", {n});
  std::int64_t base = r.i64(0, 0) - n;
  db_->exec(
      "UPDATE rooms AS r SET change = $1::bigint + t.ord "
      "FROM unnest($2::bigint[]) WITH ORDINALITY AS t(id, ord) WHERE r.id = t.id",
      {base, id_array(order)});
}

group_committer::outcome group_committer::try_batch(std::vector<std::unique_ptr<write_op>>& batch,
                                                    std::string& why) {
  if (!db_->connected()) {
    if (!db_->reset()) {
      why = "the PostgreSQL writer connection is down";
      return outcome::lost;
    }
    // A new session: the settings the promise depends on, again.
    if (auto st = prepare_writer(*db_); !st) {
      why = std::string(st.err().text());
      return outcome::lost;
    }
  }
  try {
    db_->exec("BEGIN");
    lock_rooms(batch);
    std::vector<room_id> touched;
    for (auto& op : batch) apply_one(*op, touched);
    assign_changes(touched);
  } catch (const pg_error& e) {
    why = e.what();
    if (db_->connected()) (void)db_->try_exec("ROLLBACK");
    return e.retryable() && db_->connected() ? outcome::retry : outcome::lost;
  }
  // A COMMIT that fails, or whose connection drops, has an unknown outcome. So does one that
  // succeeds with a WARNING: a cancelled wait for the synchronous standby leaves the batch
  // committed locally but perhaps not replicated, which must not be acknowledged.
  std::uint64_t warnings = db_->warnings();
  try {
    // An aborted transaction "commits" as ROLLBACK without an error: check the tag.
    auto r = db_->exec("COMMIT");
    if (std::string_view(PQcmdStatus(r.raw())) != "COMMIT") {
      why = "the transaction was rolled back at COMMIT";
      return outcome::lost;
    }
  } catch (const pg_error& e) {
    why = e.what();
    return outcome::lost;
  }
  if (db_->warnings() != warnings) {
    why = "COMMIT returned a warning: the commit may not be replicated";
    return outcome::lost;
  }
  return outcome::committed;
}

void group_committer::run_batch(std::vector<std::unique_ptr<write_op>>& batch) {
  std::string why;
  outcome o = outcome::retry;
  for (int attempt = 0; attempt <= max_batch_retries_ && o == outcome::retry; ++attempt) {
    o = try_batch(batch, why);
    if (o == outcome::retry && attempt < max_batch_retries_) {
      spdlog::info("store: retrying a batch of {}: {}", batch.size(), why);
    }
  }
  if (o != outcome::committed) {
    // A retryable failure that ran out of attempts was rolled back: nothing was committed, but
    // the caller cannot tell that from store_unavailable either way.
    spdlog::warn("store: a batch of {} writes failed: {}", batch.size(), why);
    fail_all(batch, why);
    return;
  }
  {
    std::lock_guard lock(mu_);
    stats_.commits += 1;
    stats_.writes += batch.size();
    stats_.largest_batch = std::max<std::uint64_t>(stats_.largest_batch, batch.size());
  }
  for (auto& op : batch) {
    try {
      op->complete();
    } catch (const std::exception& e) {
      spdlog::error("store: a write completion threw: {}", e.what());
    }
  }
}

}  // namespace haetae::store::pg
