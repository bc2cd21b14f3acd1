#include "cli/self_exe.h"

#include <unistd.h>

namespace haetae::cli {

std::string self_exe() {
  char buf[4096];
  const ssize_t len = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (len <= 0) return "haetae";
  return std::string(buf, static_cast<std::size_t>(len));
}

}  // namespace haetae::cli
