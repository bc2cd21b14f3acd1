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

// On the primary, before acknowledging anything: `synchronous_standby_names` must name a
// standby, so every COMMIT waits for one in another data center (Patroni's strict synchronous
// mode keeps it set, to '*' when no standby is left, which blocks commits rather than accepting
// unreplicated ones). `require_standby` false accepts a lone server (tests, development).
status check_replication(pg_conn& db, bool require_standby);

}  // namespace haetae::store::pg
