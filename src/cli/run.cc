// `haetae COMMAND …`: picks the subcommand.
#include <cstdio>
#include <string_view>

#include "cli/commands.h"
#include "cli/remote.h"
#include "node/serve_command.h"

namespace haetae::cli {

int run(int argc, char** argv) {
  if (argc < 2) {
    help_main(argc, argv);
    return 2;
  }
  std::string_view command = argv[1];
  if (command == "serve") return node::serve_main(argc - 1, argv + 1);
  if (command == "signup") return signup_main(argc, argv);
  if (command == "login") return login_main(argc, argv);
  if (command == "logout") return logout_main(argc, argv);
  if (command == "rooms") return rooms_main(argc, argv);
  if (command == "friend") return friend_main(argc, argv);
  if (command == "dm") return dm_main(argc, argv);
  if (command == "send") return send_main(argc, argv);
  if (command == "follow") return follow_main(argc, argv);
  if (command == "bench") return bench_main(argc, argv);
  if (command == "drill") return drill_main(argc, argv);
  if (command == "cluster") return cluster_main(argc, argv);
  if (command == "help" || command == "--help" || command == "-h") return help_main(argc, argv);
  std::fprintf(stderr, "haetae: unknown command '%s'; see `haetae help`\n", argv[1]);
  return 2;
}

}  // namespace haetae::cli
