#pragma once
// Every store write as a function run by the writer thread inside the batch transaction, in the
// write's own savepoint (group_commit). A returned error rolls the savepoint back; a thrown
// db_error does too and becomes errc::store_unavailable.
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace haetae::store::sqlite {

// The writer's state: its connection and the store-wide change counter, held in memory (the
// writer is the only one that advances it) and stored per room.
struct write_context {
  connection& db;
  change_no last_change = 0;
  change_no next_change() { return ++last_change; }
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
// The send rules, here in C++ (PostgreSQL runs them in its function haetae_send).
result<sent> do_send(write_context& w, const send_request& request);

}  // namespace haetae::store::sqlite
