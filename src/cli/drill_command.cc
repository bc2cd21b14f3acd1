// `haetae drill`: the fire drill of DESIGN §4 against a three-data-center cluster of its own
// (cluster/haetae-cluster with this run's names), always taken down at the end.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/remote.h"
#include "cli/report_file.h"
#include "cli/self_exe.h"
#include "drill/cluster_launcher.h"
#include "drill/drill_report.h"
#include "drill/drill_round.h"
#include "drill/fault_menu.h"
#include "drill/subprocess.h"

namespace haetae::cli {

namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int skip_exit_code = 77;  // ctest SKIP_RETURN_CODE: this machine cannot run the drill

std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) { interrupted = true; }

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != 0 ? std::string(v) : fallback;
}

// Why this machine cannot run the drill, or empty if it can.
std::string cannot_run_here() {
  if (::geteuid() != 0) return "needs root (network namespaces, a bridge, iptables)";
  const std::string probe = "hdchk" + std::to_string(::getpid());
  drill::process_options quiet;
  quiet.timeout = 10s;
  auto added = drill::run_process({"ip", "netns", "add", probe}, quiet);
  if (!added || added->exit_code != 0) return "`ip netns add` does not work here";
  auto deleted = drill::run_process({"ip", "netns", "del", probe}, quiet);
  if (!deleted || deleted->exit_code != 0) return "`ip netns del` does not work here";
  return {};
}

// Takes the cluster down however the drill ends.
struct cluster_down_guard {
  drill::cluster_launcher& cluster;
  ~cluster_down_guard() {
    std::printf("drill: taking the cluster down\n");
    for (int attempt = 1; attempt <= 3; ++attempt) {  // a failed `down` leaves namespaces behind
      auto s = cluster.down();
      if (s) return;
      std::fprintf(stderr, "drill: down failed (attempt %d of 3): %.*s\n", attempt,
                   static_cast<int>(s.err().text().size()), s.err().text().data());
      ::sleep(2);
    }
  }
};

std::string run_id() {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06x",
                static_cast<unsigned>((std::time(nullptr) ^ (::getpid() << 8)) & 0xffffff));
  return buf;
}
}  // namespace

