#include "client/ws_connection.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <deque>
#include <optional>
#include <unordered_map>

#include "proto/decode.h"

namespace haetae::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using steady = std::chrono::steady_clock;

namespace {
// Sync pages of 500 large messages are big; the server bounds what it sends.
constexpr std::size_t max_read_bytes = 64 * 1024 * 1024;

std::string describe(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}
}  // namespace

struct ws_connection::impl {
  impl(asio::io_context& io, ws_handlers h) : io(io), handlers(std::move(h)), ws(io) {}

  struct pending_request {
    reply_fn done;
    steady::time_point sent;
  };

  asio::io_context& io;
  ws_handlers handlers;
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  bool open = false;
  bool ended = false;
  std::int64_t next_rid = 1;
  std::unordered_map<std::int64_t, pending_request> pending;
  std::deque<std::shared_ptr<const std::string>> writes;
  bool writing = false;
  std::chrono::milliseconds idle_timeout{20000};
  // ping(): when the unanswered ping was asked for (it may still wait behind a stuck write).
  std::optional<steady::time_point> ping_asked;
  bool ping_in_flight = false;  // Beast allows one async_ping at a time

  void drop_socket() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws).socket().close(ignored);
  }

  // The connection ended: fail everything waiting, tell the owner once. Callbacks are posted,
  // so an owner may call close() from anywhere without being re-entered.
  void end(const error& why, bool notify) {
    if (ended) return;
    ended = true;
    const bool was_open = open;
    open = false;
    drop_socket();
    auto waiting = std::move(pending);
    pending.clear();
    writes.clear();
    asio::post(io, [waiting = std::move(waiting),
                    on_close = (notify && was_open) ? handlers.on_close : nullptr, why]() mutable {
      for (auto& [rid, p] : waiting) {
        p.done(make_error(errc::store_unavailable, "connection lost before the reply"));
      }
      if (on_close) on_close(why);
    });
  }

  void dispatch(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return;  // the server only sends objects; ignore anything else
    json::object& o = v.get_object();
    const json::value* type = o.if_contains("type");
    if (type == nullptr || !type->is_string()) return;
    std::string_view t = type->get_string();
    if (t == "result" || t == "error") {
      const json::value* rid = o.if_contains("rid");
      if (rid == nullptr || !rid->is_int64()) return;  // e.g. rid null: a frame we sent was bad
      auto it = pending.find(rid->get_int64());
      if (it == pending.end()) return;
      reply_fn done = std::move(it->second.done);
      pending.erase(it);
      if (t == "error") {
        done(proto::decode_error(v));
        return;
      }
      json::value* r = o.if_contains("result");
      if (r == nullptr || !r->is_object()) {
        done(make_error(errc::internal, "result frame without a result object"));
        return;
      }
      done(std::move(r->get_object()));
      return;
    }
    if (handlers.on_push) handlers.on_push(std::move(o));
  }
};

