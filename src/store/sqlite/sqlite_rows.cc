#include "store/sqlite/sqlite_rows.h"

#include <limits>

namespace haetae::store::sqlite {

std::optional<room_row> load_room(connection& db, room_id room) {
  auto s = db.prepare(
      "SELECT kind, title, user_lo, user_hi, last_seq, last_time_ms, change FROM rooms "
      "WHERE id = ?1");
  s.bind(1, room.value);
  if (!s.step()) return std::nullopt;
  room_row r;
  r.id = room;
  r.kind = s.i64(0) == room_kind_direct ? room_kind::direct : room_kind::group;
  r.title = s.text(1);
  r.lo = user_id(s.i64(2));
  r.hi = user_id(s.i64(3));
  r.last_seq = s.i64(4);
  r.last_time_ms = s.i64(5);
  r.change = s.i64(6);
  return r;
}

std::vector<member_row> load_members(connection& db, room_id room) {
  auto s =
      db.prepare("SELECT user_id, joined_seq, left_seq, read_seq FROM members WHERE room_id = ?1");
  s.bind(1, room.value);
  std::vector<member_row> out;
  while (s.step()) {
    out.push_back({user_id(s.i64(0)), s.i64(1), s.i64(2), s.i64(3)});
  }
  return out;
}

std::optional<user_record> load_user(connection& db, user_id user) {
  auto s = db.prepare("SELECT name, display_name, password_hash FROM users WHERE id = ?1");
  s.bind(1, user.value);
  if (!s.step()) return std::nullopt;
  return user_record{user, s.text(0), s.text(1), s.text(2)};
}

std::optional<std::int64_t> friend_state_of(connection& db, user_id user, user_id other) {
  auto s = db.prepare("SELECT state FROM friends WHERE user_id = ?1 AND other_id = ?2");
  s.bind(1, user.value).bind(2, other.value);
  if (!s.step()) return std::nullopt;
  return s.i64(0);
}

room_event event_from(const stmt& s, int col) {
  room_event e;
  e.room = room_id(s.i64(col));
  e.seq = s.i64(col + 1);
  e.kind = static_cast<event_kind>(s.i64(col + 2));
  e.sender = user_id(s.i64(col + 3));
  e.subject = user_id(s.i64(col + 4));
  e.client_id = s.text(col + 5);
  e.body = s.text(col + 6);
  e.time_ms = s.i64(col + 7);
  return e;
}

room_summary build_summary(connection& db, const room_row& room,
                           const std::vector<member_row>& members, const member_row& viewer) {
  room_summary out;
  out.id = room.id;
  out.kind = room.kind;
  out.title = room.kind == room_kind::group ? room.title : std::string();
  out.change = room.change;
  out.left = !viewer.present();
  // A member who left sees the room as it was when they left.
  seq_no upper = viewer.present() ? room.last_seq : viewer.left_seq;
  out.last_seq = upper;
  if (viewer.present()) {
    auto s = db.prepare(
        "SELECT m.user_id, u.name, u.display_name, m.joined_seq, m.read_seq FROM members m "
        "JOIN users u ON u.id = m.user_id WHERE m.room_id = ?1 AND m.left_seq = 0 "
        "ORDER BY m.joined_seq, m.user_id");
    s.bind(1, room.id.value);
    while (s.step()) {
      out.members.push_back({user_id(s.i64(0)), s.text(1), s.text(2), s.i64(3), s.i64(4)});
    }
  }
  {
    auto s = db.prepare(
        "SELECT room_id, seq, kind, sender, subject, client_id, body, time_ms FROM events "
        "WHERE room_id = ?1 AND seq >= ?2 AND seq <= ?3 AND kind = 0 ORDER BY seq DESC LIMIT 1");
    s.bind(1, room.id.value).bind(2, viewer.joined_seq).bind(3, upper);
    if (s.step()) {
      out.last_message = event_from(s);
      out.last_message->unread = event_unread(members, *out.last_message);
    }
  }
  if (viewer.present()) {
    auto s = db.prepare(
        "SELECT count(*) FROM events WHERE room_id = ?1 AND seq > ?2 AND seq <= ?3 AND kind = 0 "
        "AND sender <> ?4");
    s.bind(1, room.id.value)
        .bind(2, std::max(viewer.read_seq, viewer.joined_seq - 1))
        .bind(3, upper)
        .bind(4, viewer.id.value);
    if (s.step()) out.unread = static_cast<int>(s.i64(0));
  }
  return out;
}

}  // namespace haetae::store::sqlite