int drill_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2, {"short"});
  if (!a) return usage_error("drill", a.err().text());
  if (!a->positional().empty()) return usage_error("drill", "no positional arguments expected");
  if (auto bad = a->unknown({"burn", "fault", "freeze-seconds", "rounds", "clients", "seconds",
                             "rate", "report", "short", "cluster-script", "seed"});
      !bad.empty()) {
    return usage_error("drill", "unknown option --" + bad[0]);
  }
  const bool short_run = a->flag("short");
  // The short drill (make test) runs a burn round and a freeze round.
  auto rounds = a->number("rounds", short_run ? 2 : 1, 1, 100);
  // At least twice Patroni's ttl (5 s), so another DC is promoted while the fault lasts.
  auto freeze_seconds = a->number("freeze-seconds", short_run ? 10 : 30, 10, 600);
  auto clients = a->number("clients", short_run ? 12 : 100, 2, 10000);
  auto seed = a->number("seed", 1, 0, INT64_MAX);
  auto seconds = a->real("seconds", short_run ? 21 : 60);
  auto rate = a->real("rate", short_run ? 1 : 2);
  for (const auto* r : {&rounds, &clients, &seed, &freeze_seconds}) {
    if (!*r) return usage_error("drill", r->err().text());
  }
  for (const auto* r : {&seconds, &rate}) {
    if (!*r) return usage_error("drill", r->err().text());
  }
  if (*seconds < 3 || *rate <= 0 || *rate > 100) {
    return usage_error("drill", "--seconds is at least 3 and --rate in (0, 100]");
  }
  const std::string report_path = a->get("report").value_or("drill-report.json");

  drill::launcher_options lo;
  lo.script = a->get("cluster-script").value_or(drill::default_cluster_script());
  lo.binary = self_exe();
  lo.node_args = "--fast-password-hashing";  // 100 sign-ups must not take minutes
  // This run's own names, so nobody else's cluster is touched; the short drill (make test) and
  // a full one differ, so both may run at once.
  lo.names.prefix = env_or("HAETAE_CLUSTER_PREFIX", short_run ? "ds" : "dr");
  lo.names.bridge = env_or("HAETAE_CLUSTER_BRIDGE", short_run ? "dsbr0" : "drbr0");
  lo.names.net = env_or("HAETAE_CLUSTER_NET", short_run ? "198.18.3" : "198.18.2");
  lo.names.dir = env_or("HAETAE_CLUSTER_DIR", "/tmp/haetae-drill-" + std::to_string(::getpid()));
  drill::cluster_launcher cluster(lo);

  drill::drill_plan plan;
  plan.burn = a->get("burn").value_or("primary");
  plan.seed = *seed;
  plan.freeze_seconds = static_cast<int>(*freeze_seconds);
  std::optional<drill::fault> chosen;
  if (auto name = a->get("fault")) {
    auto f = drill::parse_fault(*name);
    if (!f) return usage_error("drill", f.err().text());
    chosen = *f;
  }
  plan.rounds = static_cast<int>(*rounds);
  plan.clients = static_cast<int>(*clients);
  plan.seconds = *seconds;
  plan.rate = *rate;
  plan.short_run = short_run;
  if (plan.burn != "primary") {  // a chosen DC is burnt, so every round is a burn round
    if (auto dc = cluster.dc_name(plan.burn); !dc) return usage_error("drill", dc.err().text());
    if (chosen && *chosen != drill::fault::burn) {
      return usage_error("drill", "--burn dcN goes with --fault burn only");
    }
    chosen = drill::fault::burn;
  }
  if (chosen) plan.fault = std::string(drill::fault_name(*chosen));
  if (::access(lo.script.c_str(), X_OK) != 0) {
    return report_error(make_error(errc::invalid_field, "no cluster script at " + lo.script));
  }
  if (std::string why = cannot_run_here(); !why.empty()) {
    std::printf("drill: SKIPPED: %s\n", why.c_str());
    return skip_exit_code;
  }

  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  auto stop_asked = [] { return interrupted.load(); };

  std::string faults;
  for (int k = 1; k <= plan.rounds; ++k) {
    faults += std::string(k > 1 ? " " : "") +
              std::string(drill::fault_name(
                  drill::fault_for_round(chosen, short_run, static_cast<std::uint64_t>(*seed), k)));
  }
  std::printf(
      "drill: %d round(s), %d clients, %.0f s of load per round at %.1f msg/s each; seed %lld\n"
      "drill: faults %s (burn target %s, freeze/cut held >= %d s)\n"
      "drill: cluster %s1..3 on %s (%s.x), run dir %s\n",
      plan.rounds, plan.clients, plan.seconds, plan.rate, static_cast<long long>(*seed),
      faults.c_str(), plan.burn.c_str(), plan.freeze_seconds, lo.names.prefix.c_str(),
      lo.names.bridge.c_str(), lo.names.net.c_str(), lo.names.dir.c_str());
  std::vector<drill::round_result> results;
  std::string problem;
  {
    cluster_down_guard down{cluster};
    std::printf("drill: starting the cluster\n");
    std::fflush(stdout);
    if (auto up = cluster.up(); !up) {
      problem = "cluster up: " + std::string(up.err().text());
    }
    auto nodes =
        problem.empty() ? cluster.nodes() : result<std::vector<std::string>>(errc::internal);
    if (problem.empty() && !nodes) problem = "cluster nodes: " + std::string(nodes.err().text());
    const std::string run = run_id();
    for (int k = 1; problem.empty() && k <= plan.rounds && !stop_asked(); ++k) {
      drill::round_options ro;
      ro.round = k;
      ro.kind = drill::fault_for_round(chosen, short_run, static_cast<std::uint64_t>(*seed), k);
      ro.burn = plan.burn;
      ro.freeze_seconds = std::chrono::seconds(plan.freeze_seconds);
      ro.clients = plan.clients;
      ro.seconds = plan.seconds;
      ro.rate = plan.rate;
      ro.name_prefix = "drill" + run + "r" + std::to_string(k);
      ro.seed = static_cast<std::uint64_t>(*seed) * 1000 + static_cast<std::uint64_t>(k);
      if (short_run) {  // an ASan build on a loaded 2-core machine: generous, never asserted
        ro.setup_wait = 180s;
        ro.rejoin_wait = 90s;
        ro.drain_wait = 120s;
        ro.final_read_wait = 90s;
      }
      results.push_back(drill::run_round(cluster, *nodes, ro, stop_asked));
    }
  }
  if (stop_asked()) problem = problem.empty() ? "interrupted" : problem;

  json::object report = drill::report_json(plan, results);
  if (!problem.empty()) {
    report["problem"] = problem;
    report["passed"] = false;
  }
  report["date"] = utc_timestamp();
  report["machine"] = machine_facts();
  report["cluster"] = {{"prefix", lo.names.prefix},
                       {"bridge", lo.names.bridge},
                       {"net", lo.names.net},
                       {"script", lo.script}};
  std::printf("\n%s", drill::report_table(results).c_str());
  if (!problem.empty()) std::printf("drill: %s\n", problem.c_str());
  if (!write_report(report_path, report)) {
    return report_error(make_error(errc::internal, "cannot write " + report_path));
  }
  const bool passed = report["passed"].as_bool();
  std::printf("report: %s\ndrill: %s\n", report_path.c_str(), passed ? "PASSED" : "FAILED");
  return passed && static_cast<int>(results.size()) == plan.rounds ? 0 : 1;
}

}  // namespace haetae::cli
