// `haetae friend add|block NAME`, `haetae friend list`.
#include <boost/json.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/remote.h"
#include "proto/decode.h"

namespace haetae::cli {

namespace {
void print_friend(const store::friend_entry& f) {
  std::printf("%-32s %-24s %s\n", f.name.c_str(), f.display_name.c_str(),
              f.state == store::friend_state::blocked ? "blocked" : "friend");
}
}  // namespace

int friend_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2);
  if (!a) return usage_error("friend", a.err().text());
  const auto& pos = a->positional();
  if (pos.size() == 1 && pos[0] == "list") {
    auto r = call_as_session(*a, "friends.list", {});
    if (!r) return report_error(r.err());
    const boost::json::value* list = r->if_contains("friends");
    if (list == nullptr || !list->is_array()) {
      return report_error(make_error(errc::internal, "malformed friends.list result"));
    }
    for (const auto& v : list->get_array()) {
      auto f = proto::decode_friend(v);
      if (!f) return report_error(f.err());
      print_friend(*f);
    }
    return 0;
  }
  if (pos.size() != 2 || (pos[0] != "add" && pos[0] != "block")) {
    return usage_error("friend", "expected `add NAME`, `block NAME` or `list`");
  }
  auto r =
      call_as_session(*a, pos[0] == "add" ? "friends.add" : "friends.block", {{"name", pos[1]}});
  if (!r) return report_error(r.err());
  const boost::json::value* f = r->if_contains("friend");
  if (f == nullptr) return report_error(make_error(errc::internal, "malformed result"));
  auto entry = proto::decode_friend(*f);
  if (!entry) return report_error(entry.err());
  print_friend(*entry);
  return 0;
}

}  // namespace haetae::cli
