#include "proto/decode.h"

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace haetae::proto {
namespace {

namespace json = boost::json;

error bad(std::string_view what, std::string_view field) {
  return make_error(errc::invalid_field, std::string(what) + ": field '" + std::string(field) +
                                             "' is missing or has the wrong type");
}

// A tiny reader over one object that remembers the first bad field.
class reader {
 public:
  reader(const json::value& v, std::string_view what) : what_(what) {
    obj_ = v.if_object();
    if (obj_ == nullptr)
      err_ = make_error(errc::invalid_field, std::string(what) + " is not an object");
  }
  bool ok() const { return !err_.has_value(); }
  error take_error() { return std::move(*err_); }

  std::int64_t integer(std::string_view key, bool optional = false) {
    const json::value* v = find(key);
    if (v == nullptr) {
      if (!optional) fail(key);
      return 0;
    }
    if (auto* i = v->if_int64()) return *i;
    if (auto* u = v->if_uint64(); u != nullptr && *u <= INT64_MAX)
      return static_cast<std::int64_t>(*u);
    fail(key);
    return 0;
  }
  std::string string(std::string_view key, bool optional = false) {
    const json::value* v = find(key);
    if (v == nullptr || (optional && v->is_null())) {
      if (!optional) fail(key);
      return {};
    }
    if (auto* s = v->if_string()) return std::string(s->data(), s->size());
    fail(key);
    return {};
  }
  bool boolean(std::string_view key, bool optional = false) {
    const json::value* v = find(key);
    if (v == nullptr) {
      if (!optional) fail(key);
      return false;
    }
    if (auto* b = v->if_bool()) return *b;
    fail(key);
    return false;
  }
  const json::array* array(std::string_view key) {
    const json::value* v = find(key);
    if (v != nullptr) {
      if (auto* a = v->if_array()) return a;
    }
    fail(key);
    return nullptr;
  }
  // nullptr when absent or null (not an error).
  const json::value* optional_value(std::string_view key) {
    const json::value* v = find(key);
    return (v == nullptr || v->is_null()) ? nullptr : v;
  }
  void fail(std::string_view key) {
    if (!err_) err_ = bad(what_, key);
  }
  void fail_with(error e) {
    if (!err_) err_ = std::move(e);
  }

 private:
  const json::value* find(std::string_view key) const {
    if (obj_ == nullptr) return nullptr;
    return obj_->if_contains(key);
  }

  std::string_view what_;
  const json::object* obj_ = nullptr;
  std::optional<error> err_;
};

}  // namespace

result<store::user_record> decode_user(const json::value& v) {
  reader r(v, "user");
  store::user_record u;
  u.id = user_id(r.integer("id"));
  u.name = r.string("name");
  u.display_name = r.string("display_name");
  if (!r.ok()) return r.take_error();
  return u;
}

result<store::friend_entry> decode_friend(const json::value& v) {
  reader r(v, "friend");
  store::friend_entry f;
  f.id = user_id(r.integer("id"));
  f.name = r.string("name");
  f.display_name = r.string("display_name");
  std::string state = r.string("state");
  if (!r.ok()) return r.take_error();
  if (state == "friend") {
    f.state = store::friend_state::friend_;
  } else if (state == "blocked") {
    f.state = store::friend_state::blocked;
  } else {
    return bad("friend", "state");
  }
  return f;
}

result<store::member_entry> decode_member(const json::value& v) {
  reader r(v, "member");
  store::member_entry m;
  m.id = user_id(r.integer("id"));
  m.name = r.string("name");
  m.display_name = r.string("display_name");
  m.joined_seq = r.integer("joined_seq", true);
  m.read_seq = r.integer("read_seq", true);
  if (!r.ok()) return r.take_error();
  return m;
}

result<store::room_event> decode_event(const json::value& v) {
  reader r(v, "event");
  store::room_event e;
  e.room = room_id(r.integer("room_id"));
  e.seq = r.integer("seq");
  std::string kind = r.string("kind");
  e.sender = user_id(r.integer("sender", true));
  e.subject = user_id(r.integer("subject", true));
  e.client_id = r.string("client_id", true);
  e.body = r.string("body", true);
  e.time_ms = r.integer("time", true);
  e.unread = static_cast<int>(r.integer("unread", true));
  if (!r.ok()) return r.take_error();
  if (kind == "message") {
    e.kind = store::event_kind::message;
  } else if (kind == "created") {
    e.kind = store::event_kind::created;
  } else if (kind == "joined") {
    e.kind = store::event_kind::joined;
  } else if (kind == "left") {
    e.kind = store::event_kind::left;
  } else {
    return bad("event", "kind");
  }
  if (!e.room.valid() || e.seq <= 0) return bad("event", "seq");
  return e;
}

result<store::room_summary> decode_room(const json::value& v) {
  reader r(v, "room");
  store::room_summary s;
  s.id = room_id(r.integer("id"));
  std::string kind = r.string("kind");
  s.title = r.string("title", true);
  s.last_seq = r.integer("last_seq", true);
  s.unread = static_cast<int>(r.integer("unread", true));
  s.left = r.boolean("left", true);
  s.change = r.integer("change", true);
  const json::array* members = r.array("members");
  if (members != nullptr) {
    for (const json::value& m : *members) {
      auto member = decode_member(m);
      if (!member) {
        r.fail_with(member.err());
        break;
      }
      s.members.push_back(std::move(*member));
    }
  }
  if (const json::value* last = r.optional_value("last_message")) {
    auto e = decode_event(*last);
    if (e) {
      s.last_message = std::move(*e);
    } else {
      r.fail_with(e.err());
    }
  }
  if (!r.ok()) return r.take_error();
  if (kind == "direct") {
    s.kind = store::room_kind::direct;
  } else if (kind == "group") {
    s.kind = store::room_kind::group;
  } else {
    return bad("room", "kind");
  }
  return s;
}

result<store::send_ack> decode_send_ack(const json::value& v) {
  reader r(v, "send result");
  store::send_ack a;
  a.room = room_id(r.integer("room_id"));
  a.seq = r.integer("seq");
  a.time_ms = r.integer("time", true);
  a.duplicate = r.boolean("duplicate", true);
  if (!r.ok()) return r.take_error();
  return a;
}

result<store::page> decode_page(const json::value& v) {
  reader r(v, "page");
  store::page p;
  const json::array* events = r.array("events");
  p.more = r.boolean("more", true);
  if (!r.ok()) return r.take_error();
  p.events.reserve(events->size());
  for (const json::value& e : *events) {
    auto ev = decode_event(e);
    if (!ev) return ev.err();
    p.events.push_back(std::move(*ev));
  }
  return p;
}

result<store::changes_page> decode_changes(const json::value& v) {
  reader r(v, "changes");
  store::changes_page c;
  const json::array* rooms = r.array("rooms");
  c.next = r.integer("next");
  c.more = r.boolean("more", true);
  if (!r.ok()) return r.take_error();
  c.rooms.reserve(rooms->size());
  for (const json::value& room : *rooms) {
    auto s = decode_room(room);
    if (!s) return s.err();
    c.rooms.push_back(std::move(*s));
  }
  return c;
}

result<store::read_update> decode_read_push(const json::value& v) {
  reader r(v, "read");
  store::read_update u;
  u.room = room_id(r.integer("room_id"));
  u.reader = user_id(r.integer("user_id"));
  u.read_seq = r.integer("seq");
  if (!r.ok()) return r.take_error();
  return u;
}

errc errc_from_name(std::string_view name) {
  for (errc code : all_errcs) {
    if (errc_name(code) == name) return code;
  }
  return errc::internal;
}

error decode_error(const json::value& v) {
  const json::object* o = v.if_object();
  if (o == nullptr) return make_error(errc::internal, "malformed error reply");
  if (const json::value* inner = o->if_contains("error"); inner != nullptr && inner->is_object()) {
    o = &inner->get_object();
  }
  std::string code;
  std::string message;
  if (const json::value* c = o->if_contains("code"); c != nullptr && c->is_string()) {
    code = std::string(c->get_string());
  }
  if (const json::value* m = o->if_contains("message"); m != nullptr && m->is_string()) {
    message = std::string(m->get_string());
  }
  if (code.empty()) return make_error(errc::internal, "malformed error reply");
  return make_error(errc_from_name(code), std::move(message));
}

}  // namespace haetae::proto
