#include "drill/fault_steps.h"

#include <fmt/format.h>

#include <future>
#include <utility>

namespace haetae::drill {

namespace {
using namespace std::chrono_literals;

// Runs a launcher call on another thread while this one keeps the load going. The call is
// bounded by its own time limit, so this returns.
template <class F>
auto while_loading(workload& w, F call) {
  auto future = std::async(std::launch::async, std::move(call));
  w.run_until(24h, [&] { return future.wait_for(0s) == std::future_status::ready; });
  return future.get();
}

// What a failover during the fault means for the round.
enum class failover {
  not_expected,  // the primary should stay (a move is noted)
  awaited,       // wait for it (bounded) before the undo, go on without it
  required,      // wait for it (bounded); the round fails without it
};

struct hit_kind {
  const char* name;     // the haetae-cluster command, for messages
  const char* doing;    // "freezing"
  const char* undoing;  // "thawing"
  const char* state;    // "frozen"
  status (cluster_launcher::*start)(const std::string&);
  status (cluster_launcher::*undo)(const std::string&);
  failover expect;
};

const hit_kind burn_hit{.name = "burn",
                        .doing = "burning",
                        .undoing = "restoring",
                        .state = "burnt",
                        .start = &cluster_launcher::burn,
                        .undo = &cluster_launcher::restore,
                        .expect = failover::awaited};
const hit_kind freeze_hit{.name = "freeze",
                          .doing = "freezing",
                          .undoing = "thawing",
                          .state = "frozen",
                          .start = &cluster_launcher::freeze,
                          .undo = &cluster_launcher::thaw,
                          .expect = failover::required};
const hit_kind cut_hit{.name = "cut",
                       .doing = "cutting off",
                       .undoing = "healing",
                       .state = "cut off",
                       .start = &cluster_launcher::cut,
                       .undo = &cluster_launcher::heal,
                       .expect = failover::required};
const hit_kind standby_cut_hit{.name = "cut",
                               .doing = "cutting off the synchronous standby's DC",
                               .undoing = "healing",
                               .state = "cut off",
                               .start = &cluster_launcher::cut,
                               .undo = &cluster_launcher::heal,
                               .expect = failover::not_expected};

class fault_runner {
 public:
  fault_runner(cluster_launcher& cluster, workload& w, round_log& log, const fault_step_options& o,
               round_timeline& t, const std::function<bool()>& interrupted)
      : cluster_(cluster), w_(w), log_(log), o_(o), t_(t), interrupted_(interrupted) {}

  fault_outcome run() {
    switch (o_.kind) {
      case fault::burn:
        hit_primary(burn_hit, o_.burn_load);
        break;
      case fault::freeze:
        hit_primary(freeze_hit, o_.hold);
        break;
      case fault::cut:
        hit_primary(cut_hit, o_.hold);
        break;
      case fault::cut_standby:
        if (std::string dc; find_dc("synchronous standby", &cluster_launcher::sync_standby, dc)) {
          hit(standby_cut_hit, dc, o_.hold);
        }
        break;
      case fault::burn_twice:
        if (!hit_primary(burn_hit, o_.burn_load)) break;
        if (!t_.rejoined) {
          stop("the first burnt DC did not rejoin: a second burn would leave one DC");
          break;
        }
        hit_primary(burn_hit, o_.burn_load);
        break;
    }
    return out_;
  }

 private:
  // Ends the steps (and the round) with `why`; false, for `return stop(...)`.
  bool stop(std::string why) {
    if (out_.problem.empty()) out_.problem = std::move(why);
    out_.stopped = true;
    return false;
  }

  // Asks `ask` until it names a DC, bounded by failover_wait; false (stopped) if it never does.
  bool find_dc(const char* what, result<std::string> (cluster_launcher::*ask)() const,
               std::string& dc) {
    const auto deadline = steady::now() + o_.failover_wait;
    for (;;) {
      auto r = while_loading(w_, [&] { return (cluster_.*ask)(); });
      if (r) {
        dc = *r;
        return true;
      }
      if (steady::now() >= deadline) {
        return stop(fmt::format("no {} to hit: {}", what, r.err().text()));
      }
      w_.run_until(500ms, interrupted_);
      if (interrupted_()) return stop("interrupted");
    }
  }

  bool hit_primary(const hit_kind& k, steady::duration least) {
    std::string dc = o_.target;
    if (dc == "primary" && !find_dc("primary", &cluster_launcher::primary, dc)) return false;
    return hit(k, dc, least);
  }

  // Another DC holds the primary, asked every 500 ms until failover_wait after `start`; its
  // name, or empty.
  std::string await_failover(const std::string& dc, steady::time_point start) {
    const auto deadline = start + o_.failover_wait;
    for (;;) {
      auto p = while_loading(w_, [&] { return cluster_.primary(); });
      if (p && *p != dc) return *p;
      if (steady::now() >= deadline || interrupted_()) return {};
      w_.run_until(500ms, interrupted_);
    }
  }

