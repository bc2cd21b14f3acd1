#pragma once
// The network layer in-process on 127.0.0.1:0 over a fake service, so net tests need no store.
// The fake answers on its own thread, like the real dispatcher's pools.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace haetae::net::testing {

// Fake ops: "echo" returns its params; "whoami" {"user_id":…,"device_id":…}; "hold" replies
// only on release_held(); "signup"/"login" need no token and return {"ok":true}; others are
// unknown_op. Tokens look like "token-<user>-<device>".
class test_server {
 public:
  explicit test_server(std::chrono::milliseconds auth_timeout = std::chrono::seconds(10));
  ~test_server();

  std::uint16_t port() const;
  // api::push_sink::push, from this (non-io) thread.
  void push(const std::vector<std::int64_t>& users, const std::string& frame);
  // Hands `count` copies of a frame to the user's sockets in one io-thread turn, so no write
  // completes in between (the slow-consumer test).
  void deliver_burst(std::int64_t user, const std::string& frame, int count);
  // Live authenticated sockets of `user`, read on the io thread.
  std::size_t sessions_of(std::int64_t user);
  // Replies to every "hold" request received so far; returns how many.
  std::size_t release_held();
  std::size_t held();

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace haetae::net::testing
