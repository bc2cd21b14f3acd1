#pragma once
// What every session of one server shares. Owned by the node; outlives every session.
#include <chrono>
#include <functional>
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
  // The cluster's nodes for GET /api/nodes (clients fail over along it); empty: this node only.
  std::vector<std::string> node_urls = {};
  // io thread. Empty when the node can serve; else why not (GET /readyz answers 503 with it,
  // and WebSocket upgrades are refused so clients go to another node).
  std::function<std::string()> not_ready = {};
};

}  // namespace haetae::net
