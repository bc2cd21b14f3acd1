// rooms.direct, rooms.create, rooms.invite, rooms.leave, rooms.list, rooms.get (protocol §4).
#include <algorithm>
#include <boost/json.hpp>

#include "api/context.h"
#include "api/request_fields.h"
#include "proto/encode.h"

namespace haetae::api {

namespace json = boost::json;

namespace {

json::object room_reply(const store::room_summary& room) {
  json::object o;
  o["room"] = proto::encode_room(room);
  return o;
}

// On the read pool: user ids for `names`, without the caller and without repeats.
result<std::vector<user_id>> resolve(context& ctx, const std::vector<std::string>& names,
                                     user_id self) {
  std::vector<user_id> ids;
  ids.reserve(names.size());
  for (const auto& name : names) {
    auto user = ctx.store.user_by_name(name);
    if (!user) {
      if (user.code() == errc::not_found) {
        return make_error(errc::not_found, "no user named '" + name + "'");
      }
      return user.err();
    }
    if (user->id == self || std::find(ids.begin(), ids.end(), user->id) != ids.end()) continue;
    ids.push_back(user->id);
  }
  return ids;
}

// The completion of a write that shapes a room: push its events (on the store thread, where the
// commit is known durable), then read the room as the viewer sees it and reply {"room":<room>}.
store::completion<store::room_change> push_then_reply_room(context& ctx, reply_fn done,
                                                           user_id viewer) {
  return [&ctx, done, viewer](result<store::room_change> change) {
    if (!change) return done(change.err());
    ctx.push_events(*change);
    // Already committed: this read must not be refused for a full queue.
    ctx.on_read_pool(
        done,
        [&ctx, done, viewer, room = change->room] {
          auto summary = ctx.store.room(viewer, room);
          if (!summary) return done(summary.err());
          done(room_reply(*summary));
        },
        auth::queue_bound::ignore);
  };
}

}  // namespace

void handle_rooms_direct(context& ctx, const caller* who, const json::object& params,
                         reply_fn done) {
  auto name = user_name_field(params, "name");
  if (!name) return done(name.err());
  ctx.on_read_pool(done, [&ctx, done, self = who->user, name = std::move(*name)] {
    auto other = resolve(ctx, {name}, self);
    if (!other) return done(other.err());
    if (other->empty()) {
      return done(make_error(errc::invalid_field, "name is yourself"));
    }
    ctx.store.open_direct_room(self, other->front(), push_then_reply_room(ctx, done, self));
  });
}

void handle_rooms_create(context& ctx, const caller* who, const json::object& params,
                         reply_fn done) {
  auto client_id = client_id_field(params);
  if (!client_id) return done(client_id.err());
  auto title = title_field(params);
  if (!title) return done(title.err());
  auto names = member_names_field(params, 0);
  if (!names) return done(names.err());
  ctx.on_read_pool(done, [&ctx, done, self = who->user, client_id = std::move(*client_id),
                          title = std::move(*title), names = std::move(*names)]() mutable {
    auto members = resolve(ctx, names, self);
    if (!members) return done(members.err());
    store::group_request request{self, std::move(client_id), std::move(title), std::move(*members)};
    ctx.store.create_group_room(std::move(request), push_then_reply_room(ctx, done, self));
  });
}

void handle_rooms_invite(context& ctx, const caller* who, const json::object& params,
                         reply_fn done) {
  auto room = room_id_field(params);
  if (!room) return done(room.err());
  auto names = member_names_field(params, 1);
  if (!names) return done(names.err());
  ctx.on_read_pool(
      done, [&ctx, done, self = who->user, room = *room, names = std::move(*names)]() mutable {
        auto members = resolve(ctx, names, self);
        if (!members) return done(members.err());
        ctx.store.invite(self, room, std::move(*members), push_then_reply_room(ctx, done, self));
      });
}

void handle_rooms_leave(context& ctx, const caller* who, const json::object& params,
                        reply_fn done) {
  auto room = room_id_field(params);
  if (!room) return done(room.err());
  ctx.store.leave(who->user, *room, [&ctx, done](result<store::room_change> change) {
    if (!change) return done(change.err());
    ctx.push_events(*change);
    done(json::object());
  });
}

void handle_rooms_list(context& ctx, const caller* who, const json::object&, reply_fn done) {
  ctx.on_read_pool(done, [&ctx, done, self = who->user] {
    auto list = ctx.store.rooms(self);
    if (!list) return done(list.err());
    json::array rooms;
    rooms.reserve(list->size());
    for (const auto& r : *list) rooms.push_back(proto::encode_room(r));
    json::object o;
    o["rooms"] = std::move(rooms);
    done(std::move(o));
  });
}

void handle_rooms_get(context& ctx, const caller* who, const json::object& params, reply_fn done) {
  auto room = room_id_field(params);
  if (!room) return done(room.err());
  ctx.on_read_pool(done, [&ctx, done, self = who->user, room = *room] {
    auto summary = ctx.store.room(self, room);
    if (!summary) return done(summary.err());
    done(room_reply(*summary));
  });
}

}  // namespace haetae::api
