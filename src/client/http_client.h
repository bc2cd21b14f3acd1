#pragma once
// Blocking HTTP calls to one node (docs/protocol.md §2), for the CLI and for test and benchmark
// set-up. Each call opens its own connection on a private io_context, so it may be used from any
// thread that is not running a session's io_context.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"
#include "client/node_url.h"

namespace haetae::client {

struct http_options {
  std::chrono::milliseconds timeout{10000};
};

// POST /api/<op> with `params` as the body; `token` may be empty (signup, login). A 200 gives the
// result object; other statuses the server's {"error":…}; no answer in time store_unavailable
// (the outcome is unknown: retry with the same ids).
result<boost::json::object> http_call(const node_url& node, std::string_view op,
                                      const boost::json::object& params, std::string_view token,
                                      http_options options = {});

// GET `path` (e.g. "/healthz", "/api/nodes") → the parsed JSON body of a 200.
result<boost::json::value> http_get(const node_url& node, std::string_view path,
                                    http_options options = {});

}  // namespace haetae::client
