#include "store/sqlite/group_commit.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace haetae::store::sqlite {

group_committer::group_committer(std::unique_ptr<connection> db, change_no last_change,
                                 std::size_t max_queued, int restart_above_frames)
    : db_(std::move(db)),
      ctx_{*db_, last_change},
      restart_above_frames_(restart_above_frames),
      queue_(max_queued) {
  // Replaces SQLite's autocheckpoint hook (wal_autocheckpoint=0 on this connection).
  sqlite3_wal_hook(db_->raw(), &group_committer::on_wal_commit, this);
  thread_ = std::thread([this] { run(); });
}

group_committer::~group_committer() {
  queue_.stop();
  thread_.join();
}

void group_committer::run() {
  write_queue<write_op>::batch batch;
  while (queue_.take(batch)) {
    run_batch(batch);
    batch.clear();
    maybe_restart_wal();
  }
}

int group_committer::on_wal_commit(void* self, sqlite3*, const char*, int frames) {
  static_cast<group_committer*>(self)->wal_frames_.store(static_cast<std::uint64_t>(frames),
                                                         std::memory_order_relaxed);
  return SQLITE_OK;
}

void group_committer::maybe_restart_wal() {
  std::uint64_t frames = wal_frames_.load(std::memory_order_relaxed);
  if (frames < std::max<std::uint64_t>(restart_above_frames_, retry_above_frames_)) return;
  int log = 0;
  int done = 0;
  int rc = sqlite3_wal_checkpoint_v2(db_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
  // Not all backfilled (a reader holds old frames): retry after some more growth, not after
  // every batch (each try syncs the database file).
  retry_above_frames_ = log == done ? 0 : frames + restart_above_frames_ / 8;
  // Busy (a reader still uses old frames) or an I/O error: the WAL just keeps growing until a
  // later try; the data is safe either way.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    spdlog::warn("store: checkpoint on the writer failed: {}", sqlite3_errstr(rc));
  }
}

void group_committer::run_batch(std::vector<std::unique_ptr<write_op>>& batch) {
  connection& db = *db_;
  if (auto st = db.try_exec("BEGIN IMMEDIATE"); !st) {
    spdlog::warn("store: cannot begin a batch of {}: {}", batch.size(), st.err().text());
    queue_.fail_all(batch, std::string(st.err().text()));
    return;
  }
  std::string lost;  // why the transaction was lost mid-batch, if it was
  try {
    for (auto& op : batch) {
      db.prepare("SAVEPOINT w").run();
      bool keep = op->apply(ctx_);
      if (!db.in_transaction()) {
        // SQLite rolled the whole transaction back (I/O error, disk full): nothing commits.
        lost = "the transaction was rolled back by an I/O error";
        break;
      }
      if (!keep) db.prepare("ROLLBACK TO w").run();
      db.prepare("RELEASE w").run();
    }
  } catch (const db_error& e) {
    lost = e.what();
  }
  if (lost.empty()) {
    if (auto st = db.try_exec("COMMIT"); !st) lost = std::string(st.err().text());
  }
  if (!lost.empty()) {
    if (db.in_transaction()) (void)db.try_exec("ROLLBACK");
    spdlog::warn("store: a batch of {} writes failed: {}", batch.size(), lost);
    queue_.fail_all(batch, lost);
    return;
  }
  queue_.complete_committed(batch);
}

}  // namespace haetae::store::sqlite
