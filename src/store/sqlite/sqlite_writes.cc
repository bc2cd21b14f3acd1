#include "store/sqlite/sqlite_writes.h"

#include <fmt/format.h>

#include "base/clock.h"
#include "store/room_appender.h"
#include "store/room_rules.h"
#include "store/room_tx.h"
#include "store/sqlite/sqlite_rows.h"

namespace haetae::store::sqlite {
namespace {

bool user_exists(connection& db, user_id id) {
  auto s = db.prepare("SELECT 1 FROM users WHERE id = ?1");
  s.bind(1, id.value);
  return s.step();
}

// The rows the room rules (store/room_rules.h) are made of, over the writer's transaction. No
// row locks: the writer is the database's only one.
class sqlite_room_tx final : public room_tx {
 public:
  explicit sqlite_room_tx(write_context& w) : w_(w) {}

  bool user_exists(user_id user) override { return sqlite::user_exists(w_.db, user); }
  std::optional<std::int64_t> friend_state_of(user_id user, user_id other) override {
    return sqlite::friend_state_of(w_.db, user, other);
  }

  std::optional<room_id> find_direct_room(user_id lo, user_id hi) override {
    auto s = w_.db.prepare("SELECT id FROM rooms WHERE kind = 0 AND user_lo = ?1 AND user_hi = ?2");
    s.bind(1, lo.value).bind(2, hi.value);
    if (!s.step()) return std::nullopt;
    return room_id(s.i64(0));
  }
  std::optional<room_id> find_group_room(user_id creator, const std::string& client_id) override {
    auto s =
        w_.db.prepare("SELECT id FROM rooms WHERE kind = 1 AND creator = ?1 AND client_id = ?2");
    s.bind(1, creator.value).bind(2, client_id);
    if (!s.step()) return std::nullopt;
    return room_id(s.i64(0));
  }
  std::optional<room_row> lock_room(room_id room) override { return load_room(w_.db, room); }
  std::vector<member_row> load_members(room_id room) override {
    return sqlite::load_members(w_.db, room);
  }
  room_id insert_room(std::int64_t kind, const std::string& title, user_id creator,
                      const std::string* client_id, user_id lo, user_id hi) override {
    auto s = w_.db.prepare(
        "INSERT INTO rooms (kind, title, creator, client_id, user_lo, user_hi, last_seq, "
        "last_time_ms, change) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, 0)");
    s.bind(1, kind).bind(2, title).bind(3, creator.value);
    if (client_id) {
      s.bind(4, *client_id);
    } else {
      s.bind_null(4);
    }
    if (lo.valid()) {
      s.bind(5, lo.value).bind(6, hi.value);
    } else {
      s.bind_null(5).bind_null(6);
    }
    s.bind(7, now_ms());
    s.run();
    return room_id(sqlite3_last_insert_rowid(w_.db.raw()));
  }

