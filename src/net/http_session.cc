#include "net/http_session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/error_mapping.h"
#include "net/await_callback.h"
#include "net/server_context.h"
#include "net/service.h"
#include "net/static_files.h"
#include "net/websocket_session.h"
#include "net/wire.h"
#include "proto/limits.h"

namespace haetae::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t header_limit_bytes = 16 * 1024;
// After refusing an oversized body, read and drop up to this much so the client sees the 413
// instead of a reset.
constexpr std::size_t drain_limit_bytes = 1024 * 1024;
constexpr std::chrono::seconds drain_timeout{5};

response json_response(unsigned version, bool keep_alive, http::status status, std::string body) {
  response res{status, version};
  res.set(http::field::content_type, "application/json");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response error_response(unsigned version, bool keep_alive, const error& e, int status = 0) {
  auto s = static_cast<http::status>(status ? status : api::http_status(e.code));
  return json_response(version, keep_alive, s, api::error_body(e));
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

// Pages are ours alone: no framing by others, no sniffing, scripts only from this origin.
void set_page_headers(response& res) {
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Content-Security-Policy",
          "default-src 'self'; connect-src 'self' ws: wss: http: https:; img-src 'self' data: "
          "blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
}

response page_response(unsigned version, bool keep_alive, const static_file& f) {
  response res{http::status::ok, version};
  res.set(http::field::content_type, f.content_type);
  res.set(http::field::cache_control, f.cache_control);
  set_page_headers(res);
  res.keep_alive(keep_alive);
  res.body() = f.body;
  res.prepare_payload();
  return res;
}

const static_file not_built_page{
    "<!doctype html><meta charset=utf-8><title>haetae</title><p>The haetae node is running, "
    "but the web client is not built. Run <code>make run</code> from the repository, or use the "
    "<code>haetae</code> command-line client.</p>",
    "text/html; charset=utf-8", "no-cache"};

// A browser page may open a WebSocket here only from this node's own origin or the cluster's;
// clients that are not browsers send no Origin and authenticate by token alone.
bool origin_allowed(const request& req, const server_context& ctx) {
  auto origin = req[http::field::origin];
  if (origin.empty()) return true;
  auto host = req[http::field::host];
  if (!host.empty() &&
      (origin == "http://" + std::string(host) || origin == "https://" + std::string(host))) {
    return true;
  }
  if (origin == ctx.self_url) return true;
  for (const auto& allowed : ctx.allowed_origins) {
    if (origin == allowed) return true;
  }
  return false;
}

// "Bearer <token>" → token; empty when absent or malformed.
std::string_view bearer_token(const request& req) {
  auto it = req.find(http::field::authorization);
  if (it == req.end()) return {};
  std::string_view v = it->value();
  constexpr std::string_view scheme = "bearer ";
  if (v.size() <= scheme.size()) return {};
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(v[i])) != scheme[i]) return {};
  }
  v.remove_prefix(scheme.size());
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

// POST /api/<op>: body → params, token → caller, then the service.
asio::awaitable<response> call_op(const request& req, std::string_view op, server_context& ctx) {
  const unsigned ver = req.version();
  const bool ka = req.keep_alive();
  json::object params;
  if (!req.body().empty()) {
    boost::system::error_code ec;
    json::value v = json::parse(req.body(), ec);
    if (ec || !v.is_object()) {
      co_return error_response(ver, ka,
                               make_error(errc::bad_request, "the body must be a JSON object"));
    }
    params = std::move(v.as_object());
  }
  std::optional<api::caller> who;
  if (ctx.ops.needs_auth(op)) {
    std::string token(bearer_token(req));
    if (token.empty()) {
      co_return error_response(
          ver, ka, make_error(errc::unauthorized, "missing Authorization: Bearer <token>"));
    }
    auto start = [&ctx, token](api::auth_fn done) { ctx.ops.authenticate(token, std::move(done)); };
    auto r = co_await await_callback<result<api::caller>>(std::move(start));
    if (!r) co_return error_response(ver, ka, r.err());
    who = *r;
  }
  std::string op_name(op);
  auto start = [&ctx, who, op_name, p = std::move(params)](api::reply_fn done) mutable {
    ctx.ops.call(who, op_name, std::move(p), std::move(done));
  };
  auto r = co_await await_callback<result<json::object>>(std::move(start));
  if (!r) co_return error_response(ver, ka, r.err());
  co_return json_response(ver, ka, http::status::ok, json::serialize(*r));
}

readiness readiness_of(const server_context& ctx) {
  return ctx.check_readiness ? ctx.check_readiness() : readiness{};
}

