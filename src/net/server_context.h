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

// What a node can do now, as GET /readyz and WebSocket upgrades see it.
struct readiness {
  bool reads = true;   // history, sync and changes are served
  bool writes = true;  // sends and other writes are committed
  // Whether clients should stay on (and come to) this node: it serves reads and has not been
  // unable to write for longer than a failover takes (then the trouble is likely its own).
  bool keeps_clients = true;
  std::string reason;  // why not everything is served, for operators; empty when it is
};

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
  // io thread. GET /readyz answers 200 when reads and writes are served, else 503 saying which
  // are not; GET /readyz/clients and WebSocket upgrades follow keeps_clients. Unset: all served.
  std::function<readiness()> check_readiness = {};
};

}  // namespace haetae::net
