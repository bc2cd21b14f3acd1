#pragma once
// A backend's write transaction as the room rules (room_rules.h) see it: the few reads and
// writes of rows they are made of. Each backend implements it over its writer's connection, so
// the rules are written once and only the SQL differs. Every call runs inside the write's own
// savepoint and may throw the backend's database error, as the backend's writes always have.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/room_rows.h"
#include "store/types.h"

namespace haetae::store {

class room_tx {
 public:
  virtual ~room_tx() = default;

  virtual bool user_exists(user_id user) = 0;
  // friend_state_friend, friend_state_blocked or nullopt: user's entry for other.
  virtual std::optional<std::int64_t> friend_state_of(user_id user, user_id other) = 0;

  // The direct room of the pair lo < hi, if they have one.
  virtual std::optional<room_id> find_direct_room(user_id lo, user_id hi) = 0;
  // The group room `creator` made with `client_id`, if any (the creation is a retry).
  virtual std::optional<room_id> find_group_room(user_id creator, const std::string& client_id) = 0;
  // The room, held for the rest of the transaction: PostgreSQL locks its row (its seq counter)
  // FOR UPDATE; SQLite's one writer holds the whole database already.
  virtual std::optional<room_row> lock_room(room_id room) = 0;
  // Every member row of the room, including members who left.
  virtual std::vector<member_row> load_members(room_id room) = 0;
  // A new room row without events (kind: room_kind_direct or room_kind_group; lo and hi valid
  // only for a direct room, client_id only for a group room). PostgreSQL holds it locked from
  // its insert on.
  virtual room_id insert_room(std::int64_t kind, const std::string& title, user_id creator,
                              const std::string* client_id, user_id lo, user_id hi) = 0;

  virtual void insert_event(const room_event& e) = 0;
  // Stores the room's counter (last_seq, last_time_ms) after events `first`..last_seq were
  // appended (none when first > last_seq), and marks the room changed: SQLite gives it a new
  // change number, PostgreSQL exposes the new events for publication after the commit.
  virtual void finish_room(room_row& room, seq_no first) = 0;
  // A write that found nothing to change in the room (a retry): PostgreSQL publishes the room
  // as it is, since the first attempt's publication may have been lost.
  virtual void expose_unchanged(room_id room) = 0;

  // Adds or re-adds a member whose `joined` event has seq `joined_seq`.
  virtual void upsert_member(room_id room, user_id user, seq_no joined_seq, seq_no read_seq) = 0;
  virtual void set_left_seq(room_id room, user_id user, seq_no seq) = 0;
  virtual void set_read_seq(room_id room, user_id user, seq_no seq) = 0;
  // How far a read marker may go in the locked room: SQLite, its last event; PostgreSQL, what
  // readers may see (a marker must not name a message a failover could take back).
  virtual seq_no readable_seq(const room_row& room) = 0;
};

}  // namespace haetae::store
