// `haetae rooms`: the room list, newest activity first, with unread badges.
#include <boost/json.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/remote.h"
#include "proto/decode.h"

namespace haetae::cli {

namespace {
std::string room_label(const store::room_summary& r, user_id me) {
  if (r.kind == store::room_kind::group) return r.title;
  for (const auto& m : r.members) {
    if (m.id != me) return m.display_name.empty() ? m.name : m.display_name + " (" + m.name + ")";
  }
  return "(only you)";
}
}  // namespace

int rooms_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2);
  if (!a) return usage_error("rooms", a.err().text());
  if (!a->positional().empty()) return usage_error("rooms", "no arguments expected");
  auto s = current_session(*a);
  if (!s) return report_error(s.err());
  auto r = call_as_session(*a, "rooms.list", {});
  if (!r) return report_error(r.err());
  const boost::json::value* rooms = r->if_contains("rooms");
  if (rooms == nullptr || !rooms->is_array()) {
    return report_error(make_error(errc::internal, "malformed rooms.list result"));
  }
  for (const auto& v : rooms->get_array()) {
    auto room = proto::decode_room(v);
    if (!room) return report_error(room.err());
    std::string badge = room->unread > 0 ? "(" + std::to_string(room->unread) + ")" : "";
    std::string last;
    if (room->last_message) last = room->last_message->body.substr(0, 60);
    std::printf("%6lld  %-6s  %-30s %5s  %s\n", static_cast<long long>(room->id.value),
                room->kind == store::room_kind::direct ? "direct" : "group",
                room_label(*room, s->user).c_str(), badge.c_str(), last.c_str());
  }
  return 0;
}

}  // namespace haetae::cli
