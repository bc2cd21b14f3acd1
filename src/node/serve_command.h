#pragma once
// `haetae serve --data DIR --listen HOST:PORT [--port-file FILE] [--fast-password-hashing]`:
// runs a node until SIGINT or SIGTERM.
namespace haetae::node {

// argv[0] is "serve". Returns the process exit code: 0 after a clean stop, 1 when the node
// cannot start (e.g. the store does not open), 2 for bad flags (usage on stderr).
int serve_main(int argc, char** argv);

}  // namespace haetae::node
