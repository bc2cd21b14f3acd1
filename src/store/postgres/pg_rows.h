#pragma once
// Row-level helpers shared by the writer (pg_writes) and the readers (pg_reads): loading rooms,
// members and users, and turning rows into the records of store/types.h.
#include <optional>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/room_rows.h"
#include "store/types.h"

namespace haetae::store::pg {

enum class lock_mode { none, for_update };

// for_update: takes the room row's lock (the room's seq counter) until the transaction ends.
std::optional<room_row> load_room(pg_conn& db, room_id room, lock_mode lock = lock_mode::none);
// Every member row of the room, including members who left.
std::vector<member_row> load_members(pg_conn& db, room_id room);

std::optional<user_record> load_user(pg_conn& db, user_id user);
// 0 (friend), 1 (blocked) or nullopt: user's entry for other.
std::optional<std::int64_t> friend_state_of(pg_conn& db, user_id user, user_id other);

inline constexpr const char* event_columns =
    "room_id, seq, kind, sender, subject, client_id, body, time_ms";
// Columns event_columns starting at `col` of `row`.
room_event event_from(const pg_result& r, int row, int col = 0);

// The room as `viewer` sees it (viewer is a member row of the room, present or left).
// The room as readers see it: last_seq and change are the published ones (pg_publish.h), never
// rooms.last_seq, which may count events whose commit is not known to be replicated.
std::optional<room_row> load_visible_room(pg_conn& db, room_id room);

room_summary build_summary(pg_conn& db, const room_row& room,
                           const std::vector<member_row>& members, const member_row& viewer);

}  // namespace haetae::store::pg
