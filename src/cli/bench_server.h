#pragma once
// Process helpers of `haetae bench`: the server's memory, file limits and CPU pinning. The server
// itself is a client::local_server.
#include <sys/types.h>

namespace haetae::cli {

// VmRSS of a process in KiB (0 if unreadable).
long long rss_kib(pid_t pid);
// Raise RLIMIT_NOFILE's soft limit to at least `want` (up to the hard limit); returns the limit.
long long raise_nofile(long long want);
// Pin this process to `core` if the machine has it.
bool pin_to_core(int core);

}  // namespace haetae::cli
