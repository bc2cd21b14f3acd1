#include "store/postgres/pg_reads.h"

#include <fmt/format.h>

#include <algorithm>

#include "proto/limits.h"
#include "store/postgres/pg_rows.h"

namespace haetae::store::pg {
namespace {

// The room as the viewer may read it (room_rows.h has the rules).
result<room_view> view_room(pg_conn& db, user_id viewer, room_id id) {
  auto room = load_visible_room(db, id);
  auto members = room ? load_members(db, id) : std::vector<member_row>{};
  return view_as_member(std::move(room), std::move(members), viewer, id);
}

page to_page(const pg_result& r, int limit) {
  page out;
  for (int i = 0; i < r.rows(); ++i) out.events.push_back(event_from(r, i));
  if (out.events.size() > static_cast<std::size_t>(limit)) {
    out.more = true;
    out.events.pop_back();
  }
  return out;
}

}  // namespace

result<user_record> read_user_by_name(pg_conn& db, std::string_view name) {
  auto r = db.exec("SELECT id FROM users WHERE name = $1", {name});
  if (r.empty()) return make_error(errc::not_found, fmt::format("no user named {}", name));
  auto u = load_user(db, user_id(r.i64(0, 0)));
  if (!u) return make_error(errc::not_found);
  return *u;
}

result<user_record> read_user_by_id(pg_conn& db, user_id id) {
  auto u = load_user(db, id);
  if (!u) return make_error(errc::not_found, fmt::format("no user {}", id.value));
  return *u;
}

result<session_record> read_session(pg_conn& db, std::string_view token_hash) {
  auto r =
      db.exec("SELECT id, user_id, device_name FROM sessions WHERE token_hash = $1", {token_hash});
  if (r.empty()) return make_error(errc::not_found, "no such session");
  return session_record{user_id(r.i64(0, 1)), device_id(r.i64(0, 0)), r.text(0, 2)};
}

result<std::vector<friend_entry>> read_friends(pg_conn& db, user_id user) {
  // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
  auto r = db.exec(
      "SELECT f.other_id, u.name, u.display_name, f.state FROM friends f "
      "JOIN users u ON u.id = f.other_id WHERE f.user_id = $1 ORDER BY u.name COLLATE \"C\"",
      {user});
  std::vector<friend_entry> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(
        {user_id(r.i64(i, 0)), r.text(i, 1), r.text(i, 2),
         r.i64(i, 3) == friend_state_blocked ? friend_state::blocked : friend_state::friend_});
  }
  return out;
}

result<std::vector<room_summary>> read_rooms(pg_conn& db, user_id user) {
  auto r = db.exec(
      "SELECT r.id FROM members m JOIN rooms r ON r.id = m.room_id "
      "LEFT JOIN room_visible v ON v.room_id = r.id "
      "WHERE m.user_id = $1 AND m.left_seq = 0 ORDER BY r.last_time_ms DESC, v.change DESC",
      {user});
  std::vector<room_summary> out;
  for (int i = 0; i < r.rows(); ++i) {
    auto v = view_room(db, user, room_id(r.i64(i, 0)));
    if (!v) return v.err();
    out.push_back(build_summary(db, v->room, v->members, v->viewer));
  }
  return out;
}

result<room_summary> read_room(pg_conn& db, user_id viewer, room_id room) {
  auto v = view_room(db, viewer, room);
  if (!v) return v.err();
  return build_summary(db, v->room, v->members, v->viewer);
}

result<page> read_history(pg_conn& db, user_id viewer, room_id room, seq_no before_seq, int limit) {
  if (auto st = check_page_limit(limit); !st) return st.err();
  if (before_seq < 0) return make_error(errc::invalid_field, "before must not be negative");
  auto v = view_room(db, viewer, room);
  if (!v) return v.err();
  // Published events only (room.last_seq is the published one).
  seq_no before =
      before_seq == 0 ? v->room.last_seq + 1 : std::min(before_seq, v->room.last_seq + 1);
  auto r = db.exec(
      "SELECT room_id, seq, kind, sender, subject, client_id, body, time_ms FROM events "
      "WHERE room_id = $1 AND seq < $2 AND seq >= $3 ORDER BY seq DESC LIMIT $4",
      {room, before, v->viewer.joined_seq, limit + 1});
  page out = to_page(r, limit);
  std::reverse(out.events.begin(), out.events.end());
  for (auto& e : out.events) e.unread = event_unread(v->members, e);
  return out;
}

result<page> read_sync(pg_conn& db, user_id viewer, room_id room, seq_no after_seq, int limit) {
  if (auto st = check_page_limit(limit); !st) return st.err();
  if (after_seq < 0) return make_error(errc::invalid_field, "after must not be negative");
  auto v = view_room(db, viewer, room);
  if (!v) return v.err();
  auto r = db.exec(
      "SELECT room_id, seq, kind, sender, subject, client_id, body, time_ms FROM events "
      "WHERE room_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq ASC LIMIT $4",
      {room, std::max(after_seq, v->viewer.joined_seq - 1), v->room.last_seq, limit + 1});
  page out = to_page(r, limit);
  for (auto& e : out.events) e.unread = event_unread(v->members, e);
  return out;
}

result<changes_page> read_changes(pg_conn& db, user_id user, change_no since, int limit) {
  if (auto st = check_page_limit(limit); !st) return st.err();
  if (since < 0) return make_error(errc::invalid_field, "since must not be negative");
  auto r = db.exec(
      "SELECT v.room_id FROM members m JOIN room_visible v ON v.room_id = m.room_id "
      "WHERE m.user_id = $1 AND v.change > $2 ORDER BY v.change LIMIT $3",
      {user, since, limit + 1});
  std::vector<room_id> ids;
  for (int i = 0; i < r.rows(); ++i) ids.push_back(room_id(r.i64(i, 0)));
  changes_page out;
  out.next = since;
  if (ids.size() > static_cast<std::size_t>(limit)) {
    out.more = true;
    ids.pop_back();
  }
  for (auto id : ids) {
    auto room = load_visible_room(db, id);
    if (!room) continue;
    auto members = load_members(db, id);
    auto me = find_member(members, user);
    if (!me) continue;
    out.rooms.push_back(build_summary(db, *room, members, *me));
    out.next = room->change;
  }
  return out;
}

}  // namespace haetae::store::pg
