#include "store/sqlite/sqlite_schema.h"

#include <fmt/format.h>

#include <string>

namespace haetae::store::sqlite {
namespace {

// Version 1. Each later version appends one step to `steps` below; a step never changes.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_ms    INTEGER NOT NULL
);
CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  device_name TEXT NOT NULL,
  created_ms  INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE friends (
  user_id  INTEGER NOT NULL REFERENCES users(id),
  other_id INTEGER NOT NULL REFERENCES users(id),
  state    INTEGER NOT NULL,
  PRIMARY KEY (user_id, other_id)
) WITHOUT ROWID;
CREATE TABLE rooms (
  id           INTEGER PRIMARY KEY,
  kind         INTEGER NOT NULL,
  title        TEXT NOT NULL,
  creator      INTEGER NOT NULL REFERENCES users(id),
  client_id    TEXT,
  user_lo      INTEGER,
  user_hi      INTEGER,
  last_seq     INTEGER NOT NULL,
  last_time_ms INTEGER NOT NULL,
  change       INTEGER NOT NULL
);
CREATE UNIQUE INDEX rooms_direct_pair ON rooms(user_lo, user_hi) WHERE kind = 0;
CREATE UNIQUE INDEX rooms_group_client ON rooms(creator, client_id) WHERE kind = 1;
CREATE TABLE members (
  room_id    INTEGER NOT NULL REFERENCES rooms(id),
  user_id    INTEGER NOT NULL REFERENCES users(id),
  joined_seq INTEGER NOT NULL,
  left_seq   INTEGER NOT NULL,
  read_seq   INTEGER NOT NULL,
  PRIMARY KEY (room_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_user ON members(user_id, room_id);
CREATE TABLE events (
  room_id   INTEGER NOT NULL REFERENCES rooms(id),
  seq       INTEGER NOT NULL,
  kind      INTEGER NOT NULL,
  sender    INTEGER NOT NULL,
  subject   INTEGER NOT NULL,
  client_id TEXT NOT NULL,
  body      TEXT NOT NULL,
  time_ms   INTEGER NOT NULL,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX events_by_client_id ON events(sender, client_id) WHERE kind = 0;
)sql";

constexpr const char* steps[] = {schema_v1};
static_assert(std::size(steps) == schema_version);

}  // namespace

status migrate(connection& db) {
  try {
    db.exec("BEGIN IMMEDIATE");
    int version = std::stoi(db.pragma_text("PRAGMA user_version"));
    if (version > schema_version) {
      db.exec("ROLLBACK");
      return make_error(errc::store_unavailable,
                        fmt::format("the database has schema version {}, newer than this "
                                    "haetae's {}; upgrade haetae",
                                    version, schema_version));
    }
    for (int v = version; v < schema_version; ++v) db.exec(steps[v]);
    if (version != schema_version) {
      std::string set = fmt::format("PRAGMA user_version = {}", schema_version);
      db.exec(set.c_str());
    }
    db.exec("COMMIT");
    return ok_status();
  } catch (const db_error& e) {
    (void)db.try_exec("ROLLBACK");
    return make_error(errc::store_unavailable,
                      fmt::format("schema migration failed: {}", e.what()));
  }
}

}  // namespace haetae::store::sqlite
