#include "client/session.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <random>
#include <unordered_set>

#include "client/client_id.h"
#include "client/node_url.h"
#include "client/room_cursors.h"
#include "proto/decode.h"
#include "proto/limits.h"

namespace haetae::client {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {
std::uint64_t pick_seed(std::uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}
constexpr auto hole_retry_every = std::chrono::seconds(1);
}  // namespace

struct session::impl : std::enable_shared_from_this<session::impl> {
  impl(asio::io_context& io, session_options o, session_handlers h)
      : io(io),
        options(std::move(o)),
        handlers(std::move(h)),
        policy(options.nodes, options.reconnect, pick_seed(options.seed)),
        ids(pick_seed(options.seed) ^ 0x9e3779b97f4a7c15ULL),
        box(options.outbox),
        tick_timer(io),
        reconnect_timer(io),
        change_cursor(options.change_cursor),
        only(options.only_rooms.begin(), options.only_rooms.end()) {}

  asio::io_context& io;
  session_options options;
  session_handlers handlers;
  reconnect_policy policy;
  client_id_generator ids;
  outbox box;
  room_cursors cursors;
  asio::steady_timer tick_timer;
  asio::steady_timer reconnect_timer;
  change_no change_cursor = 0;
  std::unordered_set<room_id> only;

  std::shared_ptr<ws_connection> conn;
  std::uint64_t gen = 0;  // which connection a callback belongs to
  bool connected = false;
  bool stopped = true;
  bool caught_up = false;
  int connections = 0;
  auth_info me;
  steady::time_point last_hole_retry{};
  steady::time_point last_ping{};

  // Catch-up of the current connection: rooms still syncing, and `changes` progress.
  std::unordered_set<room_id> catching_up;
  bool changes_done = false;
  change_no pending_change_cursor = 0;

  bool tracked(room_id room) const { return only.empty() || only.contains(room); }
  bool current(std::uint64_t g) const { return g == gen && conn && conn->is_open(); }

  void start() {
    if (!stopped) return;
    stopped = false;
    connect();
    arm_tick();
  }

  void stop() {
    stopped = true;
    tick_timer.cancel();
    reconnect_timer.cancel();
    ++gen;  // what the old connection still reports is stale
    if (conn) conn->close();
    conn.reset();
    if (connected) box.on_disconnect();
    connected = false;
    caught_up = false;
  }

  void arm_tick() {
    tick_timer.expires_after(options.tick);
    tick_timer.async_wait([w = weak_from_this()](boost::system::error_code ec) {
      auto self = w.lock();
      if (ec || !self || self->stopped) return;
      self->on_tick();
      self->arm_tick();
    });
  }

  void on_tick() {
    if (!connected || !conn) return;
    const auto waited = conn->oldest_pending_age();
    if (waited > options.request_timeout || conn->unanswered_ping_age() > options.silence_timeout) {
      // Nothing comes back, or the node is silent altogether: leave it.
      conn->close();
      return;
    }
    const auto now = steady::now();
    if (waited >= options.ping_after && now - last_ping >= options.ping_after) {
      conn->ping();  // at most every ping_after while a request waits
      last_ping = now;
    }
    flush();
    if (now - last_hole_retry >= hole_retry_every) {
      last_hole_retry = now;
      for (room_id room : cursors.rooms_with_holes()) request_sync(room);
    }
  }

  void connect() {
    if (stopped) return;
    auto url = node_url::parse(policy.current());
    if (!url) {
      schedule_reconnect();
      return;
    }
    const std::uint64_t g = ++gen;
    ws_handlers h;
    h.on_push = [w = weak_from_this(), g](json::object push) {
      auto self = w.lock();
      if (self && self->gen == g) self->on_push(std::move(push));
    };
    h.on_close = [w = weak_from_this(), g](const error& why) {
      auto self = w.lock();
      if (self) self->on_closed(g, why);
    };
    conn = ws_connection::create(io, std::move(h));
    conn->set_idle_timeout(options.idle_timeout);
    conn->open(*url, options.token, options.connect_timeout,
               [w = weak_from_this(), g](result<auth_info> r) {
                 auto self = w.lock();
                 if (self) self->on_open(g, std::move(r));
               });
  }

