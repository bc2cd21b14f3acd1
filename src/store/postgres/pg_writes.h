#pragma once
// Every store write as a function run by the writer thread inside the batch transaction, in the
// write's own savepoint (pg_group_commit). A returned error rolls the savepoint back; a thrown
// pg_error is classified by the committer.
#include <string>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/store.h"

namespace haetae::store::pg {

// A room's events up to `hi` may be shown once this batch's commit has returned (replicated);
// `lo` is the first event this batch appended there (== hi + 1 when it appended none), so other
// nodes push just the new ones. `changed`: the write changed the room (events, read markers),
// so it gets a new change number even when its seq is published already.
struct exposure {
  room_id room;
  seq_no lo = 0;
  seq_no hi = 0;
  bool changed = true;
};

// The writer's state for one write: its connection, and what it may publish once committed
// (pg_publish.h). Every seq a write read or wrote under the batch may be exposed: the batch's
// COMMIT returns only after everything before it in the WAL is replicated.
struct write_context {
  pg_conn& db;
  std::vector<exposure> exposed;
  void expose(room_id room, seq_no lo, seq_no hi, bool changed = true) {
    exposed.push_back({room, lo, hi, changed});
  }
};

// The rooms a write will lock, known before it runs: the batch locks them all up front in
// ascending id, so writers on several nodes cannot deadlock.
struct lock_plan {
  std::vector<room_id> rooms;
  std::vector<std::pair<user_id, user_id>> direct_pairs;  // (lo, hi): the pair's room, if any
};

result<user_record> do_create_user(write_context& w, const std::string& name,
                                   const std::string& display_name,
                                   const std::string& password_hash);
result<session_record> do_create_session(write_context& w, user_id user,
                                         const std::string& token_hash,
                                         const std::string& device_name);
result<done> do_delete_session(write_context& w, const std::string& token_hash);
result<user_record> do_update_display_name(write_context& w, user_id user,
                                           const std::string& display_name);
result<friend_entry> do_set_friend(write_context& w, user_id user, user_id other,
                                   friend_state state);
// Room membership and read markers: the shared rules (store/room_rules.h) over this backend.
result<room_change> do_open_direct_room(write_context& w, user_id user, user_id other);
result<room_change> do_create_group_room(write_context& w, const group_request& request);
result<room_change> do_invite(write_context& w, user_id actor, room_id room,
                              const std::vector<user_id>& members);
result<room_change> do_leave(write_context& w, user_id user, room_id room);
result<read_update> do_mark_read(write_context& w, user_id user, room_id room, seq_no seq);
// One round trip: the PL/pgSQL function haetae_send (schema v3) holds the send rules.
result<sent> do_send(write_context& w, const send_request& request);

}  // namespace haetae::store::pg
