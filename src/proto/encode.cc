#include "proto/encode.h"

#include <boost/json.hpp>

namespace haetae::proto {

namespace json = boost::json;

std::string_view to_string(store::event_kind kind) {
  switch (kind) {
    case store::event_kind::message:
      return "message";
    case store::event_kind::created:
      return "created";
    case store::event_kind::joined:
      return "joined";
    case store::event_kind::left:
      return "left";
  }
  return "message";
}

std::string_view to_string(store::room_kind kind) {
  switch (kind) {
    case store::room_kind::direct:
      return "direct";
    case store::room_kind::group:
      return "group";
  }
  return "group";
}

std::string_view to_string(store::friend_state state) {
  switch (state) {
    case store::friend_state::friend_:
      return "friend";
    case store::friend_state::blocked:
      return "blocked";
  }
  return "friend";
}

json::object encode_user(const store::user_record& user) {
  json::object o;
  o["id"] = user.id.value;
  o["name"] = user.name;
  o["display_name"] = user.display_name;
  return o;
}

json::object encode_friend(const store::friend_entry& entry) {
  json::object o;
  o["id"] = entry.id.value;
  o["name"] = entry.name;
  o["display_name"] = entry.display_name;
  o["state"] = to_string(entry.state);
  return o;
}

json::object encode_event(const store::room_event& event) {
  json::object o;
  o["room_id"] = event.room.value;
  o["seq"] = event.seq;
  o["kind"] = to_string(event.kind);
  o["sender"] = event.sender.value;
  o["subject"] = event.subject.value;
  o["client_id"] = event.client_id;
  o["body"] = event.body;
  o["time"] = event.time_ms;
  o["unread"] = event.unread;
  return o;
}

namespace {
json::object encode_member(const store::member_entry& m) {
  json::object o;
  o["id"] = m.id.value;
  o["name"] = m.name;
  o["display_name"] = m.display_name;
  o["joined_seq"] = m.joined_seq;
  o["read_seq"] = m.read_seq;
  return o;
}
}  // namespace

json::object encode_room(const store::room_summary& room) {
  json::object o;
  o["id"] = room.id.value;
  o["kind"] = to_string(room.kind);
  o["title"] = room.title;
  json::array members;
  members.reserve(room.members.size());
  for (const auto& m : room.members) members.push_back(encode_member(m));
  o["members"] = std::move(members);
  o["last_seq"] = room.last_seq;
  if (room.last_message) {
    o["last_message"] = encode_event(*room.last_message);
  } else {
    o["last_message"] = nullptr;
  }
  o["unread"] = room.unread;
  o["left"] = room.left;
  o["change"] = room.change;
  return o;
}

json::object encode_page(const store::page& page) {
  json::array events;
  events.reserve(page.events.size());
  for (const auto& e : page.events) events.push_back(encode_event(e));
  json::object o;
  o["events"] = std::move(events);
  o["more"] = page.more;
  return o;
}

json::object encode_changes(const store::changes_page& changes) {
  json::array rooms;
  rooms.reserve(changes.rooms.size());
  for (const auto& r : changes.rooms) rooms.push_back(encode_room(r));
  json::object o;
  o["rooms"] = std::move(rooms);
  o["next"] = changes.next;
  o["more"] = changes.more;
  return o;
}

json::object encode_send_ack(const store::send_ack& ack) {
  json::object o;
  o["room_id"] = ack.room.value;
  o["seq"] = ack.seq;
  o["time"] = ack.time_ms;
  o["duplicate"] = ack.duplicate;
  return o;
}

std::shared_ptr<const std::string> encode_event_push(const store::room_event& event) {
  json::object o;
  o["type"] = "event";
  o["event"] = encode_event(event);
  return std::make_shared<const std::string>(json::serialize(o));
}

std::shared_ptr<const std::string> encode_read_push(const store::read_update& update) {
  json::object o;
  o["type"] = "read";
  o["room_id"] = update.room.value;
  o["user_id"] = update.reader.value;
  o["seq"] = update.read_seq;
  return std::make_shared<const std::string>(json::serialize(o));
}

}  // namespace haetae::proto
