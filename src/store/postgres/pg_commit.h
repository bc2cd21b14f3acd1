#pragma once
// COMMIT whose success means "replicated": with synchronous_commit on and a synchronous standby
// named, PostgreSQL returns from COMMIT only once the standby has the commit. Anything else is
// an unknown outcome that must not be acknowledged or published.
#include <string>

#include "store/postgres/pg_conn.h"

namespace haetae::store::pg {

// True when the transaction committed and its wait for the standby finished normally. False
// with `why` when the outcome is unknown: an error or a dropped connection, an aborted
// transaction (its COMMIT answers ROLLBACK without an error), or a WARNING on a successful
// COMMIT (a cancelled standby wait leaves it "committed locally, but might not have been
// replicated").
bool commit_replicated(pg_conn& db, std::string& why);

}  // namespace haetae::store::pg
