#include "client/http_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <optional>

#include "proto/decode.h"

namespace haetae::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

struct raw_reply {
  unsigned status = 0;
  std::string body;
};

asio::awaitable<raw_reply> exchange(const node_url& node, http::request<http::string_body> req,
                                    std::chrono::milliseconds timeout) {
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(ex);
  beast::tcp_stream stream(ex);
  stream.expires_after(timeout);
  auto endpoints = co_await resolver.async_resolve(node.host, node.port, asio::use_awaitable);
  co_await stream.async_connect(endpoints, asio::use_awaitable);
  stream.expires_after(timeout);
  co_await http::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  auto res = parser.release();
  co_return raw_reply{res.result_int(), std::move(res.body())};
}

result<raw_reply> run(const node_url& node, http::request<http::string_body> req,
                      std::chrono::milliseconds timeout) {
  req.set(http::field::host, node.host + ":" + node.port);
  req.set(http::field::user_agent, "haetae-client");
  req.prepare_payload();
  asio::io_context io;
  std::optional<result<raw_reply>> out;
  asio::co_spawn(io, exchange(node, std::move(req), timeout),
                 [&](std::exception_ptr e, raw_reply r) {
                   if (!e) {
                     out.emplace(std::move(r));
                     return;
                   }
                   std::string what = "no answer from " + node.text;
                   try {
                     std::rethrow_exception(e);
                   } catch (const std::exception& ex) {
                     what += ": " + std::string(ex.what());
                   }
                   out.emplace(make_error(errc::store_unavailable, what));
                 });
  io.run();
  return std::move(*out);
}

}  // namespace

result<json::object> http_call(const node_url& node, std::string_view op,
                               const json::object& params, std::string_view token,
                               http_options options) {
  http::request<http::string_body> req{http::verb::post, "/api/" + std::string(op), 11};
  req.set(http::field::content_type, "application/json");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + std::string(token));
  req.body() = json::serialize(params);
  auto reply = run(node, std::move(req), options.timeout);
  if (!reply) return reply.err();
  boost::system::error_code ec;
  json::value v = json::parse(reply->body, ec);
  if (ec) {
    return make_error(reply->status == 200 ? errc::internal : errc::store_unavailable,
                      "HTTP " + std::to_string(reply->status) + " with a body that is not JSON");
  }
  if (reply->status != 200) return proto::decode_error(v);
  if (!v.is_object()) return make_error(errc::internal, "the result is not a JSON object");
  return std::move(v.get_object());
}

result<json::value> http_get(const node_url& node, std::string_view path, http_options options) {
  http::request<http::string_body> req{http::verb::get, std::string(path), 11};
  auto reply = run(node, std::move(req), options.timeout);
  if (!reply) return reply.err();
  boost::system::error_code ec;
  json::value v = json::parse(reply->body, ec);
  if (reply->status != 200) {
    if (!ec) return proto::decode_error(v);
    return make_error(errc::internal, "HTTP " + std::to_string(reply->status));
  }
  if (ec) return make_error(errc::internal, "the body is not JSON");
  return v;
}

}  // namespace haetae::client
