#pragma once
// The operations of docs/protocol.md §4, independent of the transport: net/ calls `call` for
// `POST /api/<op>` and for WebSocket request frames alike. No Asio here: store writes complete
// on the store's writer thread, reads and password hashing run on this layer's bounded pools.
#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/push_sink.h"
#include "base/ids.h"
#include "base/result.h"

namespace haetae::store {
class store;
}

namespace haetae::api {

// Who is calling, established from a bearer token.
struct caller {
  user_id user;
  device_id device;
  std::string token_hash = {};  // the session's key in the store, so `logout` can end it
};

struct dispatcher_options {
  int read_threads = 2;                  // store reads
  int hash_threads = 2;                  // argon2id; each hash holds tens of MiB
  std::size_t max_queued_hashes = 64;    // beyond: errc::overloaded
  std::size_t max_queued_reads = 10000;  // beyond: errc::overloaded
  bool fast_password_hashing = false;    // tests and benchmarks only: argon2id at minimum cost
  std::string self_url;                  // for /api/nodes
};

// Called exactly once, from any thread. The object is the op's result (protocol §4).
using reply_fn = std::function<void(result<boost::json::object>)>;
using auth_fn = std::function<void(result<caller>)>;

class dispatcher {
 public:
  dispatcher(store::store& store, push_sink& pushes, dispatcher_options options);
  ~dispatcher();  // drains the pools
  dispatcher(const dispatcher&) = delete;
  dispatcher& operator=(const dispatcher&) = delete;

  // True for ops that need a token (all but signup and login). Unknown ops: true.
  static bool needs_auth(std::string_view op);

  // Resolves a bearer token (the raw token as the client holds it).
  void authenticate(std::string_view token, auth_fn done);

  // Runs `op` with the request's fields. `who` is empty only for ops that do not need auth.
  // Validation failures reply at once with invalid_field / field_too_long / unknown_op and touch
  // nothing.
  void call(std::optional<caller> who, std::string_view op, boost::json::object params,
            reply_fn done);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace haetae::api
