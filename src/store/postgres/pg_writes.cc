#include "store/postgres/pg_writes.h"

#include <fmt/format.h>

#include "base/clock.h"
#include "store/postgres/pg_rows.h"
#include "store/room_rules.h"
#include "store/room_tx.h"

namespace haetae::store::pg {
namespace {

// "{1,2,3}" (a PostgreSQL bigint[] in text form; empty or NULL: none).
std::vector<std::int64_t> bigint_array(const std::string& text) {
  std::vector<std::int64_t> out;
  std::size_t i = text.empty() ? 0 : 1;
  while (i < text.size() && text[i] != '}') {
    std::size_t end = text.find_first_of(",}", i);
    out.push_back(std::stoll(text.substr(i, end - i)));
    i = end + (end < text.size() && text[end] == ',' ? 1 : 0);
    if (end >= text.size()) break;
  }
  return out;
}

seq_no visible_seq(pg_conn& db, room_id room) {
  auto r = db.exec("SELECT seq FROM room_visible WHERE room_id = $1", {room});
  return r.empty() ? 0 : r.i64(0, 0);
}

bool user_exists(pg_conn& db, user_id id) {
  return !db.exec("SELECT 1 FROM users WHERE id = $1", {id}).empty();
}

// The rows the room rules (store/room_rules.h) are made of, over this writer's transaction.
class pg_room_tx final : public room_tx {
 public:
  explicit pg_room_tx(write_context& w) : w_(w) {}

  bool user_exists(user_id user) override { return pg::user_exists(w_.db, user); }
  std::optional<std::int64_t> friend_state_of(user_id user, user_id other) override {
    return pg::friend_state_of(w_.db, user, other);
  }

  std::optional<room_id> find_direct_room(user_id lo, user_id hi) override {
    auto r = w_.db.exec("SELECT id FROM rooms WHERE kind = 0 AND user_lo = $1 AND user_hi = $2",
                        {lo, hi});
    if (r.empty()) return std::nullopt;
    return room_id(r.i64(0, 0));
  }
  std::optional<room_id> find_group_room(user_id creator, const std::string& client_id) override {
    auto r = w_.db.exec("SELECT id FROM rooms WHERE kind = 1 AND creator = $1 AND client_id = $2",
                        {creator, client_id});
    if (r.empty()) return std::nullopt;
    return room_id(r.i64(0, 0));
  }
  // FOR UPDATE: the group committer has locked the batch's rooms in ascending id already, so
  // this is usually a no-op. A room the lock plan could not name (a direct room that appeared
  // since) is locked out of order: deadlock detection and the batch retry cover that.
  std::optional<room_row> lock_room(room_id room) override {
    return load_room(w_.db, room, lock_mode::for_update);
  }
  std::vector<member_row> load_members(room_id room) override {
    return pg::load_members(w_.db, room);
  }
  room_id insert_room(std::int64_t kind, const std::string& title, user_id creator,
                      const std::string* client_id, user_id lo, user_id hi) override {
    auto r = w_.db.exec(
        "INSERT INTO rooms (kind, title, creator, client_id, user_lo, user_hi, last_seq, "
        "last_time_ms, change) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 0) RETURNING id",
        {kind, title, creator, client_id ? param(*client_id) : param(std::nullopt),
         lo.valid() ? param(lo) : param(std::nullopt), hi.valid() ? param(hi) : param(std::nullopt),
         now_ms()});
    return room_id(r.i64(0, 0));
  }

  void insert_event(const room_event& e) override {
    w_.db.exec(
        "INSERT INTO events (room_id, seq, kind, sender, subject, client_id, body, time_ms) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {e.room, e.seq, static_cast<std::int64_t>(e.kind), e.sender, e.subject, e.client_id, e.body,
         e.time_ms});
  }
  // The room is published after the commit (pg_publish.h).
  void finish_room(room_row& room, seq_no first) override {
    w_.db.exec("UPDATE rooms SET last_seq = $2, last_time_ms = $3 WHERE id = $1",
               {room.id, room.last_seq, room.last_time_ms});
    w_.expose(room.id, first, room.last_seq);
  }
  void expose_unchanged(room_id room) override {
    if (auto r = load_room(w_.db, room)) w_.expose(room, r->last_seq + 1, r->last_seq, false);
  }