  void schedule_reconnect() {
    if (stopped) return;
    reconnect_timer.expires_after(policy.on_failure());
    reconnect_timer.async_wait([w = weak_from_this()](boost::system::error_code ec) {
      auto self = w.lock();
      if (!ec && self) self->connect();
    });
  }

  void on_open(std::uint64_t g, result<auth_info> r) {
    if (g != gen || stopped) return;
    if (!r) {
      conn.reset();
      if (handlers.on_disconnected) handlers.on_disconnected(r.err());
      if (r.code() == errc::unauthorized) {  // no node will take this token: give up
        stopped = true;
        tick_timer.cancel();
        return;
      }
      schedule_reconnect();
      return;
    }
    policy.on_success();
    ++connections;
    me = *r;
    connected = true;
    caught_up = false;
    if (handlers.on_connected) handlers.on_connected(me);
    flush();
    catching_up.clear();
    changes_done = false;
    request_changes(change_cursor);
  }

  void on_closed(std::uint64_t g, const error& why) {
    if (g != gen) return;
    connected = false;
    caught_up = false;
    conn.reset();
    box.on_disconnect();
    if (handlers.on_disconnected) handlers.on_disconnected(why);
    schedule_reconnect();
  }

  // --- outbox ---
  void flush() {
    if (!connected || !conn) return;
    for (outbox_entry& e : box.take_due(steady::now())) {
      json::object fields{{"room_id", e.room.value}, {"client_id", e.client_id}, {"body", e.body}};
      conn->request("send", std::move(fields),
                    [w = weak_from_this(), g = gen, id = e.client_id](result<json::object> r) {
                      auto self = w.lock();
                      if (self) self->on_send_reply(g, id, std::move(r));
                    });
    }
  }

  void on_send_reply(std::uint64_t g, const std::string& id, result<json::object> r) {
    if (r) {
      auto ack = proto::decode_send_ack(*r);
      if (!ack) r = ack.err();
      if (ack) {
        if (auto e = box.on_ack(id)) {  // a late ack from an older connection counts too
          if (handlers.on_ack) handlers.on_ack(*e, *ack);
        }
        flush();
        return;
      }
    }
    // A connection that ended fails its requests; on_closed requeues them without delay.
    if (!current(g)) return;
    if (auto failed = box.on_error(id, r.err(), steady::now())) {
      if (handlers.on_send_failed) handlers.on_send_failed(*failed);
    }
    flush();
  }

  // --- pushes and cursors ---
  void deliver(room_id room, cursor_update u) {
    for (const store::room_event& e : u.released) {
      if (handlers.on_event) handlers.on_event(e);
    }
    if (u.need_sync) request_sync(room);
  }

  void on_push(json::object push) {
    const json::value* type = push.if_contains("type");
    if (type == nullptr || !type->is_string()) return;
    if (type->get_string() == "event") {
      const json::value* ev = push.if_contains("event");
      if (ev == nullptr) return;
      auto e = proto::decode_event(*ev);
      if (!e || !tracked(e->room)) return;
      room_id room = e->room;
      deliver(room, cursors.on_push(std::move(*e)));
    } else if (type->get_string() == "read") {
      auto r = proto::decode_read_push(push);
      if (r && tracked(r->room) && handlers.on_read) handlers.on_read(*r);
    }
  }

  void request_sync(room_id room) {
    if (!connected || !conn || cursors.sync_in_flight(room)) return;
    cursors.set_sync_in_flight(room, true);
    const seq_no after = cursors.cursor(room);
    json::object fields{{"room_id", room.value}, {"after", after}, {"limit", limits::max_page}};
    conn->request("sync", std::move(fields),
                  [w = weak_from_this(), g = gen, room, after](result<json::object> r) {
                    auto self = w.lock();
                    if (self) self->on_sync_reply(g, room, after, std::move(r));
                  });
  }

