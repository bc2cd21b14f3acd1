#pragma once
// Runs a shell command for the CLI tests and returns its exit code and everything it printed.
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace haetae::cli::testing {

struct outcome {
  int rc = -1;
  std::string out;  // stdout and stderr
};

inline outcome run_shell(const std::string& cmd) {
  outcome o;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return o;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) o.out.append(buf, n);
  int status = ::pclose(p);
  o.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

}  // namespace haetae::cli::testing
