#include "client/room_cursors.h"

namespace haetae::client {

seq_no room_cursors::cursor(room_id room) const {
  auto it = rooms_.find(room);
  return it == rooms_.end() ? 0 : it->second.cursor;
}

void room_cursors::set_cursor(room_id room, seq_no seq) {
  state& s = rooms_[room];
  if (seq <= s.cursor) return;
  s.cursor = seq;
  s.early.erase(s.early.begin(), s.early.upper_bound(seq));
}

void room_cursors::drain(state& s, cursor_update& out) {
  while (!s.early.empty() && s.early.begin()->first <= s.cursor + 1) {
    auto node = s.early.extract(s.early.begin());
    if (node.key() == s.cursor + 1) {
      s.cursor = node.key();
      out.released.push_back(std::move(node.mapped()));
    }
  }
}

cursor_update room_cursors::on_push(store::room_event event) {
  cursor_update out;
  state& s = rooms_[event.room];
  if (event.seq <= s.cursor) return out;  // seen
  if (event.seq == s.cursor + 1) {
    s.cursor = event.seq;
    out.released.push_back(std::move(event));
    drain(s, out);
    return out;
  }
  if (s.early.size() < max_buffered || event.seq < s.early.rbegin()->first) {
    s.early.emplace(event.seq, std::move(event));  // no-op when already buffered
    if (s.early.size() > max_buffered) s.early.erase(std::prev(s.early.end()));
  }
  out.need_sync = !s.syncing && has_hole(s);
  return out;
}

cursor_update room_cursors::on_sync_page(room_id room, seq_no after,
                                         std::vector<store::room_event> events, bool more) {
  cursor_update out;
  state& s = rooms_[room];
  const seq_no before = s.cursor;
  for (store::room_event& e : events) {
    if (e.room != room || e.seq <= s.cursor) continue;
    // The page holds every visible event after `after`: a missing seq below e is invisible to
    // this device. Only step over it when the page started at or below the cursor.
    if (e.seq > s.cursor + 1 && after <= s.cursor) {
      s.cursor = e.seq - 1;
      s.early.erase(s.early.begin(), s.early.upper_bound(s.cursor));
    }
    if (e.seq != s.cursor + 1) {
      s.early.emplace(e.seq, std::move(e));
      continue;
    }
    s.cursor = e.seq;
    out.released.push_back(std::move(e));
    drain(s, out);
  }
  // Follow `more`; after a full answer a remaining hole is only worth another sync if this one
  // made progress (otherwise the periodic hole check retries, so a stubborn hole cannot spin).
  out.need_sync = more || (has_hole(s) && s.cursor != before);
  return out;
}

bool room_cursors::sync_in_flight(room_id room) const {
  auto it = rooms_.find(room);
  return it != rooms_.end() && it->second.syncing;
}

void room_cursors::set_sync_in_flight(room_id room, bool in_flight) {
  rooms_[room].syncing = in_flight;
}

std::vector<room_id> room_cursors::rooms_with_holes() const {
  std::vector<room_id> out;
  for (const auto& [room, s] : rooms_) {
    if (has_hole(s)) out.push_back(room);
  }
  return out;
}

std::size_t room_cursors::buffered(room_id room) const {
  auto it = rooms_.find(room);
  return it == rooms_.end() ? 0 : it->second.early.size();
}

}  // namespace haetae::client
