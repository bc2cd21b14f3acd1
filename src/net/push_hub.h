#pragma once
// Who is connected, and the way pushes reach them (api::push_sink).
//
// Threading: `push` may be called from any thread (store writer, api pools); it posts one
// task to the io thread (through the mailbox, which sessions also use for their replies), which
// looks the users up and queues the one shared frame on each of their sessions. add/remove/delivery
// happen on the io thread only, so the map needs no mutex.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/push_sink.h"
#include "base/ids.h"
#include "net/io_mailbox.h"

namespace boost::asio {
class io_context;
}

namespace haetae::net {

// A live, authenticated WebSocket as the hub sees it.
class push_target {
 public:
  // io thread. Queues the frame; never blocks, never calls back into the hub.
  virtual void push_frame(const std::shared_ptr<const std::string>& frame) = 0;
  // io thread. Closes the socket soon (never synchronously removes itself from the hub).
  virtual void close_stalled() = 0;

 protected:
  ~push_target() = default;
};

class push_hub final : public api::push_sink {
 public:
  // `io` must outlive the hub; its single thread is "the io thread".
  explicit push_hub(boost::asio::io_context& io);

  void push(const std::vector<user_id>& users, std::shared_ptr<const std::string> frame) override;

  // io thread only. A session adds itself after auth and removes itself when it ends.
  void add(user_id user, push_target* target);
  void remove(user_id user, push_target* target);
  std::size_t sessions_of(user_id user) const;
  // io thread only: hands `frame` to the users' sessions now (push posts this).
  void deliver(const std::vector<user_id>& users, const std::shared_ptr<const std::string>& frame);

  // io thread only: closes every client socket (the node's store stalled; clients fail over).
  void close_all();

  // Any thread: runs `t` on the io thread, in order with pushes.
  io_mailbox& mailbox() { return mailbox_; }

  // Any thread: frames handed to sessions so far (one per recipient socket).
  std::uint64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }

 private:
  io_mailbox mailbox_;
  std::unordered_map<user_id, std::vector<push_target*>> by_user_;
  std::atomic<std::uint64_t> delivered_{0};
};

}  // namespace haetae::net
