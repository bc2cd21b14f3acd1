// friends.add, friends.block, friends.list (protocol §4).
#include <boost/json.hpp>

#include "api/context.h"
#include "api/request_fields.h"
#include "proto/encode.h"

namespace haetae::api {

namespace json = boost::json;

namespace {

using friend_write = void (store::store::*)(user_id, user_id,
                                            store::completion<store::friend_entry>);

// Resolves `name` on the read pool, then runs the write; replies {"friend":<friend>}.
void friend_op(context& ctx, const caller* who, const json::object& params, reply_fn done,
               friend_write write) {
  auto name = user_name_field(params, "name");
  if (!name) return done(name.err());
  ctx.on_read_pool(done, [&ctx, done, write, self = who->user, name = std::move(*name)] {
    auto other = ctx.store.user_by_name(name);
    if (!other) {
      if (other.code() == errc::not_found) {
        return done(make_error(errc::not_found, "no user named '" + name + "'"));
      }
      return done(other.err());
    }
    if (other->id == self) return done(make_error(errc::invalid_field, "name is yourself"));
    (ctx.store.*write)(self, other->id, [done](result<store::friend_entry> entry) {
      if (!entry) return done(entry.err());
      json::object o;
      o["friend"] = proto::encode_friend(*entry);
      done(std::move(o));
    });
  });
}

}  // namespace

void handle_friends_add(context& ctx, const caller* who, const json::object& params,
                        reply_fn done) {
  friend_op(ctx, who, params, std::move(done), &store::store::add_friend);
}

void handle_friends_block(context& ctx, const caller* who, const json::object& params,
                          reply_fn done) {
  friend_op(ctx, who, params, std::move(done), &store::store::block_user);
}

void handle_friends_list(context& ctx, const caller* who, const json::object&, reply_fn done) {
  ctx.on_read_pool(done, [&ctx, done, self = who->user] {
    auto list = ctx.store.friends(self);
    if (!list) return done(list.err());
    json::array friends;
    friends.reserve(list->size());
    for (const auto& f : *list) friends.push_back(proto::encode_friend(f));
    json::object o;
    o["friends"] = std::move(friends);
    done(std::move(o));
  });
}

}  // namespace haetae::api
