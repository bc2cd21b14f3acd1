// `haetae dm NAME`: the one 1:1 room with NAME (created on first use); prints its id.
#include <boost/json.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/remote.h"
#include "proto/decode.h"

namespace haetae::cli {

int dm_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2);
  if (!a) return usage_error("dm", a.err().text());
  if (a->positional().size() != 1) return usage_error("dm", "expected one NAME");
  auto r = call_as_session(*a, "rooms.direct", {{"name", a->positional()[0]}});
  if (!r) return report_error(r.err());
  const boost::json::value* room = r->if_contains("room");
  if (room == nullptr) return report_error(make_error(errc::internal, "malformed result"));
  auto s = proto::decode_room(*room);
  if (!s) return report_error(s.err());
  std::printf("%lld\n", static_cast<long long>(s->id.value));
  return 0;
}

}  // namespace haetae::cli
