#pragma once
// The PostgreSQL schema (docs/store-schema.md, "PostgreSQL backend") and its migrations,
// versioned in the `schema_version` table and applied at open under an advisory lock, so two
// nodes starting together migrate once.
#include "base/result.h"
#include "store/postgres/pg_conn.h"

namespace haetae::store::pg {

inline constexpr int schema_version = 3;

// Applies the missing steps in one transaction. errc::store_unavailable if the database is
// newer than this haetae or a step fails.
status migrate(pg_conn& db);

}  // namespace haetae::store::pg
