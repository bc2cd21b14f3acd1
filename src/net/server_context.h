#pragma once
// What every session of one server shares. Owned by the node; outlives every session.
#include <chrono>
#include <string>
#include <vector>

namespace haetae::net {

class service;
class push_hub;
class static_files;

struct server_context {
  service& ops;
  push_hub& hub;
  std::string self_url;  // for GET /api/nodes, e.g. "http://127.0.0.1:8080"
  std::chrono::milliseconds auth_timeout{10'000};  // first WebSocket frame must be auth by then
  std::chrono::milliseconds http_read_timeout{30'000};
  const static_files* web = nullptr;  // the built web client; null: not built
  // Browser origins besides this node's own that may open a WebSocket (the cluster's nodes).
  std::vector<std::string> allowed_origins = {};
};

}  // namespace haetae::net
