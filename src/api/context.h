#pragma once
// What every handler shares: the store, the push sink, the bounded pools and the count of
// operations in flight (the dispatcher's destructor waits for it). Internal to api/.
#include <boost/json/object.hpp>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>

#include "api/dispatcher.h"
#include "api/push_sink.h"
#include "auth/password_hasher.h"
#include "auth/work_pool.h"
#include "store/store.h"

namespace haetae::api {

struct context {
  context(store::store& s, push_sink& p, const dispatcher_options& o);

  store::store& store;
  push_sink& pushes;
  dispatcher_options options;
  auth::password_hasher hasher;
  auth::work_pool reads;

  // Runs `work` on the read pool (store reads are synchronous and must not run on the caller's
  // thread, the network event loop). A full pool replies errc::overloaded at once.
  // `bound` = ignore for reads that follow an already committed write.
  void on_read_pool(const reply_fn& done, std::function<void()> work,
                    auth::queue_bound bound = auth::queue_bound::enforce);

  // Pushes every appended event of `change` to its recipients, one frame per event.
  void push_events(const store::room_change& change);

  // Operations in flight: begun by the dispatcher, ended when their reply has been delivered.
  void begin_op();
  void end_op();
  void wait_idle();

 private:
  std::mutex mu_;
  std::condition_variable idle_;
  std::size_t in_flight_ = 0;
};

using handler_fn = void (*)(context& ctx, const caller* who, const boost::json::object& params,
                            reply_fn done);

// One handler per op of protocol §4, grouped by resource in accounts.cc, friends.cc, rooms.cc and
// messages.cc. `who` is non-null for every op that needs auth.
void handle_signup(context&, const caller*, const boost::json::object&, reply_fn);
void handle_login(context&, const caller*, const boost::json::object&, reply_fn);
void handle_logout(context&, const caller*, const boost::json::object&, reply_fn);
void handle_me(context&, const caller*, const boost::json::object&, reply_fn);
void handle_profile_update(context&, const caller*, const boost::json::object&, reply_fn);
void handle_friends_add(context&, const caller*, const boost::json::object&, reply_fn);
void handle_friends_block(context&, const caller*, const boost::json::object&, reply_fn);
void handle_friends_list(context&, const caller*, const boost::json::object&, reply_fn);
void handle_rooms_direct(context&, const caller*, const boost::json::object&, reply_fn);
void handle_rooms_create(context&, const caller*, const boost::json::object&, reply_fn);
void handle_rooms_invite(context&, const caller*, const boost::json::object&, reply_fn);
void handle_rooms_leave(context&, const caller*, const boost::json::object&, reply_fn);
void handle_rooms_list(context&, const caller*, const boost::json::object&, reply_fn);
void handle_rooms_get(context&, const caller*, const boost::json::object&, reply_fn);
void handle_send(context&, const caller*, const boost::json::object&, reply_fn);
void handle_history(context&, const caller*, const boost::json::object&, reply_fn);
void handle_sync(context&, const caller*, const boost::json::object&, reply_fn);
void handle_changes(context&, const caller*, const boost::json::object&, reply_fn);
void handle_read(context&, const caller*, const boost::json::object&, reply_fn);

}  // namespace haetae::api
