// haetae: the one binary. `haetae serve` runs a node; the other subcommands are clients.
#include "cli/commands.h"

int main(int argc, char** argv) { return haetae::cli::run(argc, argv); }
