#include "net/listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/http_session.h"
#include "net/server_context.h"

namespace haetae::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct listener::impl : std::enable_shared_from_this<listener::impl> {
  impl(asio::io_context& io, server_context& c) : acceptor(io), ctx(c) {}

  asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
    constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
    while (acceptor.is_open()) {
      auto [ec, socket] = co_await acceptor.async_accept(tuple_awaitable);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      if (ec) {
        // Out of descriptors and the like: back off instead of spinning.
        spdlog::warn("accept failed: {}", ec.message());
        asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
        co_await pause.async_wait(tuple_awaitable);
        continue;
      }
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      start_http_session(std::move(socket), ctx);
    }
    (void)self;
  }

  tcp::acceptor acceptor;
  server_context& ctx;
  std::uint16_t port = 0;
};

listener::listener(std::shared_ptr<impl> i) : impl_(std::move(i)) {}
listener::~listener() { stop(); }

result<std::unique_ptr<listener>> listener::open(asio::io_context& io, const std::string& host,
                                                 std::uint16_t port, server_context& ctx) {
  auto i = std::make_shared<impl>(io, ctx);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return make_error(errc::invalid_field, "not an IP address: " + host);
  tcp::endpoint ep(address, port);
  auto fail = [&](const char* what) {
    return make_error(errc::internal, std::string(what) + " " + host + ":" + std::to_string(port) +
                                          ": " + ec.message());
  };
  i->acceptor.open(ep.protocol(), ec);
  if (ec) return fail("cannot open a socket for");
  i->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("cannot set SO_REUSEADDR on");
  i->acceptor.bind(ep, ec);
  if (ec) return fail("cannot bind");
  i->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on");
  i->port = i->acceptor.local_endpoint(ec).port();
  if (ec) return fail("cannot read the bound port of");
  return std::unique_ptr<listener>(new listener(std::move(i)));
}

std::uint16_t listener::port() const { return impl_->port; }

void listener::start() {
  asio::co_spawn(impl_->acceptor.get_executor(), impl_->accept_loop(impl_), asio::detached);
}

void listener::stop() {
  // The acceptor belongs to the io thread: close it there.
  asio::post(impl_->acceptor.get_executor(), [i = impl_] {
    boost::system::error_code ignored;
    i->acceptor.close(ignored);
  });
}

}  // namespace haetae::net
