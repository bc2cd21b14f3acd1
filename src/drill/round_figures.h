#pragma once
// Turns the clients' logs and the round's timeline into a round_result: the checks, the RTO
// spans per client (p50/p99/max) and the throughput windows. Pure.
#include <vector>

#include "drill/client_log.h"
#include "drill/round_result.h"

namespace haetae::drill {

round_result figures_of(const std::vector<client_log>& clients, const round_timeline& t);

// Acknowledgements that arrived in [from, until), per second; 0 for an empty window.
double acks_per_second(const std::vector<client_log>& clients, steady::time_point from,
                       steady::time_point until);

}  // namespace haetae::drill
