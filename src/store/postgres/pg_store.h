#pragma once
// The PostgreSQL backend of store::store (DESIGN §1), for clusters: group commit by one writer
// connection, reads on a small pool of separate connections. Several nodes may share one
// database: room rows are the seq counters, locked FOR UPDATE in ascending id per batch.
// See src/store/README.md and docs/store-schema.md.
#include <cstddef>
#include <memory>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace haetae::store {

struct pg_options {
  std::string conninfo = {};               // libpq connection string (multi-host in a cluster)
  int readers = 2;                         // read connections
  std::size_t max_queued_writes = 100000;  // beyond: errc::overloaded at once
  int max_batch_retries = 5;  // whole-batch retries after a deadlock or serialization failure
};

// Connects, checks the server's durability settings (synchronous_commit must be on) and creates
// or migrates the schema. errc::store_unavailable with a message otherwise.
result<std::unique_ptr<store>> open_pg_store(const pg_options& options);

}  // namespace haetae::store