namespace {

asio::awaitable<void> read_loop([[maybe_unused]] std::shared_ptr<ws_connection> self,
                                ws_connection::impl& d) {
  std::string why;
  try {
    for (;;) {
      d.buffer.clear();
      co_await d.ws.async_read(d.buffer, asio::use_awaitable);
      if (d.ended) break;
      d.ping_asked.reset();
      d.dispatch(beast::buffers_to_string(d.buffer.data()));
      if (d.ended) break;
    }
  } catch (const std::exception& e) {
    why = e.what();
  }
  d.end(make_error(errc::store_unavailable, "connection closed: " + why), true);
}

asio::awaitable<void> open_flow(std::shared_ptr<ws_connection> self, ws_connection::impl& d,
                                node_url node, std::string token, std::chrono::milliseconds timeout,
                                std::function<void(result<auth_info>)> done) {
  std::optional<result<auth_info>> outcome;
  try {
    auto ex = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(ex);
    auto& tcp = beast::get_lowest_layer(d.ws);
    tcp.expires_after(timeout);  // covers connect, handshake and the auth reply
    auto endpoints = co_await resolver.async_resolve(node.host, node.port, asio::use_awaitable);
    co_await tcp.async_connect(endpoints, asio::use_awaitable);
    tcp.socket().set_option(asio::ip::tcp::no_delay(true));
    d.ws.read_message_max(max_read_bytes);
    co_await d.ws.async_handshake(node.host + ":" + node.port, "/ws", asio::use_awaitable);
    d.ws.text(true);
    std::string auth = json::serialize(json::object{{"op", "auth"}, {"token", token}});
    co_await d.ws.async_write(asio::buffer(auth), asio::use_awaitable);
    d.buffer.clear();
    co_await d.ws.async_read(d.buffer, asio::use_awaitable);
    json::value v = json::parse(beast::buffers_to_string(d.buffer.data()));
    const json::object* o = v.if_object();
    const json::value* type = o ? o->if_contains("type") : nullptr;
    if (type != nullptr && type->is_string() && type->get_string() == "auth_ok") {
      auth_info info{user_id(o->at("user_id").to_number<std::int64_t>()),
                     device_id(o->at("device_id").to_number<std::int64_t>())};
      tcp.expires_never();
      websocket::stream_base::timeout t{};
      t.handshake_timeout = std::chrono::seconds(5);
      t.idle_timeout = d.idle_timeout;  // pings at half: a silent node is left
      t.keep_alive_pings = true;
      d.ws.set_option(t);
      d.ws.control_callback([&d](websocket::frame_type, beast::string_view) {
        d.ping_asked.reset();  // a pong (or the node's own ping): it is alive
      });
      outcome.emplace(info);
    } else {
      outcome.emplace(proto::decode_error(v));
    }
  } catch (const std::exception& e) {
    outcome.emplace(
        make_error(errc::store_unavailable, "cannot connect to " + node.text + ": " + e.what()));
  }
  if (outcome->ok() && !d.ended) {
    d.open = true;
    asio::co_spawn(d.io, read_loop(self, d), asio::detached);
  } else {
    d.end(outcome->ok() ? make_error(errc::store_unavailable, "closed while opening")
                        : outcome->err(),
          false);
    if (outcome->ok()) outcome.emplace(make_error(errc::store_unavailable, "closed while opening"));
  }
  done(std::move(*outcome));
}

void write_next(std::shared_ptr<ws_connection> self, ws_connection::impl& d) {
  if (d.writing || d.writes.empty() || !d.open) return;
  d.writing = true;
  auto frame = d.writes.front();
  d.ws.async_write(asio::buffer(*frame), [self, &d, frame](beast::error_code ec, std::size_t) {
    d.writing = false;
    if (ec) {
      d.end(make_error(errc::store_unavailable, "write failed: " + ec.message()), true);
      return;
    }
    if (!d.writes.empty()) d.writes.pop_front();
    write_next(self, d);
  });
}

}  // namespace

std::shared_ptr<ws_connection> ws_connection::create(asio::io_context& io, ws_handlers handlers) {
  return std::shared_ptr<ws_connection>(new ws_connection(io, std::move(handlers)));
}

ws_connection::ws_connection(asio::io_context& io, ws_handlers handlers)
    : impl_(std::make_unique<impl>(io, std::move(handlers))) {}

ws_connection::~ws_connection() = default;

void ws_connection::open(node_url node, std::string token, std::chrono::milliseconds timeout,
                         std::function<void(result<auth_info>)> done) {
  asio::co_spawn(impl_->io,
                 open_flow(shared_from_this(), *impl_, std::move(node), std::move(token), timeout,
                           std::move(done)),
                 [](std::exception_ptr e) {
                   if (e) std::fprintf(stderr, "haetae client: %s\n", describe(e).c_str());
                 });
}

void ws_connection::request(std::string_view op, json::object fields, reply_fn done) {
  impl& d = *impl_;
  if (!d.open) {
    asio::post(d.io, [done = std::move(done)] {
      done(make_error(errc::store_unavailable, "not connected"));
    });
    return;
  }
  const std::int64_t rid = d.next_rid++;
  fields["op"] = op;
  fields["rid"] = rid;
  d.pending.emplace(rid, impl::pending_request{std::move(done), steady::now()});
  d.writes.push_back(std::make_shared<const std::string>(json::serialize(fields)));
  write_next(shared_from_this(), d);
}

void ws_connection::close() {
  impl& d = *impl_;
  if (d.ended) return;
  if (!d.open) {  // still opening: the open flow fails and reports
    d.drop_socket();
    return;
  }
  d.end(make_error(errc::store_unavailable, "closed by the client"), true);
}

void ws_connection::set_idle_timeout(std::chrono::milliseconds timeout) {
  impl_->idle_timeout = timeout;
}

void ws_connection::ping() {
  impl& d = *impl_;
  if (!d.open || d.ping_asked) return;
  d.ping_asked = steady::now();
  if (d.ping_in_flight) return;
  d.ping_in_flight = true;
  d.ws.async_ping({}, [self = shared_from_this(), &d](beast::error_code) {
    d.ping_in_flight = false;  // a failed write ends the connection through the read loop
  });
}

bool ws_connection::is_open() const { return impl_->open; }

std::size_t ws_connection::pending() const { return impl_->pending.size(); }

steady::duration ws_connection::oldest_pending_age() const {
  steady::duration oldest{};
  const auto now = steady::now();
  for (const auto& [rid, p] : impl_->pending) oldest = std::max(oldest, now - p.sent);
  return oldest;
}

steady::duration ws_connection::unanswered_ping_age() const {
  return impl_->ping_asked ? steady::now() - *impl_->ping_asked : steady::duration{};
}

}  // namespace haetae::client
