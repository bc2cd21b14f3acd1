#include "store/postgres/pg_read_pool.h"

#include <spdlog/spdlog.h>

namespace haetae::store::pg {

read_pool::read_pool(std::vector<std::unique_ptr<pg_conn>> primary,
                     std::vector<std::unique_ptr<pg_conn>> local, std::string primary_conninfo,
                     std::string local_conninfo)
    : primary_(std::move(primary)),
      primary_conninfo_(std::move(primary_conninfo)),
      local_conninfo_(std::move(local_conninfo)) {
  if (!local.empty()) {
    local_ = std::make_unique<connection_pool<pg_conn>>(std::move(local));
    prober_ = std::thread([this] { probe(); });
  }
}

read_pool::~read_pool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (prober_.joinable()) prober_.join();
}

void read_pool::mark_primary_down() {
  if (primary_up_.exchange(false)) {
    spdlog::warn(
        "store: the primary does not answer reads; reading from this data center's "
        "server until it does");
    cv_.notify_all();
  }
}

void read_pool::probe() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, std::chrono::milliseconds(500));
    if (stopping_) return;
    if (primary_up_.load()) continue;
    lock.unlock();
    std::string why;
    bool up = pg_conn::open_or_later(primary_conninfo_, why)->connected();
    // What readiness reports while the primary is away: can this data center's server serve?
    if (!up && !local_conninfo_.empty()) {
      local_up_.store(pg_conn::open_or_later(local_conninfo_, why)->connected());
    }
    lock.lock();
    if (up && !stopping_) {
      generation_.fetch_add(1);
      primary_up_.store(true);
      spdlog::info("store: the primary answers again; reading from it");
    }
  }
}

}  // namespace haetae::store::pg
