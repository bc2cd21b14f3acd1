#pragma once
// One HTTP/1.1 connection (docs/protocol.md §2): keep-alive, body and header limits, a read
// timeout; routes /healthz, /api/nodes, POST /api/<op>, and hands GET /ws to a WebSocket session.
// Runs on the io thread as one coroutine; it waits for the service without blocking the loop.
#include <boost/asio/ip/tcp.hpp>

namespace haetae::net {

struct server_context;

void start_http_session(boost::asio::ip::tcp::socket socket, server_context& ctx);

}  // namespace haetae::net
