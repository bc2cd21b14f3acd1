#pragma once
// The one table from errc to the wire (docs/protocol.md §6): HTTP status and the error body.
// net/ uses it for HTTP replies and WebSocket error frames alike; handlers never build error JSON.
#include <boost/json/object.hpp>
#include <string>

#include "base/result.h"

namespace haetae::api {

// HTTP status for a failure, e.g. 403 for not_room_member. errc::ok maps to 200.
int http_status(errc code);

// {"code":"not_room_member","message":"…"}
boost::json::object error_object(const error& e);

// The whole HTTP error body, serialized: {"error":{"code":…,"message":…}}
std::string error_body(const error& e);

}  // namespace haetae::api
