// signup, login, logout, me, profile.update (protocol §4).
#include <boost/json.hpp>

#include "api/context.h"
#include "api/request_fields.h"
#include "auth/token.h"
#include "proto/encode.h"
#include "proto/limits.h"

namespace haetae::api {

namespace json = boost::json;

namespace {
json::object user_reply(const store::user_record& user) {
  json::object o;
  o["user"] = proto::encode_user(user);
  return o;
}
}  // namespace

void handle_signup(context& ctx, const caller*, const json::object& params, reply_fn done) {
  auto name = user_name_field(params, "name");
  if (!name) return done(name.err());
  auto password = password_field(params, limits::min_password_bytes);
  if (!password) return done(password.err());
  auto display = display_name_field(params, presence::optional);
  if (!display) return done(display.err());
  std::string display_name = display->value_or(*name);

  // Check the name before spending a hash on it; the store checks again under its transaction.
  ctx.on_read_pool(done, [&ctx, done, name = std::move(*name), password = std::move(*password),
                          display_name = std::move(display_name)]() mutable {
    auto existing = ctx.store.user_by_name(name);
    if (existing) return done(make_error(errc::name_taken, "the name '" + name + "' is taken"));
    if (existing.code() != errc::not_found) return done(existing.err());
    ctx.hasher.hash(std::move(password), [&ctx, done, name = std::move(name),
                                          display_name = std::move(display_name)](
                                             result<std::string> hashed) mutable {
      if (!hashed) return done(hashed.err());
      ctx.store.create_user(std::move(name), std::move(display_name), std::move(*hashed),
                            [done](result<store::user_record> user) {
                              if (!user) return done(user.err());
                              done(user_reply(*user));
                            });
    });
  });
}

void handle_login(context& ctx, const caller*, const json::object& params, reply_fn done) {
  auto name = user_name_field(params, "name");
  if (!name) return done(name.err());
  // No minimum here: a short password simply does not match, after the same hash as any other.
  auto password = password_field(params, 0);
  if (!password) return done(password.err());
  auto device = device_name_field(params);
  if (!device) return done(device.err());

  ctx.on_read_pool(done, [&ctx, done, name = std::move(*name), password = std::move(*password),
                          device = std::move(*device)]() mutable {
    auto user = ctx.store.user_by_name(name);
    if (!user && user.code() != errc::not_found) return done(user.err());
    std::optional<std::string> stored;
    if (user) stored = user->password_hash;
    // An unknown name is verified against a dummy hash: same time, same answer as a wrong password.
    ctx.hasher.verify(
        std::move(stored), std::move(password),
        [&ctx, done, user = std::move(user), device = std::move(device)](status verified) mutable {
          if (!verified) return done(verified.err());
          std::string token = auth::new_token();
          store::user_record u = std::move(*user);
          u.password_hash.clear();
          user_id id = u.id;
          ctx.store.create_session(
              id, auth::hash_token(token), std::move(device),
              [done, token, u = std::move(u)](result<store::session_record> s) {
                if (!s) return done(s.err());
                json::object o;
                o["token"] = token;
                o["device_id"] = s->device.value;
                o["user"] = proto::encode_user(u);
                done(std::move(o));
              });
        });
  });
}

void handle_logout(context& ctx, const caller* who, const json::object&, reply_fn done) {
  ctx.store.delete_session(who->token_hash, [done](status s) {
    if (!s) return done(s.err());
    done(json::object());
  });
}

void handle_me(context& ctx, const caller* who, const json::object&, reply_fn done) {
  ctx.on_read_pool(done, [&ctx, done, id = who->user] {
    auto user = ctx.store.user_by_id(id);
    if (!user) return done(user.err());
    done(user_reply(*user));
  });
}

void handle_profile_update(context& ctx, const caller* who, const json::object& params,
                           reply_fn done) {
  auto display = display_name_field(params, presence::required);
  if (!display) return done(display.err());
  ctx.store.update_display_name(who->user, std::move(**display),
                                [done](result<store::user_record> user) {
                                  if (!user) return done(user.err());
                                  done(user_reply(*user));
                                });
}

}  // namespace haetae::api
