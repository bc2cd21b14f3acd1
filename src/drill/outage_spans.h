#pragma once
// How long one client could not write or read after the fault began (RTO, DESIGN §4 step 6), from
// its own log. Pure functions; docs/drill.md defines both spans.
#include <vector>

#include "drill/client_log.h"

namespace haetae::drill {

// The longest stretch inside [from, until] during which the client had a send pending (queued,
// not yet acknowledged) and no acknowledgement arrived. A send still pending at `until` counts
// until then.
steady::duration longest_write_stall(const client_log& c, steady::time_point from,
                                     steady::time_point until);

// The longest stretch inside [from, until] from a read being asked while none was wanted to the
// next read that succeeded (failed reads keep the want open).
steady::duration longest_read_stall(const client_log& c, steady::time_point from,
                                    steady::time_point until);

// Nearest-rank percentile (`p` in (0, 1]) of `values`; 0 when empty.
double percentile(std::vector<double> values, double p);

}  // namespace haetae::drill
