#pragma once
// The seam between the network layer and the operations below it. The node adapts
// api::dispatcher to it (node/dispatcher_service.h); net tests plug in a fake, so the sessions
// are tested over real sockets without a store.
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "api/dispatcher.h"

namespace haetae::net {

class service {
 public:
  virtual ~service() = default;
  // True for ops that need a token (all but signup and login).
  virtual bool needs_auth(std::string_view op) const = 0;
  // `done` is called exactly once, from any thread.
  virtual void authenticate(std::string_view token, api::auth_fn done) = 0;
  virtual void call(std::optional<api::caller> who, std::string_view op, boost::json::object params,
                    api::reply_fn done) = 0;
};

}  // namespace haetae::net
