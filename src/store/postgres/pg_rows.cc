#include "store/postgres/pg_rows.h"

#include <algorithm>

namespace haetae::store::pg {

namespace {

// Columns: kind, title, user_lo, user_hi, last_seq, last_time_ms, change.
std::optional<room_row> room_from(const pg_result& r, room_id room) {
  if (r.empty()) return std::nullopt;
  room_row out;
  out.id = room;
  out.kind = r.i64(0, 0) == room_kind_direct ? room_kind::direct : room_kind::group;
  out.title = r.text(0, 1);
  out.lo = user_id(r.i64(0, 2));
  out.hi = user_id(r.i64(0, 3));
  out.last_seq = r.i64(0, 4);
  out.last_time_ms = r.i64(0, 5);
  out.change = r.i64(0, 6);
  return out;
}

}  // namespace

std::optional<room_row> load_room(pg_conn& db, room_id room, lock_mode lock) {
  return room_from(db.exec(lock == lock_mode::for_update
                               ? "SELECT kind, title, user_lo, user_hi, last_seq, last_time_ms, "
                                 "change FROM rooms WHERE id = $1 FOR UPDATE"
                               : "SELECT kind, title, user_lo, user_hi, last_seq, last_time_ms, "
                                 "change FROM rooms WHERE id = $1",
                           {room}),
                   room);
}

std::optional<room_row> load_visible_room(pg_conn& db, room_id room) {
  return room_from(
      db.exec("SELECT r.kind, r.title, r.user_lo, r.user_hi, COALESCE(v.seq, 0), r.last_time_ms, "
              "COALESCE(v.change, 0) FROM rooms r LEFT JOIN room_visible v ON v.room_id = r.id "
              "WHERE r.id = $1",
              {room}),
      room);
}

std::vector<member_row> load_members(pg_conn& db, room_id room) {
  auto r = db.exec(
      "SELECT user_id, joined_seq, left_seq, read_seq FROM members WHERE room_id = $1 "
      "ORDER BY user_id",
      {room});
  std::vector<member_row> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({user_id(r.i64(i, 0)), r.i64(i, 1), r.i64(i, 2), r.i64(i, 3)});
  }
  return out;
}

std::optional<user_record> load_user(pg_conn& db, user_id user) {
  auto r = db.exec("SELECT name, display_name, password_hash FROM users WHERE id = $1", {user});
  if (r.empty()) return std::nullopt;
  return user_record{user, r.text(0, 0), r.text(0, 1), r.text(0, 2)};
}

std::optional<std::int64_t> friend_state_of(pg_conn& db, user_id user, user_id other) {
  auto r = db.exec("SELECT state FROM friends WHERE user_id = $1 AND other_id = $2", {user, other});
  if (r.empty()) return std::nullopt;
  return r.i64(0, 0);
}

room_event event_from(const pg_result& r, int row, int col) {
  room_event e;
  e.room = room_id(r.i64(row, col));
  e.seq = r.i64(row, col + 1);
  e.kind = static_cast<event_kind>(r.i64(row, col + 2));
  e.sender = user_id(r.i64(row, col + 3));
  e.subject = user_id(r.i64(row, col + 4));
  e.client_id = r.text(row, col + 5);
  e.body = r.text(row, col + 6);
  e.time_ms = r.i64(row, col + 7);
  return e;
}

room_summary build_summary(pg_conn& db, const room_row& room,
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
    auto r = db.exec(
        "SELECT m.user_id, u.name, u.display_name, m.joined_seq, m.read_seq FROM members m "
        "JOIN users u ON u.id = m.user_id WHERE m.room_id = $1 AND m.left_seq = 0 "
        "ORDER BY m.joined_seq, m.user_id",
        {room.id});
    for (int i = 0; i < r.rows(); ++i) {
      // A marker never names more than the viewer may see.
      out.members.push_back({user_id(r.i64(i, 0)), r.text(i, 1), r.text(i, 2), r.i64(i, 3),
                             std::min(r.i64(i, 4), upper)});
    }
  }
  {
    auto r = db.exec(
        "SELECT room_id, seq, kind, sender, subject, client_id, body, time_ms FROM events "
        "WHERE room_id = $1 AND seq >= $2 AND seq <= $3 AND kind = 0 ORDER BY seq DESC LIMIT 1",
        {room.id, viewer.joined_seq, upper});
    if (!r.empty()) {
      out.last_message = event_from(r, 0);
      out.last_message->unread = event_unread(members, *out.last_message);
    }
  }
  if (viewer.present()) {
    auto r = db.exec(
        "SELECT count(*) FROM events WHERE room_id = $1 AND seq > $2 AND seq <= $3 AND kind = 0 "
        "AND sender <> $4",
        {room.id, std::max(viewer.read_seq, viewer.joined_seq - 1), upper, viewer.id});
    out.unread = static_cast<int>(r.i64(0, 0));
  }
  return out;
}

}  // namespace haetae::store::pg
