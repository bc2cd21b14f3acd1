#pragma once
// Where the api layer hands pushes to the network layer (net/push_hub implements it).
#include <memory>
#include <string>
#include <vector>

#include "base/ids.h"

namespace haetae::api {

class push_sink {
 public:
  virtual ~push_sink() = default;
  // Queue `frame` (a complete WebSocket text frame, docs/protocol.md §3 "Pushes") to every
  // connected device of every user in `users`. Thread-safe, never blocks: called from store
  // threads. One encoded frame is shared by all recipients.
  virtual void push(const std::vector<user_id>& users,
                    std::shared_ptr<const std::string> frame) = 0;
};

}  // namespace haetae::api
