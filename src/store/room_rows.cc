#include "store/room_rows.h"

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

int event_unread(const std::vector<member_row>& members, const room_event& e) {
  if (e.kind != event_kind::message) return 0;
  int n = 0;
  for (const auto& m : members) {
    if (m.id != e.sender && m.present() && m.joined_seq <= e.seq && m.read_seq < e.seq) ++n;
  }
  return n;
}

}  // namespace haetae::store
