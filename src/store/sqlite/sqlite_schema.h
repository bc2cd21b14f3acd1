#pragma once
// The SQLite schema (docs/store-schema.md) and its migrations, keyed by PRAGMA user_version.
#include "store/sqlite/sqlite_db.h"

namespace haetae::store::sqlite {

inline constexpr int schema_version = 1;

// Creates or migrates the schema to schema_version in one transaction. Fails with
// errc::store_unavailable if the file is from a newer haetae or cannot be written.
status migrate(connection& db);

}  // namespace haetae::store::sqlite
