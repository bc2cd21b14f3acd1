#pragma once
// Fan-out between nodes (DESIGN §1): this node's members get the events other nodes commit by
// push, not only at their next sync. A thread LISTENs on the wake-up channel (pg_publish.h) with
// its own connection, reads the events a wake-up names (published, so replicated) and hands
// them to the node with the members who may see each one.
//
// A wake-up is a hint. Publications are numbered without gaps, so a missing number (or a
// reconnect of the listening connection, e.g. after a failover) means wake-ups were lost: the
// thread then asks room_visible what changed since the last number it saw (the digest), and it
// does so every `digest_every` anyway, which bounds the delay a lost wake-up can cause. Events
// are pushed per room from the last seq this node pushed or saw there; a room it never saw gets
// only its latest event, and the member's client fills the hole by sync. A wake-up that names a
// room without new events (a read marker moved) pushes the room's read markers.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_publish.h"
#include "store/store.h"

namespace haetae::store::pg {

class fanout {
 public:
  fanout(std::string conninfo, std::string node_tag, other_nodes_watch watch,
         std::chrono::milliseconds digest_every = std::chrono::milliseconds(2000));
  ~fanout();  // stops the thread; no call of the handler runs after it returns
  fanout(const fanout&) = delete;
  fanout& operator=(const fanout&) = delete;

 private:
  void run();
  bool listen();
  void on_wake(const wake_up& w);
  void digest();
  void push_range(room_id room, seq_no lo, seq_no hi);
  void push_read_markers(room_id room);

  std::unique_ptr<pg_conn> db_;
  const std::string node_tag_;
  const other_nodes_watch watch_;
  const std::chrono::milliseconds digest_every_;
  std::atomic<bool> stopping_{false};

  // Thread-only state.
  bool listening_ = false;
  std::int64_t applied_change_ = -1;          // the last publication number handled; -1: none yet
  std::unordered_map<room_id, seq_no> seen_;  // per room: the last seq pushed or published here
  std::thread thread_;
};

}  // namespace haetae::store::pg
