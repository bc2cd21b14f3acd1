#pragma once
// Runs a program to its end with a time limit and collects its standard output: how the drill
// drives the cluster launcher script. The child gets its own process group, so a Ctrl-C at the
// terminal reaches only the drill (which then cleans up), and a timeout kills the whole group.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace haetae::drill {

struct process_output {
  int exit_code = -1;  // -1: killed (timeout or signal)
  std::string out;     // standard output; standard error goes to ours
};

struct process_options {
  std::map<std::string, std::string> env;  // set on top of our environment
  std::chrono::milliseconds timeout{60000};
  std::string echo_prefix;  // non-empty: also print each output line with this prefix
};

// `argv[0]` is looked up on PATH. Fails only when the program could not be started or ran out of
// time (exit code 127: not found).
result<process_output> run_process(const std::vector<std::string>& argv,
                                   const process_options& options);

}  // namespace haetae::drill
