#pragma once
// The server settings the store's promise depends on, checked at open: the store refuses to
// acknowledge anything on a server that could lose an acknowledged commit.
#include "base/result.h"
#include "store/postgres/pg_conn.h"

namespace haetae::store::pg {

// `SHOW synchronous_commit` must be `on` (`remote_apply` is stronger and accepted too).
// errc::store_unavailable naming the value otherwise.
status check_synchronous_commit(pg_conn& db);

// The writer's session, at open and after every reconnect: synchronous_commit checked again, and
// statement_timeout forced to 0 whatever the role or database default. A timeout that fired
// during COMMIT would cancel the wait for the synchronous standby and leave the transaction
// committed locally but unreplicated, so the commit path never has one.
status prepare_writer(pg_conn& db);

// Seam for the cluster work (issue 4): on a primary, require a named synchronous standby
// (synchronous_standby_names set, and strict mode) before acknowledging. A single server has
// none, so this accepts everything until the cluster piece fills it in.
status check_replication(pg_conn& db);

}  // namespace haetae::store::pg
