#pragma once
// What one round of the drill found: the six counts (asserted) and the times (reported only).
#include <optional>
#include <string>

#include "drill/drill_checks.h"

namespace haetae::drill {

// When the round's steps happened. The windows of the throughput figures are
// [load_start, fault_start), [fault_start, repair) and [rejoined or repair, load_stop); the RTO
// spans start at `fault_start`. A fault that hits twice (burn-twice): `fault_start` is the first
// hit, `repair` and `rejoined` belong to the last.
struct round_timeline {
  steady::time_point load_start;
  steady::time_point fault_start;              // burn, freeze or cut began
  steady::time_point repair;                   // restore, thaw or heal began
  std::optional<steady::time_point> rejoined;  // none: not back within the bounded wait
  steady::time_point load_stop;                // sending stopped
  steady::time_point observed_until;           // drained (or gave up): spans end here
};

struct stat_triple {  // over clients
  double p50 = 0;
  double p99 = 0;
  double max = 0;
};

struct round_result {
  int round = 1;
  std::string fault;     // fault_name(): burn, freeze, cut, cut-standby, burn-twice
  std::string fault_dc;  // the DC the fault hit ("dr1 dr3" when it hit twice)
  int clients = 0;
  check_counts counts;
  stat_triple rto_write_s;
  stat_triple rto_read_s;
  std::optional<double> rejoin_s;  // none: not rejoined within the bounded wait
  double throughput_before = 0;    // acknowledgements per second
  double throughput_during = 0;
  double throughput_after = 0;
  long long sent = 0;
  long long failed_sends = 0;
  long long disconnects = 0;
  bool drained = false;  // every outbox emptied and every client caught up in time
  std::string problem;   // why the round could not run as planned; empty if it did
  std::string note;      // worth reading but not a failure (the primary moved on cut-standby)

  // The counts are clean and the round ran to the end.
  bool passed() const { return counts.clean() && problem.empty(); }
};

}  // namespace haetae::drill
