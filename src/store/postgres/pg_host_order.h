#pragma once
// Which hosts of a multi-host conninfo a reconnect tries, and in which order. A silent host
// (burnt or cut off: its connect times out instead of being refused) costs a whole connect
// timeout, 1.5-2 s, during which the writer waits; right after a failover that is the time
// between the new primary's promotion and the first write.
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace haetae::store::pg {

struct host_history {
  std::string lost;  // the host of the connection that went away (the old primary); may be empty
  std::map<std::string, std::chrono::steady_clock::time_point> timed_out;  // host -> when
};

// How long a timed-out host goes last, and how long it is left out altogether while another
// host may answer (then it is tried again, last: a primary back from a short cut is found).
inline constexpr auto silent_goes_last_for = std::chrono::seconds(15);
inline constexpr auto silent_left_out_for = std::chrono::seconds(3);

// Indexes into `hosts`, in the order to try them: hosts that answered lately first (in their
// conninfo order), then the lost host, then hosts that timed out lately. Hosts that timed out in
// the last `silent_left_out_for` are left out, unless every host did.
std::vector<std::size_t> reconnect_order(const std::vector<std::string>& hosts,
                                         const host_history& history,
                                         std::chrono::steady_clock::time_point now);

}  // namespace haetae::store::pg
