#include "drill/drill_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>

namespace haetae::drill {

namespace json = boost::json;

namespace {

stat_triple worst(const stat_triple& a, const stat_triple& b) {
  return {std::max(a.p50, b.p50), std::max(a.p99, b.p99), std::max(a.max, b.max)};
}

void add_counts(check_counts& sum, const check_counts& c) {
  sum.acked += c.acked;
  sum.acked_lost += c.acked_lost;
  sum.duplicates += c.duplicates;
  sum.taken_back += c.taken_back;
  sum.order_violations += c.order_violations;
  sum.gaps += c.gaps;
  sum.forced_relogins += c.forced_relogins;
}

json::value optional_number(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object figures_json(const round_result& r) {
  const check_counts& c = r.counts;
  return {{"acked", c.acked},
          {"acked_lost", c.acked_lost},
          {"duplicates", c.duplicates},
          {"taken_back", c.taken_back},
          {"order_violations", c.order_violations},
          {"gaps", c.gaps},
          {"forced_relogins", c.forced_relogins},
          {"rto_write_s", r.rto_write_s.max},
          {"rto_write_s_p50", r.rto_write_s.p50},
          {"rto_write_s_p99", r.rto_write_s.p99},
          {"rto_read_s", r.rto_read_s.max},
          {"rto_read_s_p50", r.rto_read_s.p50},
          {"rto_read_s_p99", r.rto_read_s.p99},
          {"rejoin_s", optional_number(r.rejoin_s)},
          {"throughput_before", r.throughput_before},
          {"throughput_during", r.throughput_during},
          {"throughput_after", r.throughput_after},
          {"sent", r.sent},
          {"failed_sends", r.failed_sends},
          {"disconnects", r.disconnects},
          {"drained", r.drained},
          {"passed", r.passed()}};
}

std::string or_dash(const std::optional<double>& v) {
  return v ? fmt::format("{:.1f}", *v) : std::string("-");
}

std::string table_line(const std::string& label, const round_result& r) {
  const check_counts& c = r.counts;
  return fmt::format(
      "{:<5} {:>5} {:>6} {:>4} {:>4} {:>5} {:>5} {:>4} {:>5} | {:>6.1f} {:>6.1f} {:>7.1f} | "
      "{:>7.1f} {:>8.1f} | {:>6} | {:>8.1f} {:>8.1f} {:>8.1f} | {}\n",
      label, r.burnt_dc, c.acked, c.acked_lost, c.duplicates, c.taken_back, c.order_violations,
      c.gaps, c.forced_relogins, r.rto_write_s.p50, r.rto_write_s.p99, r.rto_write_s.max,
      r.rto_read_s.p50, r.rto_read_s.max, or_dash(r.rejoin_s), r.throughput_before,
      r.throughput_during, r.throughput_after, r.passed() ? "ok" : "FAIL");
}

}  // namespace

round_result summarize(const std::vector<round_result>& rounds) {
  round_result s;
  s.round = 0;
  s.drained = true;
  bool all_rejoined = !rounds.empty();
  double rejoin = 0;
  for (const round_result& r : rounds) {
    add_counts(s.counts, r.counts);
    s.rto_write_s = worst(s.rto_write_s, r.rto_write_s);
    s.rto_read_s = worst(s.rto_read_s, r.rto_read_s);
    all_rejoined = all_rejoined && r.rejoin_s.has_value();
    rejoin = std::max(rejoin, r.rejoin_s.value_or(0));
    s.throughput_before += r.throughput_before / static_cast<double>(rounds.size());
    s.throughput_during += r.throughput_during / static_cast<double>(rounds.size());
    s.throughput_after += r.throughput_after / static_cast<double>(rounds.size());
    s.sent += r.sent;
    s.failed_sends += r.failed_sends;
    s.disconnects += r.disconnects;
    s.drained = s.drained && r.drained;
    s.clients = std::max(s.clients, r.clients);
    if (s.burnt_dc.empty() || s.burnt_dc == r.burnt_dc) {
      s.burnt_dc = r.burnt_dc;
    } else {
      s.burnt_dc = "mixed";
    }
    if (!r.problem.empty() && s.problem.empty()) {
      s.problem = fmt::format("round {}: {}", r.round, r.problem);
    }
  }
  if (all_rejoined) s.rejoin_s = rejoin;
  return s;
}

json::object report_json(const drill_plan& plan, const std::vector<round_result>& rounds) {
  const round_result sum = summarize(rounds);
  json::object out = figures_json(sum);
  out["passed"] = sum.passed() && !rounds.empty();
  out["burn"] = plan.burn;
  out["burnt_dc"] = sum.burnt_dc;
  out["clients"] = plan.clients;
  out["seconds"] = plan.seconds;
  out["rate_per_client"] = plan.rate;
  out["short"] = plan.short_run;
  if (!sum.problem.empty()) out["problem"] = sum.problem;
  json::array list;
  for (const round_result& r : rounds) {
    json::object o = figures_json(r);
    o["round"] = r.round;
    o["burnt_dc"] = r.burnt_dc;
    o["clients"] = r.clients;
    if (!r.problem.empty()) o["problem"] = r.problem;
    list.push_back(std::move(o));
  }
  out["rounds"] = std::move(list);
  return out;
}

std::string report_table(const std::vector<round_result>& rounds) {
  std::string out = fmt::format(
      "{:<5} {:>5} {:>6} {:>4} {:>4} {:>5} {:>5} {:>4} {:>5} | {:>22} | {:>16} | {:>6} | {:>26} "
      "|\n",
      "round", "burnt", "acked", "lost", "dup", "taken", "order", "gaps", "login",
      "rto_write p50/p99/max", "rto_read p50/max", "rejoin", "acks/s before/during/after");
  for (const round_result& r : rounds) out += table_line(std::to_string(r.round), r);
  if (rounds.size() > 1) out += table_line("all", summarize(rounds));
  for (const round_result& r : rounds) {
    if (!r.problem.empty()) out += fmt::format("round {}: {}\n", r.round, r.problem);
  }
  return out;
}

}  // namespace haetae::drill
