#include "auth/work_pool.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <utility>

namespace haetae::auth {

work_pool::work_pool(std::string name, int threads, std::size_t max_queued)
    : name_(std::move(name)), max_queued_(max_queued) {
  if (threads < 1) threads = 1;
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

work_pool::~work_pool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

status work_pool::submit(std::function<void()> task, queue_bound bound) {
  {
    std::lock_guard lock(mu_);
    if (bound == queue_bound::enforce && queue_.size() >= max_queued_) {
      return make_error(errc::overloaded, "the server is busy (" + name_ + "); retry shortly");
    }
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return ok_status();
}

std::size_t work_pool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void work_pool::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    // A task that throws is a bug; it must not take the pool's thread (and the node) with it.
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error("{} pool: task threw: {}", name_, e.what());
    } catch (...) {
      spdlog::error("{} pool: task threw a non-standard exception", name_);
    }
  }
}

}  // namespace haetae::auth
