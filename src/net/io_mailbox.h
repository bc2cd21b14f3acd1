#pragma once
// Hands work from other threads (the store writer, the dispatcher pools) to the io thread.
//
// One group commit completes hundreds of sends at once, each with a push and a reply. Posting
// each to the io_context costs a scheduler lock and a queue entry per task, and lets the io
// thread start writing a socket before the rest of the burst has reached it. Here tasks collect
// in one vector and a single handler runs them all, so every frame of a burst is queued before
// any session starts to write (and corked_socket sends them together). Tasks run in the order
// they were posted, on the io thread.
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace haetae::net {

class io_mailbox {
 public:
  using task = std::function<void()>;

  // Its single thread is "the io thread". The mailbox may go before `io`: a queued drain keeps
  // what it needs alive.
  explicit io_mailbox(boost::asio::io_context& io);
  io_mailbox(const io_mailbox&) = delete;
  io_mailbox& operator=(const io_mailbox&) = delete;

  // Any thread. Tasks still waiting when the io_context is destroyed are destroyed with it,
  // unrun, as posted handlers would be.
  void post(task t);

 private:
  struct state {
    std::mutex mu;
    std::vector<task> tasks;
    bool scheduled = false;  // a drain_handler is queued on the io_context
  };
  struct drain_handler;

  boost::asio::io_context& io_;
  std::shared_ptr<state> state_ = std::make_shared<state>();
};

}  // namespace haetae::net
