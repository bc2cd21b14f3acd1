#pragma once
// A small blocking HTTP/WebSocket client for tests, over real sockets. Every call is bounded by
// a timeout that only catches hangs. Beast stays inside test_client.cc.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace haetae::net::testing {

inline constexpr std::chrono::seconds hang_timeout{30};

struct http_reply {
  int status = 0;  // 0: no response (connection failed or closed)
  std::string body;
  bool keep_alive = false;
};

// One connection that can carry several requests (keep-alive).
class http_connection {
 public:
  static std::unique_ptr<http_connection> connect(std::uint16_t port);
  ~http_connection();
  // `token`, when not empty, is sent as "Authorization: Bearer <token>".
  http_reply send(const std::string& method, const std::string& target,
                  const std::string& body = {}, const std::string& token = {});
  // Writes the whole request even if the server answers early (for the 413 case).
  http_reply send_raw(const std::string& bytes);
  // Reads one more response (after a 100 Continue).
  http_reply read();

  struct impl;

 private:
  explicit http_connection(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

// One request on a fresh connection.
http_reply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = {}, const std::string& token = {});

class ws_client {
 public:
  // Connects and upgrades on GET /ws; nullptr if that fails.
  static std::unique_ptr<ws_client> connect(std::uint16_t port);
  ~ws_client();

  bool send(const std::string& text);
  // The next frame; nullopt once the socket is closed (see close_code) or on timeout.
  std::optional<std::string> read(std::chrono::milliseconds timeout = hang_timeout);
  // Sends {"op":"auth","token":…} and returns the reply frame.
  std::optional<std::string> auth(const std::string& token);
  bool closed() const;
  int close_code() const;  // the code of the server's close frame; 0 if none
  bool timed_out() const;

  struct impl;

 private:
  explicit ws_client(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace haetae::net::testing