  // One fault on `dc`: start it, let it last at least `least` (and until a failover if one is
  // expected), undo it, wait until `dc` rejoins. False if the steps must stop.
  bool hit(const hit_kind& k, const std::string& dc, steady::duration least) {
    std::string primary_before;
    if (k.expect == failover::not_expected) {
      auto p = while_loading(w_, [&] { return cluster_.primary(); });
      if (p) primary_before = *p;
    }
    out_.dc += (out_.dc.empty() ? "" : " ") + dc;
    log_.say("{} {}", k.doing, dc);
    const steady::time_point start = steady::now();
    if (!std::exchange(started_, true)) t_.fault_start = start;
    if (auto s = while_loading(w_, [&] { return (cluster_.*k.start)(dc); }); !s) {
      return stop(fmt::format("{} {}: {}", k.name, dc, s.err().text()));
    }
    w_.run_until(start + least - steady::now(), interrupted_);
    if (interrupted_()) return stop("interrupted");

    std::string missed_failover, new_primary;
    if (k.expect == failover::not_expected) {
      auto p = while_loading(w_, [&] { return cluster_.primary(); });
      if (p && !primary_before.empty() && *p != primary_before) {
        out_.note = fmt::format("the primary moved from {} to {} while {} was {}", primary_before,
                                *p, dc, k.state);
        log_.say("{}", out_.note);
      }
    } else if (new_primary = await_failover(dc, start); !new_primary.empty()) {
      log_.say("primary now in {}", new_primary);
    } else {
      if (interrupted_()) return stop("interrupted");
      log_.say("no new primary within {} s of the {}", o_.failover_wait.count(), k.name);
      if (k.expect == failover::required) {
        missed_failover = fmt::format("no other DC became primary while {} was {} ({:.0f} s)", dc,
                                      k.state, seconds_since(start));
      }
    }

    log_.say("{} {} after {:.1f} s", k.undoing, dc, seconds_since(start));
    t_.repair = steady::now();
    if (auto s = while_loading(w_, [&] { return (cluster_.*k.undo)(dc); }); !s) {
      return stop(fmt::format("{} of {}: {}", k.undoing, dc, s.err().text()));
    }
    if (!await_rejoin(k, dc, new_primary)) return false;
    // The round goes on (drain, checks) but fails.
    if (!missed_failover.empty() && out_.problem.empty()) out_.problem = missed_failover;
    return true;
  }

  // Polls `rejoined` every 250 ms, bounded by rejoin_wait. After a failover to `new_primary`,
  // also asks every ~2 s whether `dc` holds the primary again: a DC that takes it back after
  // the undo (patroni#2689 after a freeze) can never rejoin as a replica, and the round fails.
  bool await_rejoin(const hit_kind& k, const std::string& dc, const std::string& new_primary) {
    t_.rejoined.reset();
    const auto deadline = t_.repair + o_.rejoin_wait;
    bool took_back = false;
    for (int poll = 1; steady::now() < deadline && !interrupted_(); ++poll) {
      auto back = while_loading(w_, [&] { return cluster_.rejoined(dc); });
      if (back && *back) {
        t_.rejoined = steady::now();
        break;
      }
      if (!new_primary.empty() && poll % 8 == 0) {
        auto p = while_loading(w_, [&] { return cluster_.primary(); });
        if (p && *p == dc) {
          took_back = true;
          break;
        }
      }
      w_.run_until(250ms, interrupted_);
    }
    if (interrupted_()) return stop("interrupted");
    if (t_.rejoined) {
      log_.say("{} rejoined after {:.1f} s", dc,
               std::chrono::duration<double>(*t_.rejoined - t_.repair).count());
    } else if (took_back) {
      if (out_.problem.empty()) {
        out_.problem = fmt::format("{} took the primary back from {} after the {} ended", dc,
                                   new_primary, k.name);
      }
      log_.say("{}; the cluster says:", out_.problem);
      while_loading(w_, [&] {
        cluster_.print_status();
        return true;
      });
    } else {
      log_.say("{} did not rejoin within {} s; the cluster says:", dc, o_.rejoin_wait.count());
      while_loading(w_, [&] {
        cluster_.print_status();
        return true;
      });
    }
    return true;
  }

  static double seconds_since(steady::time_point start) {
    return std::chrono::duration<double>(steady::now() - start).count();
  }

  cluster_launcher& cluster_;
  workload& w_;
  round_log& log_;
  const fault_step_options& o_;
  round_timeline& t_;
  const std::function<bool()>& interrupted_;
  bool started_ = false;
  fault_outcome out_;
};

}  // namespace

fault_outcome run_fault(cluster_launcher& cluster, workload& w, round_log& log,
                        const fault_step_options& options, round_timeline& t,
                        const std::function<bool()>& interrupted) {
  return fault_runner(cluster, w, log, options, t, interrupted).run();
}

}  // namespace haetae::drill
