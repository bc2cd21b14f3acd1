#include "api/dispatcher.h"

#include <algorithm>
#include <boost/json.hpp>
#include <exception>
#include <string>
#include <unordered_map>

#include "api/context.h"
#include "auth/token.h"
#include "proto/encode.h"

namespace haetae::api {

namespace {

struct op_entry {
  handler_fn handler;
  bool needs_auth;
};

const std::unordered_map<std::string_view, op_entry>& op_table() {
  static const std::unordered_map<std::string_view, op_entry> table = {
      {"signup", {handle_signup, false}},
      {"login", {handle_login, false}},
      {"logout", {handle_logout, true}},
      {"me", {handle_me, true}},
      {"profile.update", {handle_profile_update, true}},
      {"friends.add", {handle_friends_add, true}},
      {"friends.block", {handle_friends_block, true}},
      {"friends.list", {handle_friends_list, true}},
      {"rooms.direct", {handle_rooms_direct, true}},
      {"rooms.create", {handle_rooms_create, true}},
      {"rooms.invite", {handle_rooms_invite, true}},
      {"rooms.leave", {handle_rooms_leave, true}},
      {"rooms.list", {handle_rooms_list, true}},
      {"rooms.get", {handle_rooms_get, true}},
      {"send", {handle_send, true}},
      {"history", {handle_history, true}},
      {"sync", {handle_sync, true}},
      {"changes", {handle_changes, true}},
      {"read", {handle_read, true}},
  };
  return table;
}

}  // namespace

// --- context ---

context::context(store::store& s, push_sink& p, const dispatcher_options& o)
    : store(s),
      pushes(p),
      options(o),
      hasher({o.hash_threads, o.max_queued_hashes,
              o.fast_password_hashing ? auth::hash_cost::fast : auth::hash_cost::interactive}),
      reads("store reads", o.read_threads, o.max_queued_reads) {}

void context::on_read_pool(const reply_fn& done, std::function<void()> work,
                           auth::queue_bound bound) {
  status admitted = reads.submit(std::move(work), bound);
  if (!admitted) done(admitted.err());
}

void context::push_events(const store::room_change& change) {
  if (change.recipients.empty()) return;
  for (const auto& event : change.events) {
    pushes.push(change.recipients, proto::encode_event_push(event));
  }
}

void context::begin_op() {
  std::lock_guard lock(mu_);
  ++in_flight_;
}

void context::end_op() {
  // Notify under the lock: once wait_idle sees zero, this thread no longer touches *this.
  std::lock_guard lock(mu_);
  --in_flight_;
  idle_.notify_all();
}

void context::wait_idle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return in_flight_ == 0; });
}

// --- dispatcher ---

struct dispatcher::impl {
  impl(store::store& s, push_sink& p, const dispatcher_options& o) : ctx(s, p, o) {}
  context ctx;
};

dispatcher::dispatcher(store::store& store, push_sink& pushes, dispatcher_options options)
    : impl_(std::make_unique<impl>(store, pushes, options)) {}

dispatcher::~dispatcher() {
  // Every admitted operation finishes (its store writes complete, its reply is delivered) before
  // the pools are joined, so no completion outlives the context it refers to.
  impl_->ctx.wait_idle();
}

bool dispatcher::needs_auth(std::string_view op) {
  auto it = op_table().find(op);
  return it == op_table().end() || it->second.needs_auth;
}

void dispatcher::authenticate(std::string_view token, auth_fn done) {
  if (!auth::well_formed_token(token)) {
    done(make_error(errc::unauthorized, "the token is malformed"));
    return;
  }
  context& ctx = impl_->ctx;
  ctx.begin_op();
  auth_fn finish = [&ctx, done = std::move(done)](result<caller> r) {
    done(std::move(r));
    ctx.end_op();
  };
  status admitted =
      ctx.reads.submit([&ctx, finish, token_hash = auth::hash_token(token)]() mutable {
        auto session = ctx.store.session_by_token_hash(token_hash);
        if (!session) {
          if (session.code() == errc::not_found) {
            finish(make_error(errc::unauthorized, "the token is unknown or was revoked"));
          } else {
            finish(session.err());
          }
          return;
        }
        finish(caller{session->user, session->device, std::move(token_hash)});
      });
  if (!admitted) finish(admitted.err());
}

void dispatcher::call(std::optional<caller> who, std::string_view op, boost::json::object params,
                      reply_fn done) {
  auto it = op_table().find(op);
  if (it == op_table().end()) {
    // Echo the name only when it is harmless to put in a message (it may be any bytes of a URL).
    bool printable = op.size() <= 64 && std::all_of(op.begin(), op.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                              c == '_' || c == '-';
                     });
    done(make_error(errc::unknown_op, printable && !op.empty()
                                          ? "no such operation: " + std::string(op)
                                          : std::string("no such operation")));
    return;
  }
  if (it->second.needs_auth && !who) {
    done(make_error(errc::unauthorized, "this operation needs a session token"));
    return;
  }
  context& ctx = impl_->ctx;
  ctx.begin_op();
  reply_fn finish = [&ctx, done = std::move(done)](result<boost::json::object> r) {
    done(std::move(r));
    ctx.end_op();
  };
  try {
    it->second.handler(ctx, who ? &*who : nullptr, params, finish);
  } catch (const std::exception& e) {
    // Handlers do not throw by design; if one does (allocation), answer instead of hanging.
    finish(make_error(errc::internal, e.what()));
  }
}

}  // namespace haetae::api
