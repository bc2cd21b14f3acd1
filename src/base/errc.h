#pragma once
// The error vocabulary of haetae. These codes are the wire codes of docs/protocol.md: every
// failure that crosses a boundary (store, auth, api) is one of them, so the mapping to HTTP
// statuses and WebSocket errors lives in one table (api/error_mapping).
#include <string_view>
#include <system_error>

namespace haetae {

enum class errc {
  ok = 0,
  bad_request,          // body or frame is not valid JSON, or not an object
  invalid_field,        // a field is missing, has the wrong type or an invalid value
  field_too_long,       // a string field is over its limit (proto/limits.h)
  payload_too_large,    // body or frame over its byte limit
  unknown_op,           // no such operation
  unauthorized,         // missing, malformed, forged or revoked token
  invalid_credentials,  // wrong user name or password
  name_taken,           // sign-up with a user name that exists
  not_found,            // the named user or room does not exist
  not_room_member,      // acting in a room the caller is not a member of
  blocked,              // the other user blocked the caller
  rate_limited,         // too many requests; retry later
  overloaded,           // a bounded queue is full; retry later
  store_unavailable,    // the store cannot commit right now; the outcome of the request is unknown
  internal,             // a bug; logged with details on the server
};

// Stable snake_case name used on the wire, e.g. "not_room_member".
std::string_view errc_name(errc code);
// A sentence for people, e.g. "you are not a member of this room".
std::string_view errc_message(errc code);
// All codes, for tests that walk the vocabulary.
inline constexpr errc all_errcs[] = {
    errc::bad_request,         errc::invalid_field,     errc::field_too_long,
    errc::payload_too_large,   errc::unknown_op,        errc::unauthorized,
    errc::invalid_credentials, errc::name_taken,        errc::not_found,
    errc::not_room_member,     errc::blocked,           errc::rate_limited,
    errc::overloaded,          errc::store_unavailable, errc::internal,
};

const std::error_category& haetae_category();
std::error_code make_error_code(errc code);

}  // namespace haetae

template <>
struct std::is_error_code_enum<haetae::errc> : std::true_type {};
