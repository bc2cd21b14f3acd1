#pragma once
// One haetae node (DESIGN §1): the store, the api dispatcher, the push hub and the listener,
// wired together on one io thread. The event loop never blocks on the store: the dispatcher
// runs store reads and password hashing on its own bounded pools, and store writes complete on
// the store's writer thread; both post their results back to the io thread.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace haetae::node {

struct node_options {
  std::string data_dir = "./haetae-data";  // the SQLite store, unless postgres is set
  std::string postgres;                    // libpq connection string: use PostgreSQL instead
  // This data center's own PostgreSQL (any role): reads go there while no primary answers, so
  // history stays readable during a failover. Empty: reads wait for a primary.
  std::string postgres_local;
  // Tests and development only: accept a PostgreSQL without a synchronous standby.
  bool postgres_without_standby = false;
  // The cluster's node URLs, listed by GET /api/nodes for clients to fail over along.
  std::vector<std::string> node_urls;
  // A write unanswered this long: the node reports not ready and closes its client sockets.
  int stall_after_ms = 5000;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;           // 0: an ephemeral port (see node::port)
  bool fast_password_hashing = false;  // tests and benchmarks only
  // The built web client served at /; empty or missing: a page that says it is not built.
  std::string web_dir;
  std::vector<std::string> allowed_origins;  // other origins whose pages may use /ws
};

class node {
 public:
  // Creates the data dir, opens the SQLite store, binds and starts serving. Fails with a clear
  // message (store_unavailable, or the bind error) without leaving anything running.
  static result<std::unique_ptr<node>> start(const node_options& options);
  ~node();  // stop()
  node(const node&) = delete;
  node& operator=(const node&) = delete;

  std::uint16_t port() const;      // the bound port
  const std::string& url() const;  // "http://HOST:PORT"

  // Stops accepting, closes every connection, drains the dispatcher and the store. Idempotent;
  // call from any thread but the io thread.
  void stop();

  struct impl;

 private:
  explicit node(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace haetae::node
