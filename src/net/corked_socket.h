#pragma once
// A TCP socket whose writes can be held back, so that several WebSocket frames leave in one
// sendmsg. On loopback and LAN a sendmsg costs far more than the copy of a small frame (the
// profile showed ~25 % of the server's CPU in sendmsg with one call per frame).
//
// While corked, async_write_some copies the bytes into `pending_` and completes at once (posted,
// never inline). The first write while uncorked sends `pending_` plus its own bytes with one
// gathered write. The owner (websocket_session) corks only around the start of one of its own
// frame writes (Beast calls async_write_some from inside async_write when the stream is free),
// and only when another frame is queued, so whatever a corked write left behind is flushed by
// the owner's very next write or by any write Beast makes on its own (pong, ping, close).
// Beast serialises writes on a stream, so at most one write is in flight here.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <cstddef>
#include <string>
#include <utility>

namespace haetae::net {

class corked_socket {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using executor_type = socket_type::executor_type;
  using next_layer_type = socket_type;

  // Held-back bytes beyond this go out at once, corked or not.
  static constexpr std::size_t max_pending_bytes = 64 * 1024;

  explicit corked_socket(socket_type s) : sock_(std::move(s)) {}

  executor_type get_executor() noexcept { return sock_.get_executor(); }
  socket_type& next_layer() noexcept { return sock_; }
  const socket_type& next_layer() const noexcept { return sock_; }

  void cork(bool on) noexcept { corked_ = on; }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return sock_.async_read_some(buffers, std::forward<Token>(token));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& b) { start_write(b, std::move(handler)); }, token,
        buffers);
  }

 private:
  template <class ConstBuffers, class Handler>
  void start_write(const ConstBuffers& buffers, Handler handler) {
    std::size_t n = boost::asio::buffer_size(buffers);
    if (pending_.empty() && !corked_) {
      sock_.async_write_some(buffers, std::move(handler));
      return;
    }
    append(buffers);
    if (corked_ && pending_.size() < max_pending_bytes) {
      boost::asio::post(
          sock_.get_executor(),
          boost::beast::bind_front_handler(std::move(handler), boost::system::error_code{}, n));
      return;
    }
    // Everything held back plus these bytes, in one gathered write; the caller is told only
    // about its own bytes.
    auto ex = boost::asio::get_associated_executor(handler, sock_.get_executor());
    boost::asio::async_write(
        sock_, boost::asio::buffer(pending_),
        boost::asio::bind_executor(ex, [this, n, h = std::move(handler)](
                                           boost::system::error_code ec, std::size_t) mutable {
          // Released, not kept: an idle socket holds no write buffer.
          std::string().swap(pending_);
          std::move(h)(ec, ec ? 0 : n);
        }));
  }

  template <class ConstBuffers>
  void append(const ConstBuffers& buffers) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::const_buffer b(*it);
      pending_.append(static_cast<const char*>(b.data()), b.size());
    }
  }

  socket_type sock_;
  std::string pending_;
  bool corked_ = false;
};

// Beast closes a WebSocket through these (found by argument-dependent lookup).
inline void teardown(boost::beast::role_type role, corked_socket& s,
                     boost::system::error_code& ec) {
  boost::beast::websocket::teardown(role, s.next_layer(), ec);
}

template <class Handler>
void async_teardown(boost::beast::role_type role, corked_socket& s, Handler&& handler) {
  boost::beast::websocket::async_teardown(role, s.next_layer(), std::forward<Handler>(handler));
}

}  // namespace haetae::net
