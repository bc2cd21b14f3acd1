#include "store/postgres/pg_schema.h"

#include <fmt/format.h>

#include <iterator>

namespace haetae::store::pg {
namespace {

// Any constant shared by every haetae: serialises concurrent migrations.
constexpr std::int64_t migration_lock_key = 0x68616574616531;  // "haetae1"

// Version 1. Each later version appends one step to `steps` below; a step never changes.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE users (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_ms    BIGINT NOT NULL
);
CREATE TABLE sessions (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  user_id     BIGINT NOT NULL REFERENCES users(id),
  device_name TEXT NOT NULL,
  created_ms  BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE friends (
  user_id  BIGINT NOT NULL REFERENCES users(id),
  other_id BIGINT NOT NULL REFERENCES users(id),
  state    SMALLINT NOT NULL,
  PRIMARY KEY (user_id, other_id)
);
CREATE TABLE rooms (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         SMALLINT NOT NULL,
  title        TEXT NOT NULL,
  creator      BIGINT NOT NULL REFERENCES users(id),
  client_id    TEXT,
  user_lo      BIGINT,
  user_hi      BIGINT,
  last_seq     BIGINT NOT NULL,
  last_time_ms BIGINT NOT NULL,
  change       BIGINT NOT NULL
);
CREATE UNIQUE INDEX rooms_direct_pair ON rooms(user_lo, user_hi) WHERE kind = 0;
CREATE UNIQUE INDEX rooms_group_client ON rooms(creator, client_id) WHERE kind = 1;
CREATE INDEX rooms_by_change ON rooms(change);
CREATE TABLE members (
  room_id    BIGINT NOT NULL REFERENCES rooms(id),
  user_id    BIGINT NOT NULL REFERENCES users(id),
  joined_seq BIGINT NOT NULL,
  left_seq   BIGINT NOT NULL,
  read_seq   BIGINT NOT NULL,
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX members_by_user ON members(user_id, room_id);
CREATE TABLE events (
  room_id   BIGINT NOT NULL REFERENCES rooms(id),
  seq       BIGINT NOT NULL,
  kind      SMALLINT NOT NULL,
  sender    BIGINT NOT NULL,
  subject   BIGINT NOT NULL,
  client_id TEXT NOT NULL,
  body      TEXT NOT NULL,
  time_ms   BIGINT NOT NULL,
  PRIMARY KEY (room_id, seq)
);
CREATE UNIQUE INDEX events_by_client_id ON events(sender, client_id) WHERE kind = 0;
CREATE TABLE change_counter (
  id   SMALLINT PRIMARY KEY CHECK (id = 1),
  last BIGINT NOT NULL
);
INSERT INTO change_counter (id, last) VALUES (1, 0);
)sql";

// Version 2: what readers may see (DESIGN §2). A room's events are shown only up to its
// published `seq`, which a node raises only after the commit that wrote them has returned
// (replicated); `change` numbers the publications for `changes`. `node_beats` gives every batch
// one real write, so its COMMIT waits for the synchronous standby even when it only found
// duplicates. `cluster_epoch` notices a promotion (a new timeline).
constexpr const char* schema_v2 = R"sql(
CREATE TABLE room_visible (
  room_id BIGINT PRIMARY KEY REFERENCES rooms(id),
  seq     BIGINT NOT NULL,
  change  BIGINT NOT NULL
);
CREATE INDEX room_visible_by_change ON room_visible(change);
INSERT INTO room_visible (room_id, seq, change) SELECT id, last_seq, change FROM rooms;
CREATE TABLE node_beats (
  node  TEXT PRIMARY KEY,
  beats BIGINT NOT NULL
);
CREATE TABLE cluster_epoch (
  id       SMALLINT PRIMARY KEY CHECK (id = 1),
  timeline TEXT NOT NULL
);
INSERT INTO cluster_epoch (id, timeline) VALUES (1, '');
)sql";

// Version 3: a send as one server-side call. The writer used to run each send as about nine
// statements, each a round trip to the primary; this function does the same steps in the same
// order inside the caller's transaction and savepoint (room row lock, dedup after it, members,
// block check, append, counters) and returns what the caller needs to answer and push.
// outcome: 0 sent, 1 duplicate (ack_* is the original), 2 no such room, 3 not a member,
// 4 blocked. Members come back ordered by user id, as load_members reads them.
constexpr const char* schema_v3 = R"sql(
CREATE FUNCTION haetae_send(p_sender BIGINT, p_room BIGINT, p_client_id TEXT, p_body TEXT,
                            p_now BIGINT,
                            OUT outcome SMALLINT, OUT ack_room BIGINT, OUT ack_seq BIGINT,
                            OUT ack_time BIGINT, OUT m_user BIGINT[], OUT m_joined BIGINT[],
                            OUT m_left BIGINT[], OUT m_read BIGINT[])
LANGUAGE plpgsql AS $fn$
DECLARE
  r rooms%ROWTYPE;
  other BIGINT;
BEGIN
  SELECT * INTO r FROM rooms WHERE id = p_room FOR UPDATE;
  SELECT e.room_id, e.seq, e.time_ms INTO ack_room, ack_seq, ack_time FROM events e
    WHERE e.sender = p_sender AND e.client_id = p_client_id AND e.kind = 0;
  IF FOUND THEN
    outcome := 1;
    RETURN;
  END IF;
  IF r.id IS NULL THEN
    outcome := 2;
    RETURN;
  END IF;
  SELECT array_agg(m.user_id ORDER BY m.user_id), array_agg(m.joined_seq ORDER BY m.user_id),
         array_agg(m.left_seq ORDER BY m.user_id), array_agg(m.read_seq ORDER BY m.user_id)
    INTO m_user, m_joined, m_left, m_read FROM members m WHERE m.room_id = p_room;
  IF NOT EXISTS (SELECT 1 FROM members m WHERE m.room_id = p_room AND m.user_id = p_sender
                 AND m.left_seq = 0) THEN
    outcome := 3;
    RETURN;
  END IF;
  IF r.kind = 0 THEN
    other := CASE WHEN r.user_lo = p_sender THEN r.user_hi ELSE r.user_lo END;
    IF EXISTS (SELECT 1 FROM friends f WHERE f.user_id = other AND f.other_id = p_sender
               AND f.state = 1) THEN
      outcome := 4;
      RETURN;
    END IF;
  END IF;
  ack_room := p_room;
  ack_seq := r.last_seq + 1;
  ack_time := p_now;
  INSERT INTO events (room_id, seq, kind, sender, subject, client_id, body, time_ms)
    VALUES (p_room, ack_seq, 0, p_sender, 0, p_client_id, p_body, p_now);
  UPDATE rooms SET last_seq = ack_seq, last_time_ms = p_now WHERE id = p_room;
  UPDATE members SET read_seq = ack_seq WHERE room_id = p_room AND user_id = p_sender;
  outcome := 0;
END
$fn$;
)sql";

