#pragma once
// Boost.JSON encoders for the wire objects of docs/protocol.md §4, from store records. Every
// object is built here and nowhere else, so the wire shape has one definition.
#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "store/store.h"
#include "store/types.h"

namespace haetae::proto {

std::string_view to_string(store::event_kind kind);
std::string_view to_string(store::room_kind kind);
std::string_view to_string(store::friend_state state);

// <user>: {"id","name","display_name"}. The password hash is never encoded.
boost::json::object encode_user(const store::user_record& user);
// <friend>: {"id","name","display_name","state"}
boost::json::object encode_friend(const store::friend_entry& entry);
// <event>: {"room_id","seq","kind","sender","subject","client_id","body","time","unread"}
boost::json::object encode_event(const store::room_event& event);
// <room>, with its members and last message (or null).
boost::json::object encode_room(const store::room_summary& room);
// history/sync result: {"events":[…],"more":bool}
boost::json::object encode_page(const store::page& page);
// changes result: {"rooms":[…],"next":n,"more":bool}
boost::json::object encode_changes(const store::changes_page& changes);
// send result: {"room_id","seq","time","duplicate"}
boost::json::object encode_send_ack(const store::send_ack& ack);

// Push frames (protocol §3), serialized once and shared by every recipient.
// {"type":"event","event":<event>}
std::shared_ptr<const std::string> encode_event_push(const store::room_event& event);
// {"type":"read","room_id","user_id","seq"}
std::shared_ptr<const std::string> encode_read_push(const store::read_update& update);

}  // namespace haetae::proto
