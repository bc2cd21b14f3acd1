#pragma once
// The fault-specific part of a round (issue 8 item 5): which data center each fault hits, how it
// is hit and undone, how long it lasts, and what must happen meanwhile. Every step runs beside
// the load (the launcher calls on a helper thread), every wait is bounded.
//
//   burn         burn the primary's DC, load S/3 and on until another DC holds the primary
//                (at most failover_wait), restore, wait until it rejoins
//   freeze       freeze the primary's DC for at least `hold` and until another DC holds the
//                primary (at most failover_wait), thaw (no restore: Patroni rewinds it), rejoin;
//                the round fails unless another DC became primary while it was frozen
//   cut          as freeze with cut / heal
//   cut-standby  cut the synchronous standby's DC for `hold`, heal, rejoin; the primary should
//                stay where it was (a move is noted, not failed)
//   burn-twice   burn, then burn the new primary's DC once the first is back
#include <chrono>
#include <functional>
#include <string>

#include "drill/cluster_launcher.h"
#include "drill/fault_menu.h"
#include "drill/round_log.h"
#include "drill/round_result.h"
#include "drill/workload.h"

namespace haetae::drill {

struct fault_step_options {
  fault kind = fault::burn;
  std::string target = "primary";  // burn only: "primary" or a DC as the cluster names it
  steady::duration burn_load{};    // burn: load after the burn before polling (S/3)
  std::chrono::seconds hold{30};   // freeze, cut, cut-standby: the least time the fault lasts
  std::chrono::seconds failover_wait{60};
  std::chrono::seconds rejoin_wait{120};
};

struct fault_outcome {
  std::string dc;        // the DC hit ("dr1 dr3" when hit twice)
  std::string problem;   // set: the round fails (a call failed, no failover, interrupted)
  bool stopped = false;  // the steps ended early: the round ends too, without checks
  std::string note;      // worth a look, not a failure
};

// Runs the fault while `w` keeps the load going; sets t.fault_start (the first hit), t.repair
// and t.rejoined (the last undo and rejoin). Returns early, with a problem, when a step fails or
// `interrupted()` turns true (a frozen or cut DC is then left to `down`, which thaws first).
fault_outcome run_fault(cluster_launcher& cluster, workload& w, round_log& log,
                        const fault_step_options& options, round_timeline& t,
                        const std::function<bool()>& interrupted);

}  // namespace haetae::drill
