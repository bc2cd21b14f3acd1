#include "store/room_rules.h"

#include <fmt/format.h>

#include <algorithm>

#include "proto/limits.h"
#include "store/room_appender.h"
#include "store/room_rows.h"

namespace haetae::store::room_rules {
namespace {

error too_many_members() {
  return make_error(errc::invalid_field,
                    fmt::format("a room holds at most {} members", limits::max_room_members));
}

std::vector<user_id> distinct(const std::vector<user_id>& ids) {
  std::vector<user_id> out;
  for (auto id : ids) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

// The room held for this write, as `user`, who must be a present member, sees it.
result<room_view> lock_as_member(room_tx& tx, user_id user, room_id id) {
  auto room = tx.lock_room(id);
  if (!room) return no_room(id);
  auto members = tx.load_members(id);
  return view_as_member(std::move(room), std::move(members), user, id);
}

// A retried write: it appends nothing, and the room's present members hear of it again.
room_change existing_room_change(room_tx& tx, room_id room) {
  room_change out;
  out.room = room;
  out.recipients = present_ids(tx.load_members(room));
  tx.expose_unchanged(room);
  return out;
}

// Finishes the appends of a write that added members; everyone present after it hears of it.
room_change finish_for_members(room_tx& tx, room_appender& app, room_id room) {
  app.finish();
  return room_change{room, app.take(), present_ids(tx.load_members(room))};
}

}  // namespace

result<room_change> open_direct_room(room_tx& tx, user_id user, user_id other) {
  if (user == other) return make_error(errc::invalid_field, "a direct room needs another user");
  if (!tx.user_exists(user)) return no_user(user);
  if (!tx.user_exists(other)) return no_user(other);
  if (tx.friend_state_of(other, user) == friend_state_blocked) return make_error(errc::blocked);
  user_id lo = std::min(user, other), hi = std::max(user, other);
  if (auto existing = tx.find_direct_room(lo, hi)) {
    // The pair's one room: whoever of the two left comes back.
    auto room = tx.lock_room(*existing);
    auto members = tx.load_members(*existing);
    room_appender app(tx, *room);
    bool rejoined = false;
    for (user_id u : {user, other}) {
      auto m = find_member(members, u);
      if (m && m->present()) continue;
      auto& e = app.append(event_kind::joined, user, u, "", "");
      tx.upsert_member(room->id, u, e.seq, e.seq);
      rejoined = true;
    }
    if (!rejoined) return existing_room_change(tx, *existing);
    return finish_for_members(tx, app, room->id);
  }
  room_row room;
  room.kind = room_kind::direct;
  room.id = tx.insert_room(room_kind_direct, "", user, nullptr, lo, hi);
  room_appender app(tx, room);
  app.append(event_kind::created, user, user_id(), "", "");
  app.append(event_kind::joined, user, user, "", "");
  app.append(event_kind::joined, user, other, "", "");
  app.finish();
  // Founders see the room from its creation on.
  tx.upsert_member(room.id, user, 1, room.last_seq);
  tx.upsert_member(room.id, other, 1, room.last_seq);
  return room_change{room.id, app.take(), {user, other}};
}

result<room_change> create_group_room(room_tx& tx, const group_request& request) {
  if (!tx.user_exists(request.creator)) return no_user(request.creator);
  if (auto existing = tx.find_group_room(request.creator, request.client_id)) {
    return existing_room_change(tx, *existing);
  }
  std::vector<user_id> members;
  for (auto id : distinct(request.members)) {
    if (id == request.creator) continue;
    if (!tx.user_exists(id)) return no_user(id);
    members.push_back(id);
  }
  if (members.size() + 1 > limits::max_room_members) return too_many_members();
  room_row room;
  room.kind = room_kind::group;
  room.title = request.title;
  room.id = tx.insert_room(room_kind_group, request.title, request.creator, &request.client_id,
                           user_id(), user_id());
  room_appender app(tx, room);
  app.append(event_kind::created, request.creator, user_id(), request.client_id, request.title);
  app.append(event_kind::joined, request.creator, request.creator, "", "");
  for (auto id : members) app.append(event_kind::joined, request.creator, id, "", "");
  app.finish();
  room_change out;
  out.room = room.id;
  out.recipients.push_back(request.creator);
  tx.upsert_member(room.id, request.creator, 1, room.last_seq);
  for (auto id : members) {
    tx.upsert_member(room.id, id, 1, room.last_seq);
    out.recipients.push_back(id);
  }
  out.events = app.take();
  return out;
}

result<room_change> invite(room_tx& tx, user_id actor, room_id id,
                           const std::vector<user_id>& invitees) {
  auto view = lock_as_member(tx, actor, id);
  if (!view) return view.err();
  auto& room = view->room;
  const auto& members = view->members;
  if (room.kind == room_kind::direct) {
    return make_error(errc::invalid_field, "members cannot be invited to a direct room");
  }
  std::vector<user_id> fresh;
  for (auto invitee : distinct(invitees)) {
    if (!tx.user_exists(invitee)) return no_user(invitee);
    auto m = find_member(members, invitee);
    if (m && m->present()) continue;
    fresh.push_back(invitee);
  }
  if (present_ids(members).size() + fresh.size() > limits::max_room_members) {
    return too_many_members();
  }
  if (fresh.empty()) return existing_room_change(tx, room.id);
  room_appender app(tx, room);
  for (auto invitee : fresh) {
    auto& e = app.append(event_kind::joined, actor, invitee, "", "");
    tx.upsert_member(room.id, invitee, e.seq, e.seq);
  }
  return finish_for_members(tx, app, room.id);
}

result<room_change> leave(room_tx& tx, user_id user, room_id id) {
  auto room = tx.lock_room(id);
  if (!room) return no_room(id);
  auto members = tx.load_members(room->id);
  auto me = find_member(members, user);
  if (!me) return not_member(room->id);
  if (!me->present()) return room_change{room->id, {}, {user}};  // left already: a retry
  room_change out;
  out.room = room->id;
  out.recipients = present_ids(members);  // before the change: the leaver too
  room_appender app(tx, *room);
  auto& e = app.append(event_kind::left, user, user, "", "");
  tx.set_left_seq(room->id, user, e.seq);
  app.finish();
  out.events = app.take();
  return out;
}

result<read_update> mark_read(room_tx& tx, user_id user, room_id id, seq_no seq) {
  if (seq < 0) return make_error(errc::invalid_field, "seq must not be negative");
  auto view = lock_as_member(tx, user, id);
  if (!view) return view.err();
  auto& [room, members, me] = *view;
  seq_no target = std::min(seq, tx.readable_seq(room));
  read_update out{room.id, user, std::max(target, me.read_seq), present_ids(members)};
  if (target > me.read_seq) {
    tx.set_read_seq(room.id, user, target);
    room_appender app(tx, room);
    app.finish();
  }
  return out;
}

}  // namespace haetae::store::room_rules
