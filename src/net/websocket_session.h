#pragma once
// One device's WebSocket (docs/protocol.md §3): the auth frame, then request frames answered by
// rid, and pushes from the hub.
//
// Lifetime and threading: the session is shared-owned by its read coroutine and by the
// callbacks it is waiting for (replies, writes); everything it does runs on the io thread.
// Replies computed on other threads are posted back. Writes go through a bounded queue
// (limits::max_ws_queued_bytes): a device that does not read is closed with 1008.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace haetae::net {

struct server_context;

// Takes over a connection whose HTTP request `upgrade` asked for a WebSocket.
void start_websocket_session(boost::asio::ip::tcp::socket socket,
                             boost::beast::http::request<boost::beast::http::string_body> upgrade,
                             server_context& ctx);

}  // namespace haetae::net
