#pragma once
// The path of the running `haetae` binary (/proc/self/exe), for the children it starts: the
// bench's server, the drill's cluster nodes.
#include <string>

namespace haetae::cli {

std::string self_exe();  // "haetae" if unknown

}  // namespace haetae::cli
