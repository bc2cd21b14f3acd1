#include "drill/drill_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "drill/fault_menu.h"

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

// The asserted counts, as the report names them.
const std::pair<const char*, long long check_counts::*> loss_figures[] = {
    {"acked_lost", &check_counts::acked_lost},
    {"duplicates", &check_counts::duplicates},
    {"taken_back", &check_counts::taken_back},
    {"order_violations", &check_counts::order_violations},
    {"gaps", &check_counts::gaps},
    {"forced_relogins", &check_counts::forced_relogins}};

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
      "{:<5} {:<11} {:>7} {:>6} {:>4} {:>4} {:>5} {:>5} {:>4} {:>5} | {:>6.1f} {:>6.1f} {:>7.1f} | "
      "{:>7.1f} {:>8.1f} | {:>6} | {:>8.1f} {:>8.1f} {:>8.1f} | {}\n",
      label, r.fault, r.fault_dc, c.acked, c.acked_lost, c.duplicates, c.taken_back,
      c.order_violations, c.gaps, c.forced_relogins, r.rto_write_s.p50, r.rto_write_s.p99,
      r.rto_write_s.max, r.rto_read_s.p50, r.rto_read_s.max, or_dash(r.rejoin_s),
      r.throughput_before, r.throughput_during, r.throughput_after, r.passed() ? "ok" : "FAIL");
}

std::string same_or_mixed(const std::string& so_far, const std::string& next) {
  return so_far.empty() || so_far == next ? next : "mixed";
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[(v.size() - 1) / 2];  // nearest rank, as the rounds' own p50
}

// One fault's rounds: how many, the loss figures' sum and max, RTO p50 and max over rounds.
json::object fault_summary(const std::vector<const round_result*>& rounds) {
  json::object o;
  o["rounds"] = rounds.size();
  long long acked = 0;
  bool passed = true;
  std::vector<double> write_p50, read_p50;
  double write_max = 0, read_max = 0;
  for (const round_result* r : rounds) {
    acked += r->counts.acked;
    passed = passed && r->passed();
    write_p50.push_back(r->rto_write_s.p50);
    read_p50.push_back(r->rto_read_s.p50);
    write_max = std::max(write_max, r->rto_write_s.max);
    read_max = std::max(read_max, r->rto_read_s.max);
  }
  o["acked"] = acked;
  for (const auto& [name, count] : loss_figures) {
    long long sum = 0, most = 0;
    for (const round_result* r : rounds) {
      sum += r->counts.*count;
      most = std::max(most, r->counts.*count);
    }
    o[std::string(name) + "_sum"] = sum;
    o[std::string(name) + "_max"] = most;
  }
  o["rto_write_s_p50"] = median(write_p50);
  o["rto_write_s_max"] = write_max;
  o["rto_read_s_p50"] = median(read_p50);
  o["rto_read_s_max"] = read_max;
  o["passed"] = passed;
  return o;
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
    s.fault = same_or_mixed(s.fault, r.fault);
    s.fault_dc = same_or_mixed(s.fault_dc, r.fault_dc);
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
  out["fault"] = plan.fault.empty() ? sum.fault : plan.fault;
  out["fault_dc"] = sum.fault_dc;
  out["seed"] = plan.seed;
  out["freeze_seconds"] = plan.freeze_seconds;
  out["clients"] = plan.clients;
  out["seconds"] = plan.seconds;
  out["rate_per_client"] = plan.rate;
  out["short"] = plan.short_run;
  if (!sum.problem.empty()) out["problem"] = sum.problem;
  json::array list;
  for (const round_result& r : rounds) {
    json::object o = figures_json(r);
    o["round"] = r.round;
    o["fault"] = r.fault;
    o["fault_dc"] = r.fault_dc;
    o["clients"] = r.clients;
    if (!r.problem.empty()) o["problem"] = r.problem;
    if (!r.note.empty()) o["note"] = r.note;
    list.push_back(std::move(o));
  }
  out["rounds"] = std::move(list);
  // Per fault, in the menu's order; only the faults that ran.
  json::object faults;
  for (fault f : fault_menu) {
    std::vector<const round_result*> of_fault;
    for (const round_result& r : rounds) {
      if (r.fault == fault_name(f)) of_fault.push_back(&r);
    }
    if (!of_fault.empty()) faults[fault_name(f)] = fault_summary(of_fault);
  }
  out["faults"] = std::move(faults);
  return out;
}

std::string report_table(const std::vector<round_result>& rounds) {
  std::string out = fmt::format(
      "{:<5} {:<11} {:>7} {:>6} {:>4} {:>4} {:>5} {:>5} {:>4} {:>5} | {:>22} | {:>16} | {:>6} | "
      "{:>26} |\n",
      "round", "fault", "dc", "acked", "lost", "dup", "taken", "order", "gaps", "login",
      "rto_write p50/p99/max", "rto_read p50/max", "rejoin", "acks/s before/during/after");
  for (const round_result& r : rounds) out += table_line(std::to_string(r.round), r);
  if (rounds.size() > 1) out += table_line("all", summarize(rounds));
  for (const round_result& r : rounds) {
    if (!r.problem.empty()) out += fmt::format("round {}: {}\n", r.round, r.problem);
    if (!r.note.empty()) out += fmt::format("round {} (note): {}\n", r.round, r.note);
  }
  return out;
}

}  // namespace haetae::drill