  void on_sync_reply(std::uint64_t g, room_id room, seq_no after, result<json::object> r) {
    cursors.set_sync_in_flight(room, false);
    if (g != gen) return;
    result<store::page> p = r ? proto::decode_page(*r) : result<store::page>(r.err());
    if (!p) {
      // Not a member any more, or the connection went: the next catch-up covers it.
      finish_room_catch_up(room);
      return;
    }
    cursor_update u = cursors.on_sync_page(room, after, std::move(p->events), p->more);
    const bool again = u.need_sync;
    deliver(room, std::move(u));
    if (!again) finish_room_catch_up(room);
  }

  void request_changes(change_no since) {
    if (!connected || !conn) return;
    json::object fields{{"since", since}, {"limit", limits::max_page}};
    conn->request("changes", std::move(fields),
                  [w = weak_from_this(), g = gen](result<json::object> r) {
                    auto self = w.lock();
                    if (self) self->on_changes(g, std::move(r));
                  });
  }

  void on_changes(std::uint64_t g, result<json::object> r) {
    if (g != gen || !connected) return;
    result<store::changes_page> c =
        r ? proto::decode_changes(*r) : result<store::changes_page>(r.err());
    if (!c) {
      if (current(g)) conn->close();  // cannot catch up here: try again on a new connection
      return;
    }
    for (const store::room_summary& room : c->rooms) {
      if (room.left || !tracked(room.id)) continue;
      if (room.last_seq > cursors.cursor(room.id)) {
        catching_up.insert(room.id);
        request_sync(room.id);
      }
    }
    pending_change_cursor = std::max(pending_change_cursor, c->next);
    if (c->more) {
      request_changes(c->next);
      return;
    }
    changes_done = true;
    maybe_caught_up();
  }

  void finish_room_catch_up(room_id room) {
    if (catching_up.erase(room) > 0) maybe_caught_up();
  }

  void maybe_caught_up() {
    if (!changes_done || !catching_up.empty() || caught_up) return;
    change_cursor = std::max(change_cursor, pending_change_cursor);
    caught_up = true;
    if (handlers.on_caught_up) handlers.on_caught_up();
  }
};

session::session(asio::io_context& io, session_options options, session_handlers handlers)
    : impl_(std::make_shared<impl>(io, std::move(options), std::move(handlers))) {}

session::~session() { impl_->stop(); }

void session::start() { impl_->start(); }
void session::stop() { impl_->stop(); }

std::string session::send(room_id room, std::string body) {
  std::string id = impl_->ids.next();
  send_with_id(room, id, std::move(body));
  return id;
}

void session::send_with_id(room_id room, std::string client_id, std::string body) {
  impl_->box.add(room, std::move(client_id), std::move(body), steady::now());
  impl_->flush();
}

void session::call(std::string op, json::object fields, reply_fn done) {
  if (!impl_->connected || !impl_->conn) {
    asio::post(impl_->io, [done = std::move(done)] {
      done(make_error(errc::store_unavailable, "not connected"));
    });
    return;
  }
  impl_->conn->request(op, std::move(fields), std::move(done));
}

bool session::connected() const { return impl_->connected; }
bool session::caught_up() const { return impl_->connected && impl_->caught_up; }
auth_info session::identity() const { return impl_->me; }
const std::string& session::node() const { return impl_->policy.current(); }
seq_no session::cursor(room_id room) const { return impl_->cursors.cursor(room); }
void session::set_cursor(room_id room, seq_no seq) { impl_->cursors.set_cursor(room, seq); }
change_no session::change_cursor() const { return impl_->change_cursor; }
std::size_t session::outbox_size() const { return impl_->box.size(); }
int session::reconnects() const { return std::max(0, impl_->connections - 1); }

void session::test_drop_connection() {
  if (impl_->conn) impl_->conn->close();
}

}  // namespace haetae::client
