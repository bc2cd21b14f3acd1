#pragma once
// One device of one account, kept connected: the piece the CLI, the benchmark and the fire drill
// build on. It owns
// - a WebSocket to one node of a list, reconnected with jittered back-off (reconnect_policy);
// - the outbox: every send has a client id and is resent with it until acknowledged;
// - the room cursors: each event reaches the application once, in seq order, with no hole;
// - the change cursor: on every (re)connect `changes` from it, then `sync` each changed room.
//
// Threading: everything runs on the io_context given at construction, which must be run by one
// thread. Call every method on that thread (or before it runs); every handler runs on it. Destroy
// the session on that thread or after the io_context stopped.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/result.h"
#include "client/outbox.h"
#include "client/reconnect_policy.h"
#include "client/ws_connection.h"
#include "store/types.h"

namespace boost::asio {
class io_context;
}

namespace haetae::client {

struct session_options {
  std::vector<std::string> nodes;  // base URLs, e.g. "http://127.0.0.1:8080"; not empty
  std::string token;
  outbox_options outbox;
  reconnect_options reconnect;
  std::chrono::milliseconds connect_timeout{5000};
  // A request unanswered this long on a socket that looks alive: drop the socket and go to the
  // next node; the outbox resends with the same ids there. A live node answers every request
  // within about 8 s even while its primary is frozen (store_unavailable at the latest when its
  // writer gives up on the server, 1.5 × --stall-after), so this only catches a broken one; as
  // the web client's.
  std::chrono::milliseconds request_timeout{10000};
  // A request unanswered for `ping_after` makes the session ping the node; a ping unanswered for
  // `silence_timeout` means the node is gone (burnt, cut off, frozen), and the session moves on.
  // A live node answers pings at once, even while its store is slow, so only silence counts.
  std::chrono::milliseconds ping_after{250};
  std::chrono::milliseconds silence_timeout{1000};
  // A node that sends nothing (not even a pong) this long is left for the next one; pings go
  // out at half of it. What a burnt data center's clients wait before they move.
  std::chrono::milliseconds idle_timeout{8000};
  std::chrono::milliseconds tick{100};  // outbox deadlines, hole retries, request timeouts
  // Track only these rooms (e.g. `haetae follow`); empty: all rooms.
  std::vector<room_id> only_rooms;
  change_no change_cursor = 0;  // where `changes` starts on the first connect
  std::uint64_t seed = 0;       // client ids and back-off jitter; 0: random
};

struct session_handlers {
  // Every room event, exactly once per device, in seq order per room, never after a hole.
  std::function<void(const store::room_event&)> on_event;
  std::function<void(const store::read_update&)> on_read;  // a member's read marker moved
  std::function<void(const outbox_entry&, const store::send_ack&)> on_ack;
  std::function<void(const failed_send&)> on_send_failed;  // a permanent error; not resent
  std::function<void(const auth_info&)> on_connected;
  std::function<void(const error&)> on_disconnected;
  std::function<void()> on_caught_up;  // after each (re)connect's changes + sync finished
};

class session {
 public:
  session(boost::asio::io_context& io, session_options options, session_handlers handlers);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void start();  // connect, and keep reconnecting until stop()
  void stop();   // drop the connection; the outbox keeps its entries

  // Queue a message; returns its client id. It is sent now if connected, else on connect.
  std::string send(room_id room, std::string body);
  void send_with_id(room_id room, std::string client_id, std::string body);

  // Any op of protocol §4 over the socket. Fails with store_unavailable when not connected.
  void call(std::string op, boost::json::object fields, reply_fn done);

  bool connected() const;
  bool caught_up() const;           // connected and the last catch-up finished
  auth_info identity() const;       // valid once connected
  const std::string& node() const;  // the node in use or tried next
  seq_no cursor(room_id room) const;
  void set_cursor(room_id room, seq_no seq);
  change_no change_cursor() const;
  std::size_t outbox_size() const;
  int reconnects() const;  // connections made after the first

  // Drop the socket as a network fault would; the session reconnects by itself.
  void test_drop_connection();

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace haetae::client
