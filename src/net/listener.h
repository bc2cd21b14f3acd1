#pragma once
// Accepts TCP connections on HOST:PORT (port 0: an ephemeral port, see port()) and starts an
// HTTP session for each. Runs on the io thread; open/port/stop may be called from any thread
// before the io thread runs or, for stop, while it runs.
#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"

namespace boost::asio {
class io_context;
}

namespace haetae::net {

struct server_context;

class listener {
 public:
  // Binds and listens at once, so a busy port is reported here, not later on the io thread.
  static result<std::unique_ptr<listener>> open(boost::asio::io_context& io,
                                                const std::string& host, std::uint16_t port,
                                                server_context& ctx);
  ~listener();
  listener(const listener&) = delete;
  listener& operator=(const listener&) = delete;

  std::uint16_t port() const;  // the bound port
  void start();                // begins accepting (on the io thread)
  void stop();                 // stops accepting; sessions go on until the io_context stops

 private:
  struct impl;
  explicit listener(std::shared_ptr<impl> i);
  std::shared_ptr<impl> impl_;
};

}  // namespace haetae::net
