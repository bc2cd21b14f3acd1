// `haetae help [COMMAND]`: usage of every subcommand.
#include <cstdio>
#include <string_view>

#include "cli/commands.h"

namespace haetae::cli {

namespace {
struct usage_line {
  std::string_view command;
  std::string_view text;
};
constexpr usage_line usages[] = {
    {"serve", "haetae serve --data DIR [--listen HOST:PORT] [--port-file FILE] …  run a node"},
    {"signup",
     "haetae signup NAME [--password P] [--display-name D] [--server URL] [--session FILE]"},
    {"login", "haetae login NAME [--password P] [--device D] [--server URL] [--session FILE]"},
    {"logout", "haetae logout [--session FILE]"},
    {"rooms", "haetae rooms [--session FILE]           list rooms with unread badges"},
    {"friend", "haetae friend add|block NAME | haetae friend list"},
    {"dm", "haetae dm NAME                          open (or find) the 1:1 room with NAME"},
    {"send", "haetae send ROOM TEXT                   send a message, retried until acknowledged"},
    {"follow",
     "haetae follow ROOM [--from SEQ] [--count N] [--seconds S]  print messages as they come"},
    {"bench",
     "haetae bench [--server URL] [--clients N] [--mode direct|mixed] [--rate R | --window W]\n"
     "             [--seconds S | --messages M] [--warmup S] [--report FILE] | --idle N"},
    {"drill",
     "haetae drill [--fault burn|freeze|cut|cut-standby|burn-twice] [--freeze-seconds F]\n"
     "             [--burn dcN|primary] [--rounds K] [--clients N] [--seconds S] [--rate R]\n"
     "             [--seed N] [--report FILE] [--short] [--cluster-script PATH]\n"
     "             the fire drill (root)"},
    {"cluster",
     "haetae cluster up|status|down|nodes|entry|primary|role DC|burn DC|restore DC|…\n"
     "             the local three-data-center cluster, as root (cluster/haetae-cluster)"},
    {"help", "haetae help [COMMAND]"},
};
}  // namespace

std::string_view usage_of(std::string_view command) {
  for (const auto& u : usages) {
    if (u.command == command) return u.text;
  }
  return "haetae help";
}

int help_main(int argc, char** argv) {
  if (argc >= 3) {
    for (const auto& u : usages) {
      if (u.command == argv[2]) {
        std::printf("%.*s\n", static_cast<int>(u.text.size()), u.text.data());
        return 0;
      }
    }
  }
  std::printf(
      "haetae: a messenger server and its client.\n\n"
      "Passwords come from --password, else $HAETAE_PASSWORD, else the first line of stdin.\n"
      "The login is kept in --session FILE, $HAETAE_SESSION or ~/.config/haetae/session.\n\n");
  for (const auto& u : usages)
    std::printf("  %.*s\n", static_cast<int>(u.text.size()), u.text.data());
  return 0;
}

}  // namespace haetae::cli
