#pragma once
// drill-report.json and the printed table: the rounds and a summary over them. The summary adds
// up the counts, takes the worst (largest) time of any round and the mean throughput.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "drill/round_result.h"

namespace haetae::drill {

struct drill_plan {
  std::string burn;   // "primary" or a data center (the burn fault)
  std::string fault;  // --fault: every round's fault; empty: picked per round from `seed`
  long long seed = 1;
  int freeze_seconds = 30;
  int rounds = 1;
  int clients = 100;
  double seconds = 60;  // load per round
  double rate = 2;      // messages per second per client
  bool short_run = false;
};

round_result summarize(const std::vector<round_result>& rounds);

// The summary's keys at the top (acked, acked_lost, …, rto_write_s, …), the plan, rounds[], and
// faults{} (per fault: rounds, each loss figure's _sum and _max, rto p50 and max over rounds).
boost::json::object report_json(const drill_plan& plan, const std::vector<round_result>& rounds);

// One line per round and one for the summary, for people.
std::string report_table(const std::vector<round_result>& rounds);

}  // namespace haetae::drill
