#include "drill/round_figures.h"

#include <algorithm>

#include "drill/outage_spans.h"

namespace haetae::drill {

namespace {
double seconds(steady::duration d) { return std::chrono::duration<double>(d).count(); }

stat_triple stats_of(const std::vector<double>& v) {
  stat_triple s;
  s.p50 = percentile(v, 0.50);
  s.p99 = percentile(v, 0.99);
  s.max = v.empty() ? 0 : *std::max_element(v.begin(), v.end());
  return s;
}
}  // namespace

double acks_per_second(const std::vector<client_log>& clients, steady::time_point from,
                       steady::time_point until) {
  if (until <= from) return 0;
  long long n = 0;
  for (const client_log& c : clients) {
    for (const ack_record& a : c.acks) n += a.at >= from && a.at < until ? 1 : 0;
  }
  return static_cast<double>(n) / seconds(until - from);
}

round_result figures_of(const std::vector<client_log>& clients, const round_timeline& t) {
  round_result r;
  r.clients = static_cast<int>(clients.size());
  r.counts = check_logs(clients);
  std::vector<double> writes, reads;
  for (const client_log& c : clients) {
    writes.push_back(seconds(longest_write_stall(c, t.fault_start, t.observed_until)));
    reads.push_back(seconds(longest_read_stall(c, t.fault_start, t.observed_until)));
    r.sent += static_cast<long long>(c.sends.size());
    r.failed_sends += c.failed_sends;
    r.disconnects += c.disconnects;
  }
  r.rto_write_s = stats_of(writes);
  r.rto_read_s = stats_of(reads);
  if (t.rejoined) r.rejoin_s = seconds(*t.rejoined - t.repair);
  r.throughput_before = acks_per_second(clients, t.load_start, t.fault_start);
  r.throughput_during = acks_per_second(clients, t.fault_start, t.repair);
  r.throughput_after = acks_per_second(clients, t.rejoined.value_or(t.repair), t.load_stop);
  return r;
}

}  // namespace haetae::drill
