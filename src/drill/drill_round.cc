#include "drill/drill_round.h"

#include <fmt/format.h>

#include "drill/fault_steps.h"
#include "drill/round_figures.h"
#include "drill/round_log.h"
#include "drill/workload.h"

namespace haetae::drill {

namespace {
using namespace std::chrono_literals;

steady::duration from_seconds(double s) {
  return std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(s));
}

}  // namespace

round_result run_round(cluster_launcher& cluster, const std::vector<std::string>& nodes,
                       const round_options& o, const std::function<bool()>& interrupted) {
  round_log log(o.round);
  round_result failed;
  failed.round = o.round;
  failed.clients = o.clients;
  failed.fault = fault_name(o.kind);
  auto fail = [&](std::string why) {
    log.say("stopped: {}", why);
    failed.problem = std::move(why);
    return failed;
  };

  workload_options wo;
  wo.nodes = nodes;
  wo.name_prefix = o.name_prefix;
  wo.clients = o.clients;
  wo.rate = o.rate;
  wo.seed = o.seed;
  // Bounded: the whole round's sending time at the rate, with room for a slow rejoin.
  wo.max_sends_per_client = static_cast<long long>(o.rate * (o.seconds + 180)) + 1;
  log.say("signing up {} clients over {} nodes", o.clients, nodes.size());
  auto prepared = workload::prepare(wo);
  if (!prepared) return fail(std::string(prepared.err().text()));
  workload& w = **prepared;
  if (auto s = w.connect_and_make_rooms(o.setup_wait); !s) return fail(std::string(s.err().text()));

  const steady::duration third = from_seconds(o.seconds / 3);
  round_timeline t;
  log.say("clients connected, rooms made; sending {:.1f} msg/s per client", o.rate);
  t.load_start = steady::now();
  w.start_sending();
  w.run_until(third, interrupted);
  if (interrupted()) return fail("interrupted");

  fault_step_options fo;
  fo.kind = o.kind;
  if (o.burn != "primary") {
    auto name = cluster.dc_name(o.burn);
    if (!name) return fail(std::string(name.err().text()));
    fo.target = *name;
  }
  fo.burn_load = third;
  fo.hold = o.freeze_seconds;
  fo.failover_wait = o.failover_wait;
  fo.rejoin_wait = o.rejoin_wait;
  log.say("fault: {}", fault_name(o.kind));
  const fault_outcome hit = run_fault(cluster, w, log, fo, t, interrupted);
  failed.fault_dc = hit.dc;
  if (hit.stopped) return fail(hit.problem);
  w.run_until(third, interrupted);
  if (interrupted()) return fail("interrupted");

  t.load_stop = steady::now();
  w.stop_sending();
  log.say("sending stopped; waiting for outboxes ({} pending) and catch-up", w.pending_sends());
  const bool drained =
      w.run_until(o.drain_wait, [&] { return w.drained() || interrupted(); }) && !interrupted();
  t.observed_until = steady::now();
  log.say("{}; reading the final logs", drained ? "drained" : "NOT drained in time");
  const bool read_all = w.read_final_logs(o.final_read_wait);
  std::vector<client_log> logs = w.finish();

  round_result r = figures_of(logs, t);
  r.round = o.round;
  r.fault = failed.fault;
  r.fault_dc = hit.dc;
  r.drained = drained;
  r.problem = hit.problem;
  r.note = hit.note;
  if (!read_all) {
    r.problem += std::string(r.problem.empty() ? "" : "; ") + "not every final log could be read";
  }
  int shown_errors = 0;  // a sample, not a flood
  for (const client_log& c : logs) {
    if (!c.errors.empty() && shown_errors++ < 5) log.say("{}: {}", c.name, c.errors.front());
  }
  return r;
}

}  // namespace haetae::drill
