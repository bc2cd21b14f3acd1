#include "store/postgres/pg_read_pool.h"

namespace haetae::store::pg {

read_pool::read_pool(std::vector<std::unique_ptr<pg_conn>> conns) : free_(std::move(conns)) {}

read_pool::lease::lease(read_pool& p) : pool(p) {
  std::unique_lock lock(pool.mu_);
  pool.cv_.wait(lock, [&] { return !pool.free_.empty(); });
  conn = std::move(pool.free_.back());
  pool.free_.pop_back();
}

read_pool::lease::~lease() {
  {
    std::lock_guard lock(pool.mu_);
    pool.free_.push_back(std::move(conn));
  }
  pool.cv_.notify_one();
}

}  // namespace haetae::store::pg
