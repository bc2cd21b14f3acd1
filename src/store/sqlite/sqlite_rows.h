#pragma once
// Row-level helpers shared by the writer (sqlite_writes) and the readers (sqlite_reads): loading
// rooms, members and users, and turning rows into the records of store/types.h.
#include <optional>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/types.h"

namespace haetae::store::sqlite {

// Column encodings (docs/store-schema.md).
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

std::optional<room_row> load_room(connection& db, room_id room);
// Every member row of the room, including members who left.
std::vector<member_row> load_members(connection& db, room_id room);
std::optional<member_row> find_member(const std::vector<member_row>& members, user_id user);
std::vector<user_id> present_ids(const std::vector<member_row>& members);

std::optional<user_record> load_user(connection& db, user_id user);
// 0 (friend), 1 (blocked) or nullopt: user's entry for other.
std::optional<std::int64_t> friend_state_of(connection& db, user_id user, user_id other);

// messages: members other than the sender, present and joined by `seq`, whose marker is below.
int event_unread(const std::vector<member_row>& members, const room_event& e);

// Columns: room_id, seq, kind, sender, subject, client_id, body, time_ms starting at `col`.
room_event event_from(const stmt& s, int col = 0);
inline constexpr const char* event_columns =
    "room_id, seq, kind, sender, subject, client_id, body, time_ms";

// The room as `viewer` sees it (viewer is a member row of the room, present or left).
room_summary build_summary(connection& db, const room_row& room,
                           const std::vector<member_row>& members, const member_row& viewer);

}  // namespace haetae::store::sqlite
