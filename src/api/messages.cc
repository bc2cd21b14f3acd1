// send, history, sync, changes, read (protocol §4).
#include <boost/json.hpp>

#include "api/context.h"
#include "api/request_fields.h"
#include "proto/encode.h"

namespace haetae::api {

namespace json = boost::json;

void handle_send(context& ctx, const caller* who, const json::object& params, reply_fn done) {
  auto room = room_id_field(params);
  if (!room) return done(room.err());
  auto client_id = client_id_field(params);
  if (!client_id) return done(client_id.err());
  auto body = body_field(params);
  if (!body) return done(body.err());
  store::send_request request{who->user, *room, std::move(*client_id), std::move(*body)};
  ctx.store.send(std::move(request), [&ctx, done](result<store::sent> sent) {
    if (!sent) return done(sent.err());
    // Push before acknowledging: the commit is durable, and the sender's other devices must see
    // the message even if this reply is lost. A duplicate has no events and pushes nothing.
    ctx.push_events(sent->change);
    done(proto::encode_send_ack(sent->ack));
  });
}

void handle_history(context& ctx, const caller* who, const json::object& params, reply_fn done) {
  auto room = room_id_field(params);
  if (!room) return done(room.err());
  auto before = seq_field(params, "before", presence::optional);
  if (!before) return done(before.err());
  auto limit = limit_field(params);
  if (!limit) return done(limit.err());
  ctx.on_read_pool(done,
                   [&ctx, done, self = who->user, room = *room, before = *before, limit = *limit] {
                     auto page = ctx.store.history(self, room, before, limit);
                     if (!page) return done(page.err());
                     done(proto::encode_page(*page));
                   });
}

void handle_sync(context& ctx, const caller* who, const json::object& params, reply_fn done) {
  auto room = room_id_field(params);
  if (!room) return done(room.err());
  auto after = seq_field(params, "after", presence::required);
  if (!after) return done(after.err());
  auto limit = limit_field(params);
  if (!limit) return done(limit.err());
  ctx.on_read_pool(done,
                   [&ctx, done, self = who->user, room = *room, after = *after, limit = *limit] {
                     auto page = ctx.store.sync(self, room, after, limit);
                     if (!page) return done(page.err());
                     done(proto::encode_page(*page));
                   });
}

void handle_changes(context& ctx, const caller* who, const json::object& params, reply_fn done) {
  auto since = seq_field(params, "since", presence::required);
  if (!since) return done(since.err());
  auto limit = limit_field(params);
  if (!limit) return done(limit.err());
  ctx.on_read_pool(done, [&ctx, done, self = who->user, since = *since, limit = *limit] {
    auto changes = ctx.store.changes(self, since, limit);
    if (!changes) return done(changes.err());
    done(proto::encode_changes(*changes));
  });
}

void handle_read(context& ctx, const caller* who, const json::object& params, reply_fn done) {
  auto room = room_id_field(params);
  if (!room) return done(room.err());
  auto seq = seq_field(params, "seq", presence::required);
  if (!seq) return done(seq.err());
  ctx.store.mark_read(who->user, *room, *seq, [&ctx, done](result<store::read_update> update) {
    if (!update) return done(update.err());
    if (!update->recipients.empty()) {
      ctx.pushes.push(update->recipients, proto::encode_read_push(*update));
    }
    json::object o;
    o["room_id"] = update->room.value;
    o["seq"] = update->read_seq;
    done(std::move(o));
  });
}

}  // namespace haetae::api
