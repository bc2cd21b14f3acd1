#pragma once
// The PostgreSQL backend of store::store (DESIGN §1), for clusters: group commit by one writer
// connection, reads on a small pool of separate connections. Several nodes may share one
// database: room rows are the seq counters, locked FOR UPDATE in ascending id per batch.
// See src/store/README.md and docs/store-schema.md.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace haetae::store {

struct pg_options {
  std::string conninfo = {};  // libpq connection string (multi-host, read-write in a cluster)
  // This data center's own server (any role), read while the primary does not answer.
  std::string local_conninfo = {};
  // Refuse to acknowledge unless the primary names a synchronous standby (pg_settings.h).
  bool require_sync_standby = true;
  // A write unanswered this long makes the store report itself stalled (store_health).
  std::chrono::milliseconds stall_after{5000};
  int readers = 2;                         // read connections (per server)
  std::size_t max_queued_writes = 100000;  // beyond: errc::overloaded at once
  int max_batch_retries = 5;  // whole-batch retries after a deadlock or serialization failure
  // Tests only: start as if this node had committed through this timeline.
  std::uint32_t test_committed_timeline = 0;
};

// Opens the store. When the server answers, checks its durability settings (synchronous_commit
// on, a synchronous standby named) and creates or migrates the schema first, and fails with
// errc::store_unavailable and a message when they are wrong. When it does not answer (a node
// started before its database, or during a failover), the store opens anyway: it reports not
// ready (health) and keeps trying; writes fail with store_unavailable until it is ready.
result<std::unique_ptr<store>> open_pg_store(const pg_options& options);

}  // namespace haetae::store
