#pragma once
// `haetae bench --idle N`: what an idle, authenticated WebSocket costs the server in memory.
#include <functional>
#include <string>

#include "base/result.h"

namespace haetae::cli {

struct idle_report {
  int connections = 0;
  long long rss_before_kib = 0;
  long long rss_after_kib = 0;
  double kib_per_connection = 0;
};

// Logs one account in N times (one device per socket), opens and authenticates N sockets,
// then samples the server's RSS. Bounded in time.
result<idle_report> run_idle(const std::string& server, int n,
                             const std::function<long long()>& rss_kib);

}  // namespace haetae::cli