  void insert_event(const room_event& e) override {
    auto s = w_.db.prepare(
        "INSERT INTO events (room_id, seq, kind, sender, subject, client_id, body, time_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    s.bind(1, e.room.value)
        .bind(2, e.seq)
        .bind(3, static_cast<std::int64_t>(e.kind))
        .bind(4, e.sender.value)
        .bind(5, e.subject.value)
        .bind(6, e.client_id)
        .bind(7, e.body)
        .bind(8, e.time_ms);
    s.run();
  }
  // A new change number for the room: readers' `changes` find it by that.
  void finish_room(room_row& room, seq_no /*first*/) override {
    room.change = w_.next_change();
    auto s = w_.db.prepare(
        "UPDATE rooms SET last_seq = ?2, last_time_ms = ?3, change = ?4 WHERE id = ?1");
    s.bind(1, room.id.value).bind(2, room.last_seq).bind(3, room.last_time_ms);
    s.bind(4, room.change);
    s.run();
  }
  // A commit here is visible to every reader at once: nothing to publish again.
  void expose_unchanged(room_id /*room*/) override {}

  void upsert_member(room_id room, user_id user, seq_no joined_seq, seq_no read_seq) override {
    auto s = w_.db.prepare(
        "INSERT INTO members (room_id, user_id, joined_seq, left_seq, read_seq) "
        "VALUES (?1, ?2, ?3, 0, ?4) ON CONFLICT (room_id, user_id) DO UPDATE SET "
        "joined_seq = excluded.joined_seq, left_seq = 0, read_seq = excluded.read_seq");
    s.bind(1, room.value).bind(2, user.value).bind(3, joined_seq).bind(4, read_seq);
    s.run();
  }
  void set_left_seq(room_id room, user_id user, seq_no seq) override {
    auto s = w_.db.prepare("UPDATE members SET left_seq = ?3 WHERE room_id = ?1 AND user_id = ?2");
    s.bind(1, room.value).bind(2, user.value).bind(3, seq);
    s.run();
  }
  void set_read_seq(room_id room, user_id user, seq_no seq) override {
    auto s = w_.db.prepare("UPDATE members SET read_seq = ?3 WHERE room_id = ?1 AND user_id = ?2");
    s.bind(1, room.value).bind(2, user.value).bind(3, seq);
    s.run();
  }
  seq_no readable_seq(const room_row& room) override { return room.last_seq; }

 private:
  write_context& w_;
};

}  // namespace

result<user_record> do_create_user(write_context& w, const std::string& name,
                                   const std::string& display_name,
                                   const std::string& password_hash) {
  {
    auto s = w.db.prepare("SELECT 1 FROM users WHERE name = ?1");
    s.bind(1, name);
    if (s.step()) return make_error(errc::name_taken, fmt::format("the name {} is taken", name));
  }
  auto s = w.db.prepare(
      "INSERT INTO users (name, display_name, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, name).bind(2, display_name).bind(3, password_hash).bind(4, now_ms());
  s.run();
  return user_record{user_id(sqlite3_last_insert_rowid(w.db.raw())), name, display_name,
                     password_hash};
}

result<session_record> do_create_session(write_context& w, user_id user,
                                         const std::string& token_hash,
                                         const std::string& device_name) {
  if (!user_exists(w.db, user)) return no_user(user);
  {
    auto s = w.db.prepare("SELECT id, user_id, device_name FROM sessions WHERE token_hash = ?1");
    s.bind(1, token_hash);
    if (s.step()) {
      // A retry of the same session is idempotent; the same hash for another user is a bug.
      if (user_id(s.i64(1)) != user) {
        return make_error(errc::invalid_field, "token hash belongs to another session");
      }
      return session_record{user, device_id(s.i64(0)), s.text(2)};
    }
  }
  auto s = w.db.prepare(
      "INSERT INTO sessions (token_hash, user_id, device_name, created_ms) "
      "VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, token_hash).bind(2, user.value).bind(3, device_name).bind(4, now_ms());
  s.run();
  return session_record{user, device_id(sqlite3_last_insert_rowid(w.db.raw())), device_name};
}

result<done> do_delete_session(write_context& w, const std::string& token_hash) {
  auto s = w.db.prepare("DELETE FROM sessions WHERE token_hash = ?1");
  s.bind(1, token_hash);
  s.run();
  return done{};
}

result<user_record> do_update_display_name(write_context& w, user_id user,
                                           const std::string& display_name) {
  auto s = w.db.prepare("UPDATE users SET display_name = ?2 WHERE id = ?1");
  s.bind(1, user.value).bind(2, display_name);
  s.run();
  auto u = load_user(w.db, user);
  if (!u) return no_user(user);
  return *u;
}

result<friend_entry> do_set_friend(write_context& w, user_id user, user_id other,
                                   friend_state state) {
  if (user == other)
    return make_error(errc::invalid_field, "you cannot befriend or block yourself");
  if (!user_exists(w.db, user)) return no_user(user);
  auto o = load_user(w.db, other);
  if (!o) return no_user(other);
  auto s = w.db.prepare(
      "INSERT INTO friends (user_id, other_id, state) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (user_id, other_id) DO UPDATE SET state = excluded.state");
  s.bind(1, user.value)
      .bind(2, other.value)
      .bind(3, state == friend_state::blocked ? friend_state_blocked : friend_state_friend);
  s.run();
  return friend_entry{other, o->name, o->display_name, state};
}

result<room_change> do_open_direct_room(write_context& w, user_id user, user_id other) {
  sqlite_room_tx tx(w);
  return room_rules::open_direct_room(tx, user, other);
}

result<room_change> do_create_group_room(write_context& w, const group_request& request) {
  sqlite_room_tx tx(w);
  return room_rules::create_group_room(tx, request);
}

result<room_change> do_invite(write_context& w, user_id actor, room_id room,
                              const std::vector<user_id>& invitees) {
  sqlite_room_tx tx(w);
  return room_rules::invite(tx, actor, room, invitees);
}

result<room_change> do_leave(write_context& w, user_id user, room_id room) {
  sqlite_room_tx tx(w);
  return room_rules::leave(tx, user, room);
}

result<sent> do_send(write_context& w, const send_request& request) {
  // The room's counter first, then the dedup lookup: a resend must not consume a seq.
  auto room = load_room(w.db, request.room);
  {
    auto s = w.db.prepare(
        "SELECT room_id, seq, time_ms FROM events WHERE sender = ?1 AND client_id = ?2 "
        "AND kind = 0");
    s.bind(1, request.sender.value).bind(2, request.client_id);
    if (s.step()) {
      sent out;
      out.ack = send_ack{room_id(s.i64(0)), s.i64(1), s.i64(2), true};
      out.change.room = out.ack.room;
      return out;
    }
  }
  if (!room) return no_room(request.room);
  auto members = load_members(w.db, room->id);
  auto me = find_member(members, request.sender);
  if (!me || !me->present()) return not_member(room->id);
  if (room->kind == room_kind::direct) {
    user_id other = room->lo == request.sender ? room->hi : room->lo;
    if (friend_state_of(w.db, other, request.sender) == friend_state_blocked) {
      return make_error(errc::blocked);
    }
  }
  sqlite_room_tx tx(w);
  room_appender app(tx, *room);
  auto& e =
      app.append(event_kind::message, request.sender, user_id(), request.client_id, request.body);
  e.unread = event_unread(members, e);
  app.finish();
  tx.set_read_seq(room->id, request.sender, e.seq);  // the sender has read its own message
  sent out;
  out.ack = send_ack{room->id, e.seq, e.time_ms, false};
  out.change.room = room->id;
  out.change.recipients = present_ids(members);
  out.change.events = app.take();
  return out;
}

result<read_update> do_mark_read(write_context& w, user_id user, room_id room, seq_no seq) {
  sqlite_room_tx tx(w);
  return room_rules::mark_read(tx, user, room, seq);
}

}  // namespace haetae::store::sqlite