  void upsert_member(room_id room, user_id user, seq_no joined_seq, seq_no read_seq) override {
    w_.db.exec(
        "INSERT INTO members (room_id, user_id, joined_seq, left_seq, read_seq) "
        "VALUES ($1, $2, $3, 0, $4) ON CONFLICT (room_id, user_id) DO UPDATE SET "
        "joined_seq = excluded.joined_seq, left_seq = 0, read_seq = excluded.read_seq",
        {room, user, joined_seq, read_seq});
  }
  void set_left_seq(room_id room, user_id user, seq_no seq) override {
    w_.db.exec("UPDATE members SET left_seq = $3 WHERE room_id = $1 AND user_id = $2",
               {room, user, seq});
  }
  void set_read_seq(room_id room, user_id user, seq_no seq) override {
    w_.db.exec("UPDATE members SET read_seq = $3 WHERE room_id = $1 AND user_id = $2",
               {room, user, seq});
  }
  seq_no readable_seq(const room_row& room) override { return visible_seq(w_.db, room.id); }

 private:
  write_context& w_;
};

}  // namespace

result<user_record> do_create_user(write_context& w, const std::string& name,
                                   const std::string& display_name,
                                   const std::string& password_hash) {
  if (!w.db.exec("SELECT 1 FROM users WHERE name = $1", {name}).empty()) {
    return make_error(errc::name_taken, fmt::format("the name {} is taken", name));
  }
  // A concurrent writer inserting the same name makes this throw a unique violation; the
  // committer re-runs the write, which then finds the name taken.
  auto r = w.db.exec(
      "INSERT INTO users (name, display_name, password_hash, created_ms) "
      "VALUES ($1, $2, $3, $4) RETURNING id",
      {name, display_name, password_hash, now_ms()});
  return user_record{user_id(r.i64(0, 0)), name, display_name, password_hash};
}

result<session_record> do_create_session(write_context& w, user_id user,
                                         const std::string& token_hash,
                                         const std::string& device_name) {
  if (!user_exists(w.db, user)) return no_user(user);
  {
    auto r = w.db.exec("SELECT id, user_id, device_name FROM sessions WHERE token_hash = $1",
                       {token_hash});
    if (!r.empty()) {
      // A retry of the same session is idempotent; the same hash for another user is a bug.
      if (user_id(r.i64(0, 1)) != user) {
        return make_error(errc::invalid_field, "token hash belongs to another session");
      }
      return session_record{user, device_id(r.i64(0, 0)), r.text(0, 2)};
    }
  }
  auto r = w.db.exec(
      "INSERT INTO sessions (token_hash, user_id, device_name, created_ms) "
      "VALUES ($1, $2, $3, $4) RETURNING id",
      {token_hash, user, device_name, now_ms()});
  return session_record{user, device_id(r.i64(0, 0)), device_name};
}

result<done> do_delete_session(write_context& w, const std::string& token_hash) {
  w.db.exec("DELETE FROM sessions WHERE token_hash = $1", {token_hash});
  return done{};
}

result<user_record> do_update_display_name(write_context& w, user_id user,
                                           const std::string& display_name) {
  w.db.exec("UPDATE users SET display_name = $2 WHERE id = $1", {user, display_name});
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
  w.db.exec(
      "INSERT INTO friends (user_id, other_id, state) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id, other_id) DO UPDATE SET state = excluded.state",
      {user, other, state == friend_state::blocked ? friend_state_blocked : friend_state_friend});
  return friend_entry{other, o->name, o->display_name, state};
}

result<room_change> do_open_direct_room(write_context& w, user_id user, user_id other) {
  pg_room_tx tx(w);
  return room_rules::open_direct_room(tx, user, other);
}

