#pragma once
// The bounded queue between the store's callers and a backend's writer thread, with the batch
// bookkeeping both group committers share. Callers submit writes; the writer takes what is queued
// (at most `max_batch`, oldest first) as its next batch, commits it its own way, then either
// completes the batch or fails it. A full queue refuses at once (errc::overloaded) instead of
// growing, so a burst costs a fast error, not memory. After stop() it refuses new writes and still
// hands out what was queued, so a writer that runs until take() returns false completes (or fails)
// every write it accepted.
//
// `Op` is a backend's write_op: `complete()` delivers its result after the commit, `fail(error)`
// says it will not be committed.
//
// Thread-safety: submit(), stop(), fail_waiting() and stats() from any thread; take(),
// complete_committed() and fail_all() from the writer thread only. The queue owns no thread: its
// owner starts the writer and, after stop(), joins it before the queue goes.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace haetae::store {

namespace detail {
// Keeps spdlog out of this header.
void log_throwing_completion(const std::exception& e);
}  // namespace detail

template <class Op>
class write_queue {
 public:
  using batch = std::vector<std::unique_ptr<Op>>;

  // `max_batch` bounds how long one transaction holds its locks: after an outage the clients'
  // backlog arrives at once, and one transaction over all of it held every room (and the change
  // counter) for longer than other nodes' writers wait (issue 8, freeze rounds).
  explicit write_queue(std::size_t max_queued,
                       std::size_t max_batch = std::numeric_limits<std::size_t>::max())
      : max_queued_(max_queued), max_batch_(std::max<std::size_t>(1, max_batch)) {}
  write_queue(const write_queue&) = delete;
  write_queue& operator=(const write_queue&) = delete;

  // Any thread. Queues `op`, or fails it at once on the caller's thread: errc::overloaded when
  // `max_queued` writes wait, errc::store_unavailable after stop().
  void submit(std::unique_ptr<Op> op) {
    error refused;
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        refused = make_error(errc::store_unavailable, "the store is closing");
      } else if (queue_.size() >= max_queued_) {
        refused = make_error(errc::overloaded, "too many writes are queued");
      } else {
        queue_.push_back(std::move(op));
        // The writer only waits on an empty queue.
        if (queue_.size() == 1) cv_.notify_one();
        return;
      }
    }
    op->fail(std::move(refused));
  }

  // Any thread: refuse new writes from now on and wake the writer to drain the rest.
  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
  }

  // Writer thread: waits for writes, then moves up to `max_batch` of them, oldest first, into
  // `out` (empty before). False
  // once stopped and drained: the writer is done.
  bool take(batch& out) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    return hand_out(out);
  }
  // The same, but waits at most `idle`: true with `out` empty leaves the writer time for its
  // idle work.
  bool take(batch& out, std::chrono::steady_clock::duration idle) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, idle, [&] { return stopping_ || !queue_.empty(); });
    return hand_out(out);
  }

  // Writer thread, once `committed` is durable: counts it in stats(), then delivers each
  // write's result, in order.
  void complete_committed(batch& committed) {
    {
      std::lock_guard lock(mu_);
      stats_.commits += 1;
      stats_.writes += committed.size();
      stats_.largest_batch = std::max<std::uint64_t>(stats_.largest_batch, committed.size());
    }
    for (auto& op : committed) {
      try {
        op->complete();
      } catch (const std::exception& e) {
        detail::log_throwing_completion(e);
      }
    }
  }

  // Writer thread: nothing of `failed` was committed, or the outcome is unknown; every write
  // gets errc::store_unavailable with `why`.
  static void fail_all(batch& failed, const std::string& why) {
    fail_each(failed, make_error(errc::store_unavailable, why));
  }

  // Any thread: fails every write still waiting with `e` and returns how many. None of them was
  // handed to the writer, so none was started: a writer stuck on a silent server need not keep
  // its callers waiting for an answer it cannot give (they resend later or elsewhere).
  std::size_t fail_waiting(const error& e) {
    batch waiting;
    {
      std::lock_guard lock(mu_);
      waiting.swap(queue_);
    }
    fail_each(waiting, e);
    return waiting.size();
  }

  store_stats stats() const {
    std::lock_guard lock(mu_);
    return stats_;
  }

 private:
  static void fail_each(batch& ops, const error& e) {
    for (auto& op : ops) {
      try {
        op->fail(e);
      } catch (const std::exception& ex) {
        detail::log_throwing_completion(ex);
      }
    }
  }

  // mu_ held.
  bool hand_out(batch& out) {
    if (queue_.empty() && stopping_) return false;
    if (queue_.size() <= max_batch_) {
      out.swap(queue_);
      return true;
    }
    const auto end = queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_);
    out.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(end));
    queue_.erase(queue_.begin(), end);
    return true;
  }

  const std::size_t max_queued_;
  const std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  batch queue_;
  bool stopping_ = false;
  store_stats stats_;
};

}  // namespace haetae::store
