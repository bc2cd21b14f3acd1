#pragma once
// The WebSocket envelopes of docs/protocol.md §3. Error codes map through the one table in
// api/error_mapping.
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>

#include "base/result.h"

namespace haetae::net {

// {"type":"result","rid":…,"result":…}; rid is null when the request had none.
std::string result_frame(const boost::json::value& rid, const boost::json::object& result);
// {"type":"error","rid":…,"error":{…}}
std::string error_frame(const boost::json::value& rid, const error& e);
// {"type":"error","error":{…}} for the auth phase, which has no rid.
std::string auth_error_frame(const error& e);
// {"type":"auth_ok","user_id":…,"device_id":…}
std::string auth_ok_frame(std::int64_t user, std::int64_t device);

}  // namespace haetae::net
