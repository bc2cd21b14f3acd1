#pragma once
// The message load of `haetae bench`: N accounts, one WebSocket device each (client::session),
// 1:1 rooms (and groups in mixed mode), messages with client ids, open loop at a fixed rate or
// closed loop with a window of messages in flight per client. Measures at the recipients.
#include <cstdint>
#include <functional>
#include <string>

#include "base/result.h"

namespace haetae::cli {

struct load_options {
  std::string server;  // base URL
  int clients = 200;
  bool mixed = false;      // 1:1 and group rooms; else 1:1 only
  double rate = 0;         // offered msgs/s (open loop); 0: closed loop
  int window = 8;          // closed loop: messages in flight per client
  double seconds = 10;     // measured time (unless messages > 0)
  long long messages = 0;  // measured messages instead of seconds
  double warmup = 1;       // seconds sent but not measured
  int partners = 4;        // 1:1 rooms each client starts
  int group_size = 10;
  std::uint64_t seed = 1;
};

struct load_report {
  long long sent = 0;        // measured messages sent
  long long acked = 0;       // of those, acknowledged
  long long delivered = 0;   // arrivals of those at recipient devices (each device once)
  long long expected = 0;    // arrivals there should be
  long long duplicates = 0;  // arrivals seen twice at one device (must be 0)
  long long failed = 0;      // permanent send failures (must be 0)
  long long disconnects = 0;
  double acked_per_s = 0;
  double delivered_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  double measured_s = 0;
  long long rooms = 0;
  long long server_rss_kib = 0;  // peak seen during the run (0 when not our server)
};

// `rss_kib` samples the server's RSS (may return 0). Bounded: stops by itself.
result<load_report> run_load(const load_options& options,
                             const std::function<long long()>& rss_kib);

}  // namespace haetae::cli
