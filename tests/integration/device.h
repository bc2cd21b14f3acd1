#pragma once
// One client device for integration tests: a client::session on its own io_context thread, with
// everything it receives recorded under a mutex so the test thread can wait for and inspect it.
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/result.h"
#include "store/types.h"

namespace haetae::testing {

class device {
 public:
  device(std::vector<std::string> nodes, std::string token, std::uint64_t seed = 1);
  ~device();
  device(const device&) = delete;
  device& operator=(const device&) = delete;

  // Queues a message in the outbox; returns its client id.
  std::string send(room_id room, std::string body);
  // Any op over the socket, waited for (bounded).
  result<boost::json::object> call(std::string op, boost::json::object fields);

  // Waits until `done` holds or `timeout` passes; `done` may call the accessors below.
  bool wait_until(const std::function<bool()>& done,
                  std::chrono::seconds timeout = std::chrono::seconds(60));
  bool wait_caught_up(std::chrono::seconds timeout = std::chrono::seconds(60));

  // Snapshots, taken under the lock.
  std::vector<store::room_event> events(room_id room) const;
  std::vector<store::room_event> messages(room_id room) const;  // events of kind message
  std::map<std::string, store::send_ack> acks() const;
  std::vector<store::read_update> reads() const;
  std::size_t outbox_size() const;
  std::size_t failed_sends() const;
  int reconnects() const;  // connections the session made after its first

 private:
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace haetae::testing
