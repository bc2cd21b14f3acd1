#pragma once
// Boost.JSON wire objects (docs/protocol.md §4) → store types, for clients. The inverse of
// proto/encode. Every function checks the shape and returns errc::invalid_field naming the bad
// field; unknown fields are ignored, as the protocol says.
#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/types.h"

namespace haetae::proto {

result<store::user_record> decode_user(const boost::json::value& v);  // no password hash
result<store::friend_entry> decode_friend(const boost::json::value& v);
result<store::member_entry> decode_member(const boost::json::value& v);
result<store::room_event> decode_event(const boost::json::value& v);
result<store::room_summary> decode_room(const boost::json::value& v);
// `send`'s result: {"room_id","seq","time","duplicate"}.
result<store::send_ack> decode_send_ack(const boost::json::value& v);
// `sync`/`history`'s result: {"events":[…],"more":bool}.
result<store::page> decode_page(const boost::json::value& v);
// `changes`' result: {"rooms":[…],"next":n,"more":bool}.
result<store::changes_page> decode_changes(const boost::json::value& v);
// `{"type":"read","room_id","user_id","seq"}` push → the reader's new marker (recipients empty).
result<store::read_update> decode_read_push(const boost::json::value& v);

// `{"error":{"code","message"}}` (or the inner object) → an error; unknown codes map to internal.
error decode_error(const boost::json::value& v);
// The errc whose wire name is `name`; errc::internal for names this build does not know.
errc errc_from_name(std::string_view name);

}  // namespace haetae::proto
