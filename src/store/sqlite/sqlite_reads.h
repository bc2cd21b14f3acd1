#pragma once
// Every store read as a function over one pooled read connection, run inside one read
// transaction (one WAL snapshot) by sqlite_store.
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace haetae::store::sqlite {

result<user_record> read_user_by_name(connection& db, std::string_view name);
result<user_record> read_user_by_id(connection& db, user_id id);
result<session_record> read_session(connection& db, std::string_view token_hash);
result<std::vector<friend_entry>> read_friends(connection& db, user_id user);
result<std::vector<room_summary>> read_rooms(connection& db, user_id user);
result<room_summary> read_room(connection& db, user_id viewer, room_id room);
result<page> read_history(connection& db, user_id viewer, room_id room, seq_no before_seq,
                          int limit);
result<page> read_sync(connection& db, user_id viewer, room_id room, seq_no after_seq, int limit);
result<changes_page> read_changes(connection& db, user_id user, change_no since, int limit);

}  // namespace haetae::store::sqlite
