#include "store/sqlite/sqlite_reads.h"

#include <fmt/format.h>

#include <algorithm>

#include "proto/limits.h"
#include "store/sqlite/sqlite_rows.h"

namespace haetae::store::sqlite {
namespace {

// The room as the viewer may read it (room_rows.h has the rules).
result<room_view> view_room(connection& db, user_id viewer, room_id id) {
  auto room = load_room(db, id);
  auto members = room ? load_members(db, id) : std::vector<member_row>{};
  return view_as_member(std::move(room), std::move(members), viewer, id);
}

}  // namespace

result<user_record> read_user_by_name(connection& db, std::string_view name) {
  auto s = db.prepare("SELECT id FROM users WHERE name = ?1");
  s.bind(1, name);
  if (!s.step()) return make_error(errc::not_found, fmt::format("no user named {}", name));
  auto u = load_user(db, user_id(s.i64(0)));
  if (!u) return make_error(errc::not_found);
  return *u;
}

result<user_record> read_user_by_id(connection& db, user_id id) {
  auto u = load_user(db, id);
  if (!u) return make_error(errc::not_found, fmt::format("no user {}", id.value));
  return *u;
}

result<session_record> read_session(connection& db, std::string_view token_hash) {
  auto s = db.prepare("SELECT id, user_id, device_name FROM sessions WHERE token_hash = ?1");
  s.bind(1, token_hash);
  if (!s.step()) return make_error(errc::not_found, "no such session");
  return session_record{user_id(s.i64(1)), device_id(s.i64(0)), s.text(2)};
}

result<std::vector<friend_entry>> read_friends(connection& db, user_id user) {
  auto s = db.prepare(
      "SELECT f.other_id, u.name, u.display_name, f.state FROM friends f "
      "JOIN users u ON u.id = f.other_id WHERE f.user_id = ?1 ORDER BY u.name");
  s.bind(1, user.value);
  std::vector<friend_entry> out;
  while (s.step()) {
    out.push_back(
        {user_id(s.i64(0)), s.text(1), s.text(2),
         s.i64(3) == friend_state_blocked ? friend_state::blocked : friend_state::friend_});
  }
  return out;
}

result<std::vector<room_summary>> read_rooms(connection& db, user_id user) {
  std::vector<room_id> ids;
  {
    auto s = db.prepare(
        "SELECT r.id FROM members m JOIN rooms r ON r.id = m.room_id "
        "WHERE m.user_id = ?1 AND m.left_seq = 0 ORDER BY r.last_time_ms DESC, r.change DESC");
    s.bind(1, user.value);
    while (s.step()) ids.push_back(room_id(s.i64(0)));
  }
  std::vector<room_summary> out;
  for (auto id : ids) {
    auto v = view_room(db, user, id);
    if (!v) return v.err();
    out.push_back(build_summary(db, v->room, v->members, v->viewer));
  }
  return out;
}

result<room_summary> read_room(connection& db, user_id viewer, room_id room) {
  auto v = view_room(db, viewer, room);
  if (!v) return v.err();
  return build_summary(db, v->room, v->members, v->viewer);
}

result<page> read_history(connection& db, user_id viewer, room_id room, seq_no before_seq,
                          int limit) {
  if (auto st = check_page_limit(limit); !st) return st.err();
  if (before_seq < 0) return make_error(errc::invalid_field, "before must not be negative");
  auto v = view_room(db, viewer, room);
  if (!v) return v.err();
  seq_no before = before_seq == 0 ? v->room.last_seq + 1 : before_seq;
  auto s = db.prepare(
      "SELECT room_id, seq, kind, sender, subject, client_id, body, time_ms FROM events "
      "WHERE room_id = ?1 AND seq < ?2 AND seq >= ?3 ORDER BY seq DESC LIMIT ?4");
  s.bind(1, room.value).bind(2, before).bind(3, v->viewer.joined_seq).bind(4, limit + 1);
  page out;
  while (s.step()) out.events.push_back(event_from(s));
  if (out.events.size() > static_cast<std::size_t>(limit)) {
    out.more = true;
    out.events.pop_back();
  }
  std::reverse(out.events.begin(), out.events.end());
  for (auto& e : out.events) e.unread = event_unread(v->members, e);
  return out;
}

result<page> read_sync(connection& db, user_id viewer, room_id room, seq_no after_seq, int limit) {
  if (auto st = check_page_limit(limit); !st) return st.err();
  if (after_seq < 0) return make_error(errc::invalid_field, "after must not be negative");
  auto v = view_room(db, viewer, room);
  if (!v) return v.err();
  auto s = db.prepare(
      "SELECT room_id, seq, kind, sender, subject, client_id, body, time_ms FROM events "
      "WHERE room_id = ?1 AND seq > ?2 ORDER BY seq ASC LIMIT ?3");
  s.bind(1, room.value).bind(2, std::max(after_seq, v->viewer.joined_seq - 1)).bind(3, limit + 1);
  page out;
  while (s.step()) out.events.push_back(event_from(s));
  if (out.events.size() > static_cast<std::size_t>(limit)) {
    out.more = true;
    out.events.pop_back();
  }
  for (auto& e : out.events) e.unread = event_unread(v->members, e);
  return out;
}

result<changes_page> read_changes(connection& db, user_id user, change_no since, int limit) {
  if (auto st = check_page_limit(limit); !st) return st.err();
  if (since < 0) return make_error(errc::invalid_field, "since must not be negative");
  std::vector<room_id> ids;
  {
    auto s = db.prepare(
        "SELECT r.id FROM members m JOIN rooms r ON r.id = m.room_id "
        "WHERE m.user_id = ?1 AND r.change > ?2 ORDER BY r.change LIMIT ?3");
    s.bind(1, user.value).bind(2, since).bind(3, limit + 1);
    while (s.step()) ids.push_back(room_id(s.i64(0)));
  }
  changes_page out;
  out.next = since;
  if (ids.size() > static_cast<std::size_t>(limit)) {
    out.more = true;
    ids.pop_back();
  }
  for (auto id : ids) {
    auto room = load_room(db, id);
    if (!room) continue;
    auto members = load_members(db, id);
    auto me = find_member(members, user);
    if (!me) continue;
    out.rooms.push_back(build_summary(db, *room, members, *me));
    out.next = room->change;
  }
  return out;
}

}  // namespace haetae::store::sqlite
