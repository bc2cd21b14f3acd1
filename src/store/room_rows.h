#pragma once
// Rows of a room as both backends load them, and the rules computed from them (who is present,
// per-message unread counts). Backend-free, so SQLite and PostgreSQL cannot drift apart.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/types.h"

namespace haetae::store {

// Column encodings (docs/store-schema.md), the same in both backends.
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

std::optional<member_row> find_member(const std::vector<member_row>& members, user_id user);
std::vector<user_id> present_ids(const std::vector<member_row>& members);
// Those who may see `e`: joined at or before it, and not gone before it.
std::vector<user_id> who_may_see(const std::vector<member_row>& members, const room_event& e);
// messages: members other than the sender, present and joined by `seq`, whose marker is below.
int event_unread(const std::vector<member_row>& members, const room_event& e);

// The errors both backends return, with the same messages: no such user or room, or the caller
// is not a (present) member of the room.
error no_user(user_id id);
error no_room(room_id id);
error not_member(room_id id);

// A page size as reads take it: 1 to limits::max_page, else errc::invalid_field.
status check_page_limit(int limit);

// A room as one member may read it.
struct room_view {
  room_row room;
  std::vector<member_row> members;
  member_row viewer;
};
// From what a backend loaded: errc::not_found without a room, errc::not_room_member unless the
// viewer is a present member.
result<room_view> view_as_member(std::optional<room_row> room, std::vector<member_row> members,
                                 user_id viewer, room_id id);

}  // namespace haetae::store
