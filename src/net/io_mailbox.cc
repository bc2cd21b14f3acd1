#include "net/io_mailbox.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <utility>

namespace haetae::net {

// Runs the mailbox once. Destroyed unrun (the io_context goes away), it drops the tasks then, so
// they die while the io_context still exists, like any posted handler.
struct io_mailbox::drain_handler {
  explicit drain_handler(std::shared_ptr<state> s) : st(std::move(s)) {}
  drain_handler(drain_handler&&) noexcept = default;
  drain_handler& operator=(drain_handler&&) = delete;
  ~drain_handler() {
    if (st) take(*st);
  }

  void operator()() {
    auto s = std::move(st);
    for (auto& t : take(*s)) t();
  }

  static std::vector<task> take(state& s) {
    std::vector<task> out;
    std::lock_guard lock(s.mu);
    out.swap(s.tasks);
    s.scheduled = false;
    return out;
  }

  std::shared_ptr<state> st;
};

io_mailbox::io_mailbox(boost::asio::io_context& io) : io_(io) {}

void io_mailbox::post(task t) {
  {
    std::lock_guard lock(state_->mu);
    state_->tasks.push_back(std::move(t));
    if (state_->scheduled) return;
    state_->scheduled = true;
  }
  boost::asio::post(io_, drain_handler(state_));
}

}  // namespace haetae::net