result<room_change> do_create_group_room(write_context& w, const group_request& request) {
  pg_room_tx tx(w);
  return room_rules::create_group_room(tx, request);
}

result<room_change> do_invite(write_context& w, user_id actor, room_id room,
                              const std::vector<user_id>& invitees) {
  pg_room_tx tx(w);
  return room_rules::invite(tx, actor, room, invitees);
}

result<room_change> do_leave(write_context& w, user_id user, room_id room) {
  pg_room_tx tx(w);
  return room_rules::leave(tx, user, room);
}

namespace {

// A resend found its message. Its first commit may have returned without being published (the
// node died, the publish failed, a cancelled standby wait, a connection closed on a silent
// primary): publish it now, so the resend's ack never names a seq nobody can see, and hand its
// event out as a first send would, or the members' devices learn of it only at their next sync.
sent publish_duplicate(write_context& w, sent out) {
  const room_id room = out.ack.room;
  auto v = w.db.exec("SELECT seq FROM room_visible WHERE room_id = $1", {room});
  const seq_no visible = v.rows() > 0 ? v.i64(0, 0) : 0;
  if (visible >= out.ack.seq) return out;  // published, and pushed, when first acknowledged
  auto r =
      w.db.exec(fmt::format("SELECT {} FROM events WHERE room_id = $1 AND seq = $2", event_columns),
                {room, out.ack.seq});
  if (r.rows() == 0) return out;  // not expected: the dedup row and the event commit together
  auto members = load_members(w.db, room);
  room_event e = event_from(r, 0);
  e.unread = event_unread(members, e);
  out.change.recipients = who_may_see(members, e);
  out.change.events.push_back(std::move(e));
  // Unpublished events before it were committed before this batch (its COMMIT waits for them).
  w.expose(room, visible + 1, out.ack.seq);
  return out;
}

}  // namespace

result<sent> do_send(write_context& w, const send_request& request) {
  // One round trip (haetae_send, schema v3): the room's counter first (its row lock), then the
  // dedup lookup, so a resend never consumes a seq, and a resend racing its original through
  // another node waits for it on this lock.
  auto r = w.db.exec(
      "SELECT outcome, ack_room, ack_seq, ack_time, m_user, m_joined, m_left, m_read "
      "FROM haetae_send($1, $2, $3, $4, $5)",
      {request.sender, request.room, request.client_id, request.body, now_ms()});
  sent out;
  out.ack = send_ack{room_id(r.i64(0, 1)), r.i64(0, 2), r.i64(0, 3), false};
  out.change.room = out.ack.room;
  switch (r.i64(0, 0)) {
    case 0:
      break;
    case 1:
      out.ack.duplicate = true;
      return publish_duplicate(w, std::move(out));
    case 2:
      return no_room(request.room);
    case 3:
      return not_member(request.room);
    default:
      return make_error(errc::blocked);
  }
  std::vector<member_row> members;
  auto users = bigint_array(r.text(0, 4)), joined = bigint_array(r.text(0, 5)),
       left = bigint_array(r.text(0, 6)), read = bigint_array(r.text(0, 7));
  for (std::size_t i = 0;
       i < users.size() && i < joined.size() && i < left.size() && i < read.size(); ++i) {
    members.push_back({user_id(users[i]), joined[i], left[i], read[i]});
  }
  room_event e;
  e.room = out.ack.room;
  e.seq = out.ack.seq;
  e.kind = event_kind::message;
  e.sender = request.sender;
  e.client_id = request.client_id;
  e.body = request.body;
  e.time_ms = out.ack.time_ms;
  e.unread = event_unread(members, e);  // the members as they were before the send
  w.expose(e.room, e.seq, e.seq);
  out.change.recipients = present_ids(members);
  out.change.events.push_back(std::move(e));
  return out;
}

result<read_update> do_mark_read(write_context& w, user_id user, room_id room, seq_no seq) {
  pg_room_tx tx(w);
  return room_rules::mark_read(tx, user, room, seq);
}

}  // namespace haetae::store::pg
