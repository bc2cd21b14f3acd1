// `haetae bench`: throughput and latency of message delivery, or the memory of idle sockets,
// against a fresh local server (pinned to core 0, the bench to core 1) or --server URL.
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "cli/bench_idle.h"
#include "cli/bench_load.h"
#include "cli/bench_server.h"
#include "cli/commands.h"
#include "cli/remote.h"
#include "cli/report_file.h"
#include "cli/self_exe.h"
#include "client/local_server.h"

namespace haetae::cli {

namespace json = boost::json;

int bench_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2);
  if (!a) return usage_error("bench", a.err().text());
  if (!a->positional().empty()) return usage_error("bench", "no positional arguments expected");
  if (auto bad = a->unknown({"server", "clients", "mode", "rate", "window", "seconds", "messages",
                             "warmup", "report", "idle", "seed", "partners", "group-size"});
      !bad.empty()) {
    return usage_error("bench", "unknown option --" + bad[0]);
  }
  auto clients = a->number("clients", 200, 2, 100000);
  auto window = a->number("window", 8, 1, 1000);
  auto messages = a->number("messages", 0, 0, 1'000'000'000);
  auto idle = a->number("idle", 0, 0, 1'000'000);
  auto seed = a->number("seed", 1, 0, INT64_MAX);
  auto partners = a->number("partners", 4, 1, 1000);
  auto group_size = a->number("group-size", 10, 2, 1000);
  auto seconds = a->real("seconds", 10);
  auto warmup = a->real("warmup", 1);
  auto rate = a->real("rate", 1);
  for (const auto* r : {&clients, &window, &messages, &idle, &seed, &partners, &group_size}) {
    if (!*r) return usage_error("bench", r->err().text());
  }
  for (const auto* r : {&seconds, &warmup, &rate}) {
    if (!*r) return usage_error("bench", r->err().text());
  }
  const std::string mode = a->get("mode").value_or("direct");
  if (mode != "direct" && mode != "mixed") return usage_error("bench", "--mode is direct or mixed");
  const std::string report_path = a->get("report").value_or("bench-report.json");

  raise_nofile(*idle + 4096);
  std::optional<client::local_server> server;
  std::string url;
  if (auto s = a->get("server")) {
    url = *s;
  } else {
    auto started = client::local_server::start(self_exe(), 0);
    if (!started) return report_error(started.err());
    server.emplace(std::move(*started));
    url = server->url();
    std::printf("bench: started a fresh server at %s (pid %d, core 0)\n", url.c_str(),
                static_cast<int>(server->pid()));
  }
  const bool pinned = pin_to_core(1);
  auto rss = [&]() -> long long { return server ? rss_kib(server->pid()) : 0; };
  const unsigned cores = std::thread::hardware_concurrency();

  if (*idle > 0) {
    auto r = run_idle(url, static_cast<int>(*idle), rss);
    if (!r) return report_error(r.err());
    std::printf(
        "idle sockets: %d\nserver RSS: %.1f MiB before, %.1f MiB after\n"
        "per connection: %.1f KiB\n",
        r->connections, r->rss_before_kib / 1024.0, r->rss_after_kib / 1024.0,
        r->kib_per_connection);
    write_report(report_path, {{"mode", "idle"},
                               {"connections", r->connections},
                               {"rss_before_mb", r->rss_before_kib / 1024.0},
                               {"rss_after_mb", r->rss_after_kib / 1024.0},
                               {"server_rss_mb", r->rss_after_kib / 1024.0},
                               {"kib_per_connection", r->kib_per_connection},
                               {"nproc", cores},
                               {"date", utc_timestamp()}});
    return 0;
  }

  load_options o;
  o.server = url;
  o.clients = static_cast<int>(*clients);
  o.mixed = mode == "mixed";
  o.rate = a->get("rate") ? *rate : 0;
  o.window = static_cast<int>(*window);
  o.seconds = *seconds;
  o.messages = *messages;
  o.warmup = *warmup;
  o.seed = static_cast<std::uint64_t>(*seed);
  o.partners = static_cast<int>(*partners);
  o.group_size = static_cast<int>(*group_size);
  auto r = run_load(o, rss);
  if (!r) return report_error(r.err());

  std::printf(
      "mode %s, %d clients, %s, %d rooms, %s pinned\n"
      "messages: %lld sent, %lld acked, %lld failed; deliveries %lld of %lld, duplicates %lld\n"
      "acked/s %.0f   delivered/s %.0f   latency p50 %.2f ms  p99 %.2f ms  max %.2f ms\n"
      "server RSS %.1f MiB; client disconnects %lld; measured %.2f s\n",
      mode.c_str(), o.clients,
      o.rate > 0
          ? ("open loop " + std::to_string(static_cast<long long>(o.rate)) + " msg/s").c_str()
          : ("closed loop, window " + std::to_string(o.window)).c_str(),
      static_cast<int>(r->rooms), pinned ? "bench" : "not", r->sent, r->acked, r->failed,
      r->delivered, r->expected, r->duplicates, r->acked_per_s, r->delivered_per_s, r->p50_ms,
      r->p99_ms, r->max_ms, r->server_rss_kib / 1024.0, r->disconnects, r->measured_s);
  json::object report{{"mode", mode},
                      {"delivered_per_s", r->delivered_per_s},
                      {"acked_per_s", r->acked_per_s},
                      {"p50_ms", r->p50_ms},
                      {"p99_ms", r->p99_ms},
                      {"max_ms", r->max_ms},
                      {"server_rss_mb", r->server_rss_kib / 1024.0},
                      {"clients", o.clients},
                      {"messages", r->acked},
                      {"sent", r->sent},
                      {"deliveries", r->delivered},
                      {"expected_deliveries", r->expected},
                      {"duplicates", r->duplicates},
                      {"failed", r->failed},
                      {"disconnects", r->disconnects},
                      {"rooms", r->rooms},
                      {"offered_rate", o.rate},
                      {"window", o.rate > 0 ? 0 : o.window},
                      {"measured_s", r->measured_s},
                      {"nproc", cores},
                      {"date", utc_timestamp()}};
  if (!write_report(report_path, report)) {
    return report_error(make_error(errc::internal, "cannot write " + report_path));
  }
  std::printf("report: %s\n", report_path.c_str());
  const bool clean =
      r->failed == 0 && r->duplicates == 0 && r->acked == r->sent && r->delivered == r->expected;
  return clean ? 0 : 1;
}

}  // namespace haetae::cli
