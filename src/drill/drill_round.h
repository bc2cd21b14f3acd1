#pragma once
// One round of the fire drill (DESIGN §4 steps 2-5): fresh clients and rooms, load, one fault
// from the menu (fault_steps.h: hit a data center, keep the load, undo it and wait for the DC to
// rejoin), keep the load, stop sending, wait for every outbox to empty and every client to catch
// up, read the store's final logs, and check. Every wait is bounded; the launcher calls run
// beside the load, so the clients keep going (and their times stay true) while the cluster is
// hit or repaired.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "drill/cluster_launcher.h"
#include "drill/fault_menu.h"
#include "drill/round_result.h"

namespace haetae::drill {

struct round_options {
  int round = 1;
  fault kind = fault::burn;
  std::string burn = "primary";             // fault::burn only: "primary" or a DC ("dc2")
  std::chrono::seconds freeze_seconds{30};  // freeze, cut, cut-standby: the least time held
  int clients = 100;
  double seconds = 60;      // load before, during (a burn) and after the fault: a third each
  double rate = 2;          // messages per second per client
  std::string name_prefix;  // account names: <prefix>_<i>
  std::uint64_t seed = 1;
  std::chrono::seconds setup_wait{120};
  std::chrono::seconds failover_wait{60};  // from the hit until another DC holds the primary
  std::chrono::seconds rejoin_wait{120};
  std::chrono::seconds drain_wait{60};
  std::chrono::seconds final_read_wait{60};
};

// `nodes`: one URL per data center. `interrupted` is polled: when it turns true the round ends
// early with a problem set.
round_result run_round(cluster_launcher& cluster, const std::vector<std::string>& nodes,
                       const round_options& options, const std::function<bool()>& interrupted);

}  // namespace haetae::drill
