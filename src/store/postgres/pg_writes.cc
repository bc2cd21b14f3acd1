#include "store/postgres/pg_writes.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/clock.h"
#include "proto/limits.h"
#include "store/postgres/pg_rows.h"

namespace haetae::store::pg {
namespace {

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

// Appends events to one locked room's log inside the write transaction; finish() stores the
// room's new counter and marks the room changed.
class appender {
 public:
  appender(write_context& w, room_row& room) : w_(w), room_(room), first_(room.last_seq + 1) {}

  room_event& append(event_kind kind, user_id sender, user_id subject, std::string client_id,
                     std::string body) {
    room_event e;
    e.room = room_.id;
    e.seq = ++room_.last_seq;
    e.kind = kind;
    e.sender = sender;
    e.subject = subject;
    e.client_id = std::move(client_id);
    e.body = std::move(body);
    e.time_ms = now_ms();
    w_.db.exec(
        "INSERT INTO events (room_id, seq, kind, sender, subject, client_id, body, time_ms) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {e.room, e.seq, static_cast<std::int64_t>(e.kind), e.sender, e.subject, e.client_id, e.body,
         e.time_ms});
    room_.last_time_ms = e.time_ms;
    events_.push_back(std::move(e));
    return events_.back();
  }

  // Stores last_seq; the room is published after the commit (also when nothing was appended:
  // mark_read, so other devices' `changes` see the new marker).
  void finish() {
    w_.db.exec("UPDATE rooms SET last_seq = $2, last_time_ms = $3 WHERE id = $1",
               {room_.id, room_.last_seq, room_.last_time_ms});
    w_.expose(room_.id, first_, room_.last_seq);
  }

  std::vector<room_event> take() { return std::move(events_); }