asio::awaitable<response> route(const request& req, server_context& ctx) {
  const unsigned ver = req.version();
  const bool ka = req.keep_alive();
  std::string_view path = path_of(req.target());
  const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
  if (path == "/healthz" && get) {
    co_return json_response(ver, ka, http::status::ok, R"({"status":"ok"})");
  }
  if (path == "/readyz" && get) {
    const readiness r = readiness_of(ctx);
    if (r.reads && r.writes) {
      co_return json_response(ver, ka, http::status::ok, R"({"status":"ready"})");
    }
    json::object o;
    o["status"] = "not_ready";
    o["reads"] = r.reads;
    o["writes"] = r.writes;
    o["reason"] = r.reason;
    co_return json_response(ver, ka, http::status::service_unavailable, json::serialize(o));
  }
  if (path == "/readyz/clients" && get) {
    const readiness r = readiness_of(ctx);
    if (r.keeps_clients) {
      co_return json_response(ver, ka, http::status::ok, R"({"status":"serving"})");
    }
    json::object o;
    o["status"] = "not_serving";
    o["reason"] = r.reason;
    co_return json_response(ver, ka, http::status::service_unavailable, json::serialize(o));
  }
  if (path == "/api/nodes" && get) {
    json::object o;
    json::array nodes;
    for (const auto& u : ctx.node_urls) nodes.emplace_back(u);
    if (nodes.empty()) nodes.emplace_back(ctx.self_url);
    o["nodes"] = std::move(nodes);
    o["self"] = ctx.self_url;
    co_return json_response(ver, ka, http::status::ok, json::serialize(o));
  }
  if (path.starts_with("/api/") && path.size() > 5) {
    if (req.method() != http::verb::post) {
      co_return error_response(ver, ka, make_error(errc::bad_request, "use POST for /api/<op>"),
                               405);
    }
    co_return co_await call_op(req, path.substr(5), ctx);
  }
  if (path == "/ws") {
    co_return error_response(ver, ka,
                             make_error(errc::bad_request, "expected a WebSocket upgrade"));
  }
  if (get) {
    if (ctx.web) {
      if (const static_file* f = ctx.web->find(path)) co_return page_response(ver, ka, *f);
    } else if (path == "/" || path == "/index.html") {
      co_return page_response(ver, ka, not_built_page);
    }
  }
  co_return error_response(ver, ka, make_error(errc::not_found, "no such path"));
}

// Reads and drops what the client is still sending, so closing does not reset the connection
// before it has read our response.
asio::awaitable<void> drain_and_close(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::string sink(4096, '\0');
  std::size_t total = 0;
  stream.expires_after(drain_timeout);
  while (total < drain_limit_bytes) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), tuple_awaitable);
    if (rec) break;
    total += n;
  }
  stream.socket().close(ec);
}

asio::awaitable<void> serve(tcp::socket socket, server_context& ctx) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(limits::max_http_body_bytes);
    parser.header_limit(header_limit_bytes);
    stream.expires_after(ctx.http_read_timeout);
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, tuple_awaitable);
    if (!ec && !parser.is_done()) {
      // curl asks before sending a body over 1 KiB; answer at once instead of letting it wait.
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        http::response<http::empty_body> go_on{http::status::continue_, 11};
        co_await http::async_write(stream, go_on, tuple_awaitable);
      }
      std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
    }
    if (ec == http::error::body_limit) {
      auto res = error_response(
          11, false, make_error(errc::payload_too_large, "the body is over 65536 bytes"));
      stream.expires_after(ctx.http_read_timeout);
      co_await http::async_write(stream, res, tuple_awaitable);
      co_await drain_and_close(stream);
      co_return;
    }
    if (ec) {
      if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
          ec != asio::error::connection_reset && ec != asio::error::eof &&
          ec != http::error::partial_message) {
        // Malformed request: say so, then close (the stream position is unknown).
        auto res = error_response(11, false, make_error(errc::bad_request, ec.message()));
        stream.expires_after(ctx.http_read_timeout);
        co_await http::async_write(stream, res, tuple_awaitable);
      }
      boost::system::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
    request req = parser.release();
    if (beast::websocket::is_upgrade(req) && path_of(req.target()) == "/ws") {
      if (!origin_allowed(req, ctx)) {
        auto res = error_response(
            req.version(), false,
            make_error(errc::unauthorized, "pages from this origin may not connect here"), 403);
        co_await http::async_write(stream, res, tuple_awaitable);
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        co_return;
      }
      if (const readiness r = readiness_of(ctx); !r.keeps_clients) {
        // A node that cannot serve gets out of the way: the client's next node takes the socket.
        auto res =
            error_response(req.version(), false,
                           make_error(errc::store_unavailable, "not serving: " + r.reason), 503);
        co_await http::async_write(stream, res, tuple_awaitable);
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        co_return;
      }
      stream.expires_never();
      start_websocket_session(stream.release_socket(), std::move(req), ctx);
      co_return;
    }
    stream.expires_never();  // no read is pending while the service works
    response res = co_await route(req, ctx);
    if (req.method() == http::verb::head) res.body().clear();
    stream.expires_after(ctx.http_read_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, tuple_awaitable);
    if (wec) co_return;
    if (!res.keep_alive()) {
      boost::system::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
    // Give a burst's buffer back between requests.
    if (buffer.size() == 0 && buffer.capacity() > 8192) buffer.shrink_to_fit();
  }
}

}  // namespace

void start_http_session(tcp::socket socket, server_context& ctx) {
  auto ex = socket.get_executor();
  asio::co_spawn(ex, serve(std::move(socket), ctx), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      spdlog::error("http session ended by exception: {}", x.what());
    }
  });
}

}  // namespace haetae::net
