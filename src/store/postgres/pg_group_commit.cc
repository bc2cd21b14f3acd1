#include "store/postgres/pg_group_commit.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/postgres/pg_commit.h"
#include "store/postgres/pg_epoch.h"
#include "store/postgres/pg_publish.h"
#include "store/postgres/pg_schema.h"
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

}  // namespace

group_committer::group_committer(std::unique_ptr<pg_conn> db, committer_options options)
    : db_(std::move(db)),
      options_(std::move(options)),
      queue_(options_.max_queued, options_.max_batch) {
  // A primary that keeps TCP up but never answers (a frozen process) would hold the writer for
  // ever: after 1.5 times the stall time the connection is closed (never cancelled), the batch's
  // outcome is unknown (clients resend), and the writer reconnects along the host list.
  // Not much later than the stall: after a frozen primary's lease runs out (about 7 s with the
  // local cluster's ttl of 5 s) the writer should already be looking for the new one.
  db_->set_query_timeout(options_.stall_after * 3 / 2);
  fence_.committed_through(options_.test_committed_timeline);
  std::string why;
  if (!db_->connected()) {
    down_reason_ = "cannot reach PostgreSQL: " + db_->last_error();
  } else if (!ensure_ready(why)) {
    spdlog::warn("store: {}", why);  // the thread keeps trying
  }
  thread_ = std::thread([this] { run(); });
  stall_guard_ = std::thread([this] { refuse_while_stalled(); });
}

group_committer::~group_committer() {
  {
    std::lock_guard lock(guard_mu_);
    guard_stopping_ = true;
  }
  guard_cv_.notify_all();
  stall_guard_.join();
  queue_.stop();
  thread_.join();
}

void group_committer::submit(std::unique_ptr<write_op> op) {
  if (std::string why = stalled_reason(); !why.empty()) {
    op->fail(make_error(errc::store_unavailable, why));
    return;
  }
  queue_.submit(std::move(op));
}