 private:
  write_context& w_;
  room_row& room_;
  seq_no first_;
  std::vector<room_event> events_;
};

// Adds or re-adds a member whose `joined` event has seq `joined_seq`.
void upsert_member(pg_conn& db, room_id room, user_id user, seq_no joined_seq, seq_no read_seq) {
  db.exec(
      "INSERT INTO members (room_id, user_id, joined_seq, left_seq, read_seq) "
      "VALUES ($1, $2, $3, 0, $4) ON CONFLICT (room_id, user_id) DO UPDATE SET "
      "joined_seq = excluded.joined_seq, left_seq = 0, read_seq = excluded.read_seq",
      {room, user, joined_seq, read_seq});
}

// A new room row, locked by this transaction from its insert on.
room_id insert_room(write_context& w, std::int64_t kind, const std::string& title, user_id creator,
                    const std::string* client_id, user_id lo, user_id hi) {
  auto r = w.db.exec(
      "INSERT INTO rooms (kind, title, creator, client_id, user_lo, user_hi, last_seq, "
      "last_time_ms, change) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 0) RETURNING id",
      {kind, title, creator, client_id ? param(*client_id) : param(std::nullopt),
       lo.valid() ? param(lo) : param(std::nullopt), hi.valid() ? param(hi) : param(std::nullopt),
       now_ms()});
  return room_id(r.i64(0, 0));
}

// A retried room write: nothing new, but the room may not have been published yet (the first
// attempt's publish was lost), so expose it as it is.
room_change existing_room_change(write_context& w, room_id room) {
  room_change out;
  out.room = room;
  out.recipients = present_ids(load_members(w.db, room));
  if (auto r = load_room(w.db, room)) w.expose(room, r->last_seq + 1, r->last_seq, false);
  return out;
}

std::vector<user_id> distinct(std::vector<user_id> ids) {
  std::vector<user_id> out;
  for (auto id : ids) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

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
  if (user == other) return make_error(errc::invalid_field, "a direct room needs another user");
  if (!user_exists(w.db, user)) return no_user(user);
  if (!user_exists(w.db, other)) return no_user(other);
  if (friend_state_of(w.db, other, user) == friend_state_blocked) {
    return make_error(errc::blocked);
  }
  user_id lo = std::min(user, other), hi = std::max(user, other);
  std::optional<room_id> existing;
  {
    auto r = w.db.exec("SELECT id FROM rooms WHERE kind = 0 AND user_lo = $1 AND user_hi = $2",
                       {lo, hi});
    if (!r.empty()) existing = room_id(r.i64(0, 0));
  }
  if (existing) {
    // The pair's one room: whoever of the two left comes back. Usually locked by the batch's
    // lock plan already; if it appeared since, PostgreSQL's deadlock detection and the batch
    // retry cover the out-of-order lock.
    auto room = load_room(w.db, *existing, lock_mode::for_update);
    auto members = load_members(w.db, *existing);
    appender app(w, *room);
    bool rejoined = false;
    for (user_id u : {user, other}) {
      auto m = find_member(members, u);
      if (m && m->present()) continue;
      auto& e = app.append(event_kind::joined, user, u, "", "");
      upsert_member(w.db, room->id, u, e.seq, e.seq);
      rejoined = true;
    }
    if (!rejoined) return existing_room_change(w, *existing);
    app.finish();
    room_change out;
    out.room = room->id;
    out.events = app.take();
    out.recipients = present_ids(load_members(w.db, room->id));
    return out;
  }
  room_row room;
  room.kind = room_kind::direct;
  room.id = insert_room(w, room_kind_direct, "", user, nullptr, lo, hi);
  appender app(w, room);
  app.append(event_kind::created, user, user_id(), "", "");
  app.append(event_kind::joined, user, user, "", "");
  app.append(event_kind::joined, user, other, "", "");
  app.finish();
  // Founders see the room from its creation on.
  upsert_member(w.db, room.id, user, 1, room.last_seq);
  upsert_member(w.db, room.id, other, 1, room.last_seq);
  return room_change{room.id, app.take(), {user, other}};
}

result<room_change> do_create_group_room(write_context& w, const group_request& request) {
  if (!user_exists(w.db, request.creator)) return no_user(request.creator);
  {
    auto r = w.db.exec("SELECT id FROM rooms WHERE kind = 1 AND creator = $1 AND client_id = $2",
                       {request.creator, request.client_id});
    if (!r.empty()) return existing_room_change(w, room_id(r.i64(0, 0)));
  }
  std::vector<user_id> members;
  for (auto id : distinct(request.members)) {
    if (id == request.creator) continue;
    if (!user_exists(w.db, id)) return no_user(id);
    members.push_back(id);
  }
  if (members.size() + 1 > limits::max_room_members) {
    return make_error(errc::invalid_field,
                      fmt::format("a room holds at most {} members", limits::max_room_members));
  }
  room_row room;
  room.kind = room_kind::group;
  room.title = request.title;
  room.id = insert_room(w, room_kind_group, request.title, request.creator, &request.client_id,
                        user_id(), user_id());
  appender app(w, room);
  app.append(event_kind::created, request.creator, user_id(), request.client_id, request.title);
  app.append(event_kind::joined, request.creator, request.creator, "", "");
  for (auto id : members) app.append(event_kind::joined, request.creator, id, "", "");
  app.finish();
  room_change out;
  out.room = room.id;
  out.recipients.push_back(request.creator);
  upsert_member(w.db, room.id, request.creator, 1, room.last_seq);
  for (auto id : members) {
    upsert_member(w.db, room.id, id, 1, room.last_seq);
    out.recipients.push_back(id);
  }
  out.events = app.take();
  return out;
}

result<room_change> do_invite(write_context& w, user_id actor, room_id room_id_,
                              const std::vector<user_id>& invitees) {
  auto room = load_room(w.db, room_id_, lock_mode::for_update);
  if (!room) return no_room(room_id_);
  auto members = load_members(w.db, room->id);
  auto me = find_member(members, actor);
  if (!me || !me->present()) return not_member(room->id);
  if (room->kind == room_kind::direct) {
    return make_error(errc::invalid_field, "members cannot be invited to a direct room");
  }
  std::vector<user_id> fresh;
  for (auto id : distinct(invitees)) {
    if (!user_exists(w.db, id)) return no_user(id);
    auto m = find_member(members, id);
    if (m && m->present()) continue;
    fresh.push_back(id);
  }
  if (present_ids(members).size() + fresh.size() > limits::max_room_members) {
    return make_error(errc::invalid_field,
                      fmt::format("a room holds at most {} members", limits::max_room_members));
  }
  if (fresh.empty()) return existing_room_change(w, room->id);
  appender app(w, *room);
  for (auto id : fresh) {
    auto& e = app.append(event_kind::joined, actor, id, "", "");
    upsert_member(w.db, room->id, id, e.seq, e.seq);
  }
  app.finish();
  room_change out;
  out.room = room->id;
  out.events = app.take();
  out.recipients = present_ids(load_members(w.db, room->id));
  return out;
}

result<room_change> do_leave(write_context& w, user_id user, room_id room_id_) {
  auto room = load_room(w.db, room_id_, lock_mode::for_update);
  if (!room) return no_room(room_id_);
  auto members = load_members(w.db, room->id);
  auto me = find_member(members, user);
  if (!me) return not_member(room->id);
  if (!me->present()) return room_change{room->id, {}, {user}};
  room_change out;
  out.room = room->id;
  out.recipients = present_ids(members);  // before the change: the leaver too
  appender app(w, *room);
  auto& e = app.append(event_kind::left, user, user, "", "");
  w.db.exec("UPDATE members SET left_seq = $3 WHERE room_id = $1 AND user_id = $2",
            {room->id, user, e.seq});
  app.finish();
  out.events = app.take();
  return out;
}

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
      // Its first commit may have returned without publishing (the node died, or the publish
      // failed): publish it now, so the resend's ack never names a seq nobody can see.
      w.expose(out.ack.room, out.ack.seq + 1, out.ack.seq, false);
      return out;
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

result<read_update> do_mark_read(write_context& w, user_id user, room_id room_id_, seq_no seq) {
  if (seq < 0) return make_error(errc::invalid_field, "seq must not be negative");
  auto room = load_room(w.db, room_id_, lock_mode::for_update);
  if (!room) return no_room(room_id_);
  auto members = load_members(w.db, room->id);
  auto me = find_member(members, user);
  if (!me || !me->present()) return not_member(room->id);
  // Only up to what readers may see: a marker must not name a message a failover could take back.
  seq_no target = std::min(seq, visible_seq(w.db, room->id));
  read_update out{room->id, user, std::max(target, me->read_seq), present_ids(members)};
  if (target > me->read_seq) {
    w.db.exec("UPDATE members SET read_seq = $3 WHERE room_id = $1 AND user_id = $2",
              {room->id, user, target});
    appender app(w, *room);
    app.finish();
  }
  return out;
}

}  // namespace haetae::store::pg
