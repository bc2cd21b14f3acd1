#include "net/tests/test_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <sstream>

namespace haetae::net::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

// Runs `io` until `done` or the timeout; false on timeout.
bool run_until(asio::io_context& io, const bool& done, std::chrono::milliseconds timeout) {
  io.restart();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done) {
    if (io.run_one_until(deadline) == 0) break;
  }
  return done;
}

// After a timeout: cancel and let the handler run, so it never outlives its captures.
template <class Socket>
void cancel_and_finish(asio::io_context& io, Socket& s, const bool& done) {
  error_code ignored;
  s.close(ignored);
  io.restart();
  while (!done && io.run_one() != 0) {
  }
}

error_code connect_socket(asio::io_context& io, tcp::socket& s, std::uint16_t port) {
  bool done = false;
  error_code ec;
  s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](error_code e) {
    ec = e;
    done = true;
  });
  if (!run_until(io, done, hang_timeout)) {
    cancel_and_finish(io, s, done);
    return asio::error::timed_out;
  }
  return ec;
}

}  // namespace

// --- http ---

struct http_connection::impl {
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;

  http_reply read_reply() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bool done = false;
    error_code ec;
    http::async_read(socket, buffer, parser, [&](error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(io, done, hang_timeout)) {
      cancel_and_finish(io, socket, done);
      return {};
    }
    if (ec) return {};
    auto res = parser.release();
    return {static_cast<int>(res.result_int()), std::move(res.body()), res.keep_alive()};
  }

  bool write_all(const std::string& bytes) {
    bool done = false;
    error_code ec;
    asio::async_write(socket, asio::buffer(bytes), [&](error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(io, done, hang_timeout)) {
      cancel_and_finish(io, socket, done);
      return false;
    }
    return !ec;
  }
};

http_connection::http_connection(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
http_connection::~http_connection() = default;

std::unique_ptr<http_connection> http_connection::connect(std::uint16_t port) {
  auto i = std::make_unique<impl>();
  if (connect_socket(i->io, i->socket, port)) return nullptr;
  return std::unique_ptr<http_connection>(new http_connection(std::move(i)));
}

http_reply http_connection::send(const std::string& method, const std::string& target,
                                 const std::string& body, const std::string& token) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.keep_alive(true);
  req.prepare_payload();
  std::ostringstream out;
  out << req;
  return send_raw(out.str());
}

http_reply http_connection::send_raw(const std::string& bytes) {
  if (!impl_->write_all(bytes)) return {};
  return impl_->read_reply();
}

http_reply http_connection::read() { return impl_->read_reply(); }

http_reply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body, const std::string& token) {
  auto c = http_connection::connect(port);
  if (!c) return {};
  return c->send(method, target, body, token);
}

// --- websocket ---

struct ws_client::impl {
  asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
  beast::flat_buffer buffer;
  bool closed = false;
  bool timed_out = false;
  int close_code = 0;
};

ws_client::ws_client(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
ws_client::~ws_client() = default;

std::unique_ptr<ws_client> ws_client::connect(std::uint16_t port) {
  auto i = std::make_unique<impl>();
  if (connect_socket(i->io, i->ws.next_layer(), port)) return nullptr;
  bool done = false;
  error_code ec;
  i->ws.async_handshake("127.0.0.1", "/ws", [&](error_code e) {
    ec = e;
    done = true;
  });
  if (!run_until(i->io, done, hang_timeout)) {
    cancel_and_finish(i->io, i->ws.next_layer(), done);
    return nullptr;
  }
  if (ec) return nullptr;
  i->ws.text(true);
  return std::unique_ptr<ws_client>(new ws_client(std::move(i)));
}

bool ws_client::send(const std::string& text) {
  if (impl_->closed) return false;
  bool done = false;
  error_code ec;
  impl_->ws.async_write(asio::buffer(text), [&](error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  if (!run_until(impl_->io, done, hang_timeout)) {
    impl_->timed_out = true;
    cancel_and_finish(impl_->io, impl_->ws.next_layer(), done);
    return false;
  }
  return !ec;
}

std::optional<std::string> ws_client::read(std::chrono::milliseconds timeout) {
  if (impl_->closed) return std::nullopt;
  bool done = false;
  error_code ec;
  impl_->ws.async_read(impl_->buffer, [&](error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  if (!run_until(impl_->io, done, timeout)) {
    impl_->timed_out = true;
    impl_->closed = true;
    cancel_and_finish(impl_->io, impl_->ws.next_layer(), done);
    return std::nullopt;
  }
  if (ec) {
    impl_->closed = true;
    impl_->close_code = impl_->ws.reason().code;
    return std::nullopt;
  }
  std::string text = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.consume(impl_->buffer.size());
  return text;
}

std::optional<std::string> ws_client::auth(const std::string& token) {
  boost::json::object o;
  o["op"] = "auth";
  o["token"] = token;
  if (!send(boost::json::serialize(o))) return std::nullopt;
  return read();
}

bool ws_client::closed() const { return impl_->closed; }
int ws_client::close_code() const { return impl_->close_code; }
bool ws_client::timed_out() const { return impl_->timed_out; }

}  // namespace haetae::net::testing
