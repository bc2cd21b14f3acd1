// `haetae cluster ARGS…`: the local three-data-center cluster (docs/cluster.md). Runs
// cluster/haetae-cluster with the same arguments, so `haetae cluster up` and
// `cluster/haetae-cluster up` are the same thing; the script starts nodes from this binary.
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cli/commands.h"

#ifndef HAETAE_CLUSTER_SCRIPT  // set by src/CMakeLists.txt to this checkout's script
#define HAETAE_CLUSTER_SCRIPT "cluster/haetae-cluster"
#endif

namespace haetae::cli {

namespace {

// The script to run: $HAETAE_CLUSTER_SCRIPT, else the one of the checkout this was built from.
std::string cluster_script() {
  const char* env = std::getenv("HAETAE_CLUSTER_SCRIPT");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string(HAETAE_CLUSTER_SCRIPT);
}

// The nodes the script starts are this very binary unless $HAETAE_BIN says otherwise.
void default_haetae_bin() {
  if (std::getenv("HAETAE_BIN") != nullptr) return;
  char self[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return;  // the script falls back to its own default
  self[n] = '\0';
  ::setenv("HAETAE_BIN", self, 1);
}

}  // namespace

int cluster_main(int argc, char** argv) {
  std::string script = cluster_script();
  if (::access(script.c_str(), X_OK) != 0) {
    std::fprintf(stderr,
                 "haetae cluster: no runnable cluster script at %s (%s)\n"
                 "  set HAETAE_CLUSTER_SCRIPT to cluster/haetae-cluster of a haetae checkout\n",
                 script.c_str(), std::strerror(errno));
    return 1;
  }
  default_haetae_bin();
  std::vector<char*> args;
  args.push_back(script.data());
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  ::execv(script.c_str(), args.data());
  std::fprintf(stderr, "haetae cluster: cannot run %s: %s\n", script.c_str(), std::strerror(errno));
  return 1;
}

}  // namespace haetae::cli
