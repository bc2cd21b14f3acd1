// `haetae logout`: revoke the token everywhere and forget it here.
#include <boost/json.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/remote.h"

namespace haetae::cli {

int logout_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2);
  if (!a) return usage_error("logout", a.err().text());
  if (!a->positional().empty()) return usage_error("logout", "no arguments expected");
  auto r = call_as_session(*a, "logout", {});
  // A token the server no longer knows is as good as logged out.
  if (!r && r.code() != errc::unauthorized) return report_error(r.err());
  remove_session(session_path(*a));
  std::printf("logged out\n");
  return 0;
}

}  // namespace haetae::cli
