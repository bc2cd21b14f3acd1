#pragma once
// What a node tells load balancers and clients about itself, from its store's health over time
// (GET /readyz, GET /readyz/clients, WebSocket upgrades). A decision kept out of the I/O, with
// time as a parameter, so its rules are tested alone.
//
// A node whose store cannot write for a few seconds is usually in a failover that stalls every
// node at once: it keeps its clients (they read history and resend their writes shortly) rather
// than send them all to nodes that stall just the same. Only when it has not been able to write
// for longer than a failover takes is the trouble likely its own (cut off from the primary, or
// fenced off an old one): then it lets its clients go. A node that cannot read for longer than a
// short grace keeps nobody (one failed read is not enough: its clients would all reconnect).
#include <chrono>
#include <optional>

#include "net/server_context.h"
#include "store/store.h"

namespace haetae::node {

class readiness_tracker {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  readiness_tracker(std::chrono::milliseconds move_clients_after,
                    std::chrono::milliseconds unreadable_grace)
      : move_clients_after_(move_clients_after), unreadable_grace_(unreadable_grace) {}

  // Not thread-safe: call from one thread (the node's io thread). `now` never goes back.
  net::readiness observe(const store::store_health& health, time_point now);

 private:
  const std::chrono::milliseconds move_clients_after_;
  const std::chrono::milliseconds unreadable_grace_;
  bool ever_writable_ = false;
  std::optional<time_point> unwritable_since_;
  std::optional<time_point> unreadable_since_;
};

}  // namespace haetae::node
