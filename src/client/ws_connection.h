#pragma once
// One authenticated WebSocket to one node (docs/protocol.md §3): sends the token as the first
// frame, then carries requests (matched to results by rid) and pushes. No retry logic here: the
// session decides what to do when the connection ends.
//
// Threading: everything runs on the io_context given at creation, which must be run by a single
// thread; all methods and callbacks are on that thread. Beast stays inside the .cc.
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/ids.h"
#include "base/result.h"
#include "client/node_url.h"

namespace boost::asio {
class io_context;
}

namespace haetae::client {

struct auth_info {
  user_id user;
  device_id device;
};

struct ws_handlers {
  std::function<void(boost::json::object push)> on_push;  // {"type":"event"|"read",…}
  // Once, when an open connection ends (not called when open() fails). Pending requests have
  // been failed with errc::store_unavailable ("connection lost") before this runs.
  std::function<void(const error& why)> on_close;
};

using reply_fn = std::function<void(result<boost::json::object>)>;

class ws_connection : public std::enable_shared_from_this<ws_connection> {
 public:
  static std::shared_ptr<ws_connection> create(boost::asio::io_context& io, ws_handlers handlers);
  ~ws_connection();

  // Connect, handshake and authenticate within `timeout`; `done` gets who we are or why not.
  void open(node_url node, std::string token, std::chrono::milliseconds timeout,
            std::function<void(result<auth_info>)> done);

  // Send {"op":op,"rid":n,…fields}; `done` gets the result object or the error. On a closed
  // connection it fails at once (asynchronously) with errc::store_unavailable.
  void request(std::string_view op, boost::json::object fields, reply_fn done);

  // Before open(): how long a silent peer is tolerated once open (WebSocket pings are sent at
  // half of it). Default 20 s.
  void set_idle_timeout(std::chrono::milliseconds timeout);

  // Drop the connection now, as a network fault would (no close handshake).
  void close();

  // Send a WebSocket ping unless one is still unanswered. Anything the node sends (a pong, a
  // reply, a push) answers it.
  void ping();

  bool is_open() const;
  std::size_t pending() const;
  // How long the oldest unanswered request has waited (zero when none).
  std::chrono::steady_clock::duration oldest_pending_age() const;
  // How long the unanswered ping has waited (zero when none).
  std::chrono::steady_clock::duration unanswered_ping_age() const;

  struct impl;

 private:
  explicit ws_connection(boost::asio::io_context& io, ws_handlers handlers);
  std::unique_ptr<impl> impl_;
};

}  // namespace haetae::client
