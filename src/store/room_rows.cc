#include "store/room_rows.h"

#include <fmt/format.h>

#include "proto/limits.h"

namespace haetae::store {

std::optional<member_row> find_member(const std::vector<member_row>& members, user_id user) {
  for (const auto& m : members) {
    if (m.id == user) return m;
  }
  return std::nullopt;
}

std::vector<user_id> present_ids(const std::vector<member_row>& members) {
  std::vector<user_id> out;
  for (const auto& m : members) {
    if (m.present()) out.push_back(m.id);
  }
  return out;
}

std::vector<user_id> who_may_see(const std::vector<member_row>& members, const room_event& e) {
  std::vector<user_id> out;
  for (const auto& m : members) {
    if (m.joined_seq <= e.seq && (m.present() || m.left_seq >= e.seq)) out.push_back(m.id);
  }
  return out;
}

int event_unread(const std::vector<member_row>& members, const room_event& e) {
  if (e.kind != event_kind::message) return 0;
  int n = 0;
  for (const auto& m : members) {
    if (m.id != e.sender && m.present() && m.joined_seq <= e.seq && m.read_seq < e.seq) ++n;
  }
  return n;
}

error no_user(user_id id) {
  return make_error(errc::not_found, fmt::format("no user {}", id.value));
}

error no_room(room_id id) {
  return make_error(errc::not_found, fmt::format("no room {}", id.value));
}

error not_member(room_id id) {
  return make_error(errc::not_room_member,
                    fmt::format("you are not a member of room {}", id.value));
}

status check_page_limit(int limit) {
  if (limit < 1 || limit > limits::max_page) {
    return make_error(errc::invalid_field, fmt::format("limit must be 1 to {}", limits::max_page));
  }
  return ok_status();
}

result<room_view> view_as_member(std::optional<room_row> room, std::vector<member_row> members,
                                 user_id viewer, room_id id) {
  if (!room) return no_room(id);
  auto me = find_member(members, viewer);
  if (!me || !me->present()) return not_member(id);
  return room_view{std::move(*room), std::move(members), *me};
}

}  // namespace haetae::store
