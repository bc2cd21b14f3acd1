#pragma once
// Row-level helpers shared by the writer (pg_writes) and the readers (pg_reads): loading rooms,
// members and users, and turning rows into the records of store/types.h.
#include <optional>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/types.h"

namespace haetae::store::pg {

// Column encodings (docs/store-schema.md), the same as the SQLite backend's.
inline constexpr std::int64_t room_kind_direct = 0;
inline constexpr std::int64_t room_kind_group = 1;
inline constexpr std::int64_t friend_state_friend = 0;
inline constexpr std::int64_t friend_state_blocked = 1;

struct room_row {
  room_id id;
  room_kind kind = room_kind::group;
  std::string title;
  user_id lo, hi;  // direct rooms: the pair
  seq_no last_seq = 0;
  std::int64_t last_time_ms = 0;
  change_no change = 0;
};

struct member_row {
  user_id id;
  seq_no joined_seq = 0;
  seq_no left_seq = 0;  // 0: present
  seq_no read_seq = 0;
  bool present() const { return left_seq == 0; }
};

enum class lock_mode { none, for_update };

// for_update: takes the room row's lock (the room's seq counter) until the transaction ends.
std::optional<room_row> load_room(pg_conn& db, room_id room, lock_mode lock = lock_mode::none);
// Every member row of the room, including members who left.
std::vector<member_row> load_members(pg_conn& db, room_id room);
std::optional<member_row> find_member(const std::vector<member_row>& members, user_id user);
std::vector<user_id> present_ids(const std::vector<member_row>& members);

std::optional<user_record> load_user(pg_conn& db, user_id user);
// 0 (friend), 1 (blocked) or nullopt: user's entry for other.
std::optional<std::int64_t> friend_state_of(pg_conn& db, user_id user, user_id other);

// messages: members other than the sender, present and joined by `seq`, whose marker is below.
int event_unread(const std::vector<member_row>& members, const room_event& e);

inline constexpr const char* event_columns =
    "room_id, seq, kind, sender, subject, client_id, body, time_ms";
// Columns event_columns starting at `col` of `row`.
room_event event_from(const pg_result& r, int row, int col = 0);

// The room as `viewer` sees it (viewer is a member row of the room, present or left).
room_summary build_summary(pg_conn& db, const room_row& room,
                           const std::vector<member_row>& members, const member_row& viewer);

}  // namespace haetae::store::pg
