#pragma once
// Every store read as a function over a read connection, inside one REPEATABLE READ READ ONLY
// transaction (pg_read_pool): one committed snapshot per read.
#include <string_view>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/store.h"

namespace haetae::store::pg {

result<user_record> read_user_by_name(pg_conn& db, std::string_view name);
result<user_record> read_user_by_id(pg_conn& db, user_id id);
result<session_record> read_session(pg_conn& db, std::string_view token_hash);
result<std::vector<friend_entry>> read_friends(pg_conn& db, user_id user);
result<std::vector<room_summary>> read_rooms(pg_conn& db, user_id user);
result<room_summary> read_room(pg_conn& db, user_id viewer, room_id room);
result<page> read_history(pg_conn& db, user_id viewer, room_id room, seq_no before_seq, int limit);
result<page> read_sync(pg_conn& db, user_id viewer, room_id room, seq_no after_seq, int limit);
result<changes_page> read_changes(pg_conn& db, user_id user, change_no since, int limit);

}  // namespace haetae::store::pg