constexpr const char* steps[] = {schema_v1, schema_v2, schema_v3};
static_assert(std::size(steps) == schema_version);

}  // namespace

status migrate(pg_conn& db) {
  try {
    db.exec("BEGIN");
    db.exec("SELECT pg_advisory_xact_lock($1)", {migration_lock_key});
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    auto r = db.exec("SELECT version FROM schema_version");
    int version = r.empty() ? 0 : static_cast<int>(r.i64(0, 0));
    if (version > schema_version) {
      db.exec("ROLLBACK");
      return make_error(errc::store_unavailable,
                        fmt::format("the database has schema version {}, newer than this "
                                    "haetae's {}; upgrade haetae",
                                    version, schema_version));
    }
    for (int v = version; v < schema_version; ++v) db.exec(steps[v]);
    if (r.empty()) {
      db.exec("INSERT INTO schema_version (version) VALUES ($1)", {schema_version});
    } else if (version != schema_version) {
      db.exec("UPDATE schema_version SET version = $1", {schema_version});
    }
    db.exec("COMMIT");
    return ok_status();
  } catch (const pg_error& e) {
    (void)db.try_exec("ROLLBACK");
    return make_error(errc::store_unavailable,
                      fmt::format("schema migration failed: {}", e.what()));
  }
}

}  // namespace haetae::store::pg
