#pragma once
// The sender's outbox (docs/protocol.md §1, DESIGN §2): a message stays here from the moment the
// application sends it until its acknowledgement arrives, and every (re)send carries the same
// client id, so the server stores it once however often it is resent.
//
// Pure state, no I/O and no clock of its own (the caller passes `now`), so it is tested without a
// server. Not thread-safe: owned by one session on one thread.
#include <chrono>
#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "base/result.h"

namespace haetae::client {

using steady = std::chrono::steady_clock;

struct outbox_options {
  // No acknowledgement this long after a send although the socket looks alive: send again.
  std::chrono::milliseconds ack_timeout{5000};
  // After overloaded / store_unavailable / rate_limited: wait this long, then send again.
  std::chrono::milliseconds retry_delay{500};
  // Sends awaiting acknowledgement at once (pipelining window); the rest wait in the queue.
  std::size_t max_in_flight = 256;
};

struct outbox_entry {
  std::string client_id;
  room_id room;
  std::string body;
  steady::time_point added;
  steady::time_point sent;        // last attempt
  steady::time_point not_before;  // after a retryable error
  int attempts = 0;
  bool in_flight = false;
};

struct failed_send {
  outbox_entry entry;
  error why;
};

// Retryable outcomes leave the entry in the outbox; all others fail it.
bool is_retryable(errc code);

class outbox {
 public:
  explicit outbox(outbox_options options = {});

  // Queues a message. `client_id` must be unique within the outbox.
  void add(room_id room, std::string client_id, std::string body, steady::time_point now);

  // The entries to put on the wire now, first-in first-out per room, each marked in flight:
  // queued ones (up to the window) and in-flight ones whose ack is overdue (resent, same id).
  // An entry waiting out a retry delay holds back the not-yet-sent entries of its room.
  std::vector<outbox_entry> take_due(steady::time_point now);

  // The send was acknowledged: the entry leaves. Empty if it had left already (a late or
  // duplicate acknowledgement).
  std::optional<outbox_entry> on_ack(std::string_view client_id);

  // The send was refused. Retryable codes requeue the entry after retry_delay (same id) and
  // return nothing; other codes remove it and return it with the reason.
  std::optional<failed_send> on_error(std::string_view client_id, const error& why,
                                      steady::time_point now);

  // The connection dropped: whatever was in flight is sent again on the next connection.
  void on_disconnect();

  // The earliest time take_due may return something new (an ack deadline or a retry time).
  std::optional<steady::time_point> next_deadline() const;

  std::size_t size() const { return entries_.size(); }
  std::size_t in_flight() const { return in_flight_; }
  bool contains(std::string_view client_id) const;

 private:
  using list = std::list<outbox_entry>;

  outbox_options options_;
  list entries_;  // in order of add
  std::unordered_map<std::string, list::iterator> by_id_;
  std::size_t in_flight_ = 0;
};

}  // namespace haetae::client
