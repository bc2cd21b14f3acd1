#include "drill/drill_round.h"

#include <fmt/format.h>

#include <future>

#include "drill/round_figures.h"
#include "drill/workload.h"

namespace haetae::drill {

namespace {
using namespace std::chrono_literals;

steady::duration from_seconds(double s) {
  return std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(s));
}

// Runs a launcher call on another thread while this one keeps the load going. The call is
// bounded by its own time limit, so this returns.
template <class F>
auto while_loading(workload& w, F call) {
  auto future = std::async(std::launch::async, std::move(call));
  w.run_until(24h, [&] { return future.wait_for(0s) == std::future_status::ready; });
  return future.get();
}

class round_log {
 public:
  explicit round_log(int round) : round_(round), start_(steady::now()) {}
  template <class... A>
  void say(fmt::format_string<A...> f, A&&... a) {
    const double t = std::chrono::duration<double>(steady::now() - start_).count();
    fmt::print("drill: round {} {:6.1f}s  {}\n", round_, t, fmt::format(f, std::forward<A>(a)...));
    std::fflush(stdout);
  }

 private:
  int round_;
  steady::time_point start_;
};

}  // namespace

round_result run_round(cluster_launcher& cluster, const std::vector<std::string>& nodes,
                       const round_options& o, const std::function<bool()>& interrupted) {
  round_log log(o.round);
  round_result failed;
  failed.round = o.round;
  failed.clients = o.clients;
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

  std::string dc;
  if (o.burn == "primary") {
    auto p = while_loading(w, [&] { return cluster.primary(); });
    if (!p) return fail("no primary to burn: " + std::string(p.err().text()));
    dc = *p;
  } else {
    auto name = cluster.dc_name(o.burn);
    if (!name) return fail(std::string(name.err().text()));
    dc = *name;
  }
  failed.burnt_dc = dc;
  log.say("burning {}", dc);
  t.burn = steady::now();
  if (auto s = while_loading(w, [&] { return cluster.burn(dc); }); !s) {
    return fail("burn " + dc + ": " + std::string(s.err().text()));
  }
  w.run_until(t.burn + third - steady::now(), interrupted);
  if (interrupted()) return fail("interrupted");
  // Restoring before the failover finished would let the old primary simply come back: wait
  // (bounded) until another data center holds the primary.
  const auto failover_deadline = t.burn + o.failover_wait;
  for (;;) {
    auto p = while_loading(w, [&] { return cluster.primary(); });
    if (p && *p != dc) {
      log.say("primary now in {}", *p);
      break;
    }
    if (steady::now() >= failover_deadline || interrupted()) {
      log.say("no new primary within {} s of the burn", o.failover_wait.count());
      break;
    }
    w.run_until(500ms, interrupted);
  }
  if (interrupted()) return fail("interrupted");

  log.say("restoring {}", dc);
  t.restore = steady::now();
  if (auto s = while_loading(w, [&] { return cluster.restore(dc); }); !s) {
    return fail("restore " + dc + ": " + std::string(s.err().text()));
  }
  const auto rejoin_deadline = t.restore + o.rejoin_wait;
  while (steady::now() < rejoin_deadline && !interrupted()) {
    auto back = while_loading(w, [&] { return cluster.rejoined(dc); });
    if (back && *back) {
      t.rejoined = steady::now();
      break;
    }
    w.run_until(250ms, interrupted);
  }
  if (interrupted()) return fail("interrupted");
  if (t.rejoined) {
    log.say("{} rejoined after {:.1f} s", dc,
            std::chrono::duration<double>(*t.rejoined - t.restore).count());
  } else {
    log.say("{} did not rejoin within {} s; the cluster says:", dc, o.rejoin_wait.count());
    while_loading(w, [&] {
      cluster.print_status();
      return true;
    });
  }
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
  r.burnt_dc = dc;
  r.drained = drained;
  if (!read_all) r.problem = "not every final log could be read";
  int shown_errors = 0;  // a sample, not a flood
  for (const client_log& c : logs) {
    if (!c.errors.empty() && shown_errors++ < 5) log.say("{}: {}", c.name, c.errors.front());
  }
  return r;
}

}  // namespace haetae::drill
