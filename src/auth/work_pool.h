#pragma once
// A fixed set of std::threads draining one bounded FIFO queue. Used for work that must not run on
// the network event loop: argon2id hashing (auth) and synchronous store reads (api). A full queue
// refuses new work at once (errc::overloaded) instead of growing, so a burst costs a fast error,
// not memory.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"

namespace haetae::auth {

// Whether a submission respects the queue bound. `ignore` is for follow-up work of something that
// was already admitted (e.g. the read after a committed write), which must not be dropped.
enum class queue_bound { enforce, ignore };

class work_pool {
 public:
  // `threads` >= 1. `max_queued`: tasks waiting (not running) beyond which submit refuses.
  work_pool(std::string name, int threads, std::size_t max_queued);
  ~work_pool();  // runs every queued task, then joins
  work_pool(const work_pool&) = delete;
  work_pool& operator=(const work_pool&) = delete;

  // errc::overloaded when the queue is full (the task is dropped, not run).
  status submit(std::function<void()> task, queue_bound bound = queue_bound::enforce);

  std::size_t queued() const;

 private:
  void run();

  const std::string name_;
  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace haetae::auth