void group_committer::refuse_while_stalled() {
  // Often enough that a waiting write is answered well before a client gives up on its node.
  const auto every = std::clamp<std::chrono::milliseconds>(
      options_.stall_after / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
  std::unique_lock lock(guard_mu_);
  while (!guard_cv_.wait_for(lock, every, [this] { return guard_stopping_; })) {
    std::string why = stalled_reason();
    if (why.empty()) continue;
    if (std::size_t n = queue_.fail_waiting(make_error(errc::store_unavailable, why)); n > 0) {
      spdlog::info("store: {} waiting writes refused: {}", n, why);
    }
  }
}

std::string group_committer::stalled_reason() const {
  std::lock_guard lock(health_mu_);
  if (!busy_since_ || std::chrono::steady_clock::now() - *busy_since_ <= options_.stall_after) {
    return {};
  }
  return "writes are refused for now: a write to PostgreSQL has not returned for over " +
         std::to_string(options_.stall_after.count()) +
         " ms (a failover may be under way); resend shortly";
}

void group_committer::run() {
  write_queue<write_op>::batch batch;
  // While idle and not ready, try again every second: /readyz tells, and the first write after
  // the server is back does not pay for the connect.
  while (queue_.take(batch, std::chrono::seconds(1))) {
    if (batch.empty()) {
      std::string why;
      if (!(ready_ && db_->connected()) && !ensure_ready(why)) {
        // Said once, then every 30 s while it lasts: the log shows it without being flooded.
        auto now = std::chrono::steady_clock::now();
        if (why != last_warning_ || now - last_warned_ > std::chrono::seconds(30)) {
          spdlog::warn("store: {}; still trying", why);
          last_warning_ = why;
          last_warned_ = now;
        }
      }
      continue;
    }
    run_batch(batch);
    batch.clear();
  }
}

// A migration may take long on a big database; it is not a stall.
status group_committer::migrate_without_timeout() {
  auto timeout = db_->query_timeout();
  db_->set_query_timeout(std::chrono::milliseconds(0));
  auto st = migrate(*db_);
  db_->set_query_timeout(timeout);
  return st;
}

store_health group_committer::health() const {
  store_health h;
  if (std::string why = stalled_reason(); !why.empty()) {
    h.stalled = true;
    h.writes = false;
    h.not_ready = std::move(why);
    return h;
  }
  std::lock_guard lock(health_mu_);
  if (!writable_) {
    h.writes = false;
    h.not_ready = fenced_.empty() ? down_reason_ : fenced_;
  }
  return h;
}

void group_committer::set_busy(bool busy) {
  std::lock_guard lock(health_mu_);
  if (busy) {
    busy_since_ = std::chrono::steady_clock::now();
  } else {
    busy_since_.reset();
  }
}

bool group_committer::ensure_ready(std::string& why) {
  if (ready_ && db_->connected()) return true;
  ready_ = false;
  bool refused = false;
  if (!db_->connected() && !db_->reset()) {
    why = "cannot reach PostgreSQL: " + db_->last_error();
  } else if (auto st = prepare_writer(*db_); !st) {
    why = std::string(st.err().text());
  } else if (auto rep = check_replication(*db_, options_.require_sync_standby); !rep) {
    why = std::string(rep.err().text());
  } else if (auto tl = server_timeline(*db_); !tl) {
    why = std::string(tl.err().text());
  } else if (std::string refused_why = fence_.refuse(*tl); !refused_why.empty()) {
    // Before anything writes (the migration, the epoch): this server was replaced.
    why = refused_why;
    refused = true;
    spdlog::error("store: {}", refused_why);
    (void)db_->reset();  // the next try starts with the other hosts
  } else if (auto mig = migrate_without_timeout(); !mig) {
    why = std::string(mig.err().text());
  } else if (auto ep = settle_epoch(*db_, *tl, options_.node_tag); !ep) {
    why = std::string(ep.err().text());
  } else {
    timeline_ = *tl;
    ready_ = true;
  }
  std::lock_guard lock(health_mu_);
  fenced_ = refused ? why : std::string();
  writable_ = ready_;
  if (ready_) {
    if (!ever_ready_) spdlog::info("store: PostgreSQL ready for writes");
    ever_ready_ = true;
  } else {
    down_reason_ = why;
  }
  return ready_;
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

void group_committer::apply_one(write_op& op, std::vector<exposure>& exposed) {
  // A unique violation means a concurrent writer (another node) committed the same name, pair
  // or client id after this write looked: run the write once more, and it finds that row.
  for (int attempt = 0;; ++attempt) {
    write_context ctx{*db_, {}};
    db_->exec("SAVEPOINT w");
    try {
      bool keep = op.apply(ctx);
      if (keep) {
        exposed.insert(exposed.end(), ctx.exposed.begin(), ctx.exposed.end());
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

group_committer::outcome group_committer::try_batch(std::vector<std::unique_ptr<write_op>>& batch,
                                                    std::string& why) {
  if (!ensure_ready(why)) return outcome::lost;
  set_busy(true);
  struct not_busy {
    group_committer& c;
    ~not_busy() { c.set_busy(false); }
  } done_waiting{*this};
  std::vector<exposure> exposed;
  try {
    db_->exec("BEGIN");
    lock_rooms(batch);
    for (auto& op : batch) apply_one(*op, exposed);
    db_->exec(
        "INSERT INTO node_beats (node, beats) VALUES ($1, 1) ON CONFLICT (node) DO UPDATE "
        "SET beats = node_beats.beats + 1",
        {options_.node_tag});
  } catch (const pg_error& e) {
    why = e.what();
    if (db_->connected()) (void)db_->try_exec("ROLLBACK");
    return e.retryable() && db_->connected() ? outcome::retry : outcome::lost;
  }
  if (!commit_replicated(*db_, why)) return outcome::lost;
  fence_.committed_through(timeline_);
  // Committed and replicated. Readers see it once published; an acknowledgement must never name
  // a seq nobody can see, so a failed publication fails the batch (the resend publishes).
  if (!publish(*db_, options_.node_tag, exposed, why)) {
    why = "committed, but publishing it failed: " + why;
    return outcome::lost;
  }
  return outcome::committed;
}

void group_committer::run_batch(std::vector<std::unique_ptr<write_op>>& batch) {
  std::string why;
  outcome o = outcome::retry;
  for (int attempt = 0; attempt <= options_.max_batch_retries && o == outcome::retry; ++attempt) {
    o = try_batch(batch, why);
    if (o == outcome::retry && attempt < options_.max_batch_retries) {
      spdlog::info("store: retrying a batch of {}: {}", batch.size(), why);
    }
  }
  if (o != outcome::committed) {
    // A retryable failure that ran out of attempts was rolled back: nothing was committed, but
    // the caller cannot tell that from store_unavailable either way.
    spdlog::warn("store: a batch of {} writes failed: {}", batch.size(), why);
    if (!db_->connected()) {
      // Not writable until the next batch or idle tick reconnects: /readyz says so meanwhile.
      std::lock_guard lock(health_mu_);
      writable_ = false;
      down_reason_ = why;
    }
    queue_.fail_all(batch, why);
    return;
  }
  queue_.complete_committed(batch);
}

}  // namespace haetae::store::pg
