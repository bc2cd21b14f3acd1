#include "store/sqlite/checkpointer.h"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace haetae::store::sqlite {

checkpointer::checkpointer(std::unique_ptr<connection> db, std::string wal_path,
                           writer_progress writer, checkpoint_options options)
    : db_(std::move(db)),
      wal_path_(std::move(wal_path)),
      writer_(std::move(writer)),
      options_(options) {
  thread_ = std::thread([this] { run(); });
}

checkpointer::~checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void checkpointer::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (cv_.wait_for(lock, options_.interval, [&] { return stopping_; })) break;
    lock.unlock();
    tick();
    lock.lock();
  }
}

void checkpointer::tick() {
  std::error_code ec;
  auto wal_bytes = std::filesystem::file_size(wal_path_, ec);
  if (ec) return;  // no WAL yet
  std::uint64_t commits = writer_.commits();
  auto now = std::chrono::steady_clock::now();
  if (commits != last_commits_) {
    last_commits_ = commits;
    last_commit_seen_ = now;
    truncated_since_idle_ = false;
  }
  bool idle = now - last_commit_seen_ >= options_.idle_after;
  bool truncate = idle && wal_bytes > 0 && !truncated_since_idle_;
  std::uint64_t frames = writer_.wal_frames();
  if (frames < checkpointed_at_frames_) checkpointed_at_frames_ = 0;  // the writer rewound it
  bool grown = frames - checkpointed_at_frames_ >= options_.passive_every_frames &&
               now - checkpointed_at_ >= options_.passive_spacing;
  if (!truncate && (truncated_since_idle_ || !grown)) return;
  checkpointed_at_frames_ = frames;
  checkpointed_at_ = now;
  try {
    // Idle: copy everything back and shrink the WAL to zero. Busy: copy what readers allow,
    // never waiting for the writer.
    db_->pragma_text(truncate ? "PRAGMA wal_checkpoint(TRUNCATE)"
                              : "PRAGMA wal_checkpoint(PASSIVE)");
    if (truncate) truncated_since_idle_ = true;
  } catch (const db_error& e) {
    spdlog::warn("store: checkpoint failed: {}", e.what());
  }
}

}  // namespace haetae::store::sqlite
