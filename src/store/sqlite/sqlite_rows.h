#pragma once
// Row-level helpers shared by the writer (sqlite_writes) and the readers (sqlite_reads): loading
// rooms, members and users, and turning rows into the records of store/types.h.
#include <optional>
#include <vector>

#include "store/room_rows.h"
#include "store/sqlite/sqlite_db.h"
#include "store/types.h"

namespace haetae::store::sqlite {

std::optional<room_row> load_room(connection& db, room_id room);
// Every member row of the room, including members who left.
std::vector<member_row> load_members(connection& db, room_id room);

std::optional<user_record> load_user(connection& db, user_id user);
// 0 (friend), 1 (blocked) or nullopt: user's entry for other.
std::optional<std::int64_t> friend_state_of(connection& db, user_id user, user_id other);

// Columns: room_id, seq, kind, sender, subject, client_id, body, time_ms starting at `col`.
room_event event_from(const stmt& s, int col = 0);
inline constexpr const char* event_columns =
    "room_id, seq, kind, sender, subject, client_id, body, time_ms";

// The room as `viewer` sees it (viewer is a member row of the room, present or left).
room_summary build_summary(connection& db, const room_row& room,
                           const std::vector<member_row>& members, const member_row& viewer);

}  // namespace haetae::store::sqlite
