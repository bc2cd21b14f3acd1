#include "drill/drill_report.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace haetae::drill {
namespace {

round_result a_round(int n, double rto_write_max, std::optional<double> rejoin) {
  round_result r;
  r.round = n;
  r.burnt_dc = "dr2";
  r.clients = 10;
  r.counts.acked = 100;
  r.rto_write_s = {1, 2, rto_write_max};
  r.rejoin_s = rejoin;
  r.throughput_before = 10;
  return r;
}

TEST(DrillReportTest, SummaryAddsCountsAndKeepsTheWorstTimes) {
  auto a = a_round(1, 9, 4.0);
  auto b = a_round(2, 12, 6.0);
  b.counts.gaps = 1;
  round_result s = summarize({a, b});
  EXPECT_EQ(s.counts.acked, 200);
  EXPECT_EQ(s.counts.gaps, 1);
  EXPECT_EQ(s.rto_write_s.max, 12);
  EXPECT_EQ(s.rejoin_s, 6.0);
  EXPECT_EQ(s.throughput_before, 10);
  EXPECT_FALSE(s.passed());
}

TEST(DrillReportTest, ARoundThatNeverRejoinedHasNoRejoinTime) {
  round_result s = summarize({a_round(1, 9, 4.0), a_round(2, 9, std::nullopt)});
  EXPECT_FALSE(s.rejoin_s.has_value());
}

TEST(DrillReportTest, JsonHasEveryKeyOfTheIssue) {
  drill_plan plan;
  boost::json::object o = report_json(plan, {a_round(1, 9, 4.0)});
  for (const char* key : {"acked",
                          "acked_lost",
                          "duplicates",
                          "taken_back",
                          "order_violations",
                          "gaps",
                          "forced_relogins",
                          "rto_write_s",
                          "rto_write_s_p50",
                          "rto_write_s_p99",
                          "rto_read_s",
                          "rto_read_s_p50",
                          "rto_read_s_p99",
                          "rejoin_s",
                          "throughput_before",
                          "throughput_during",
                          "throughput_after",
                          "rounds",
                          "burnt_dc",
                          "clients",
                          "seconds"}) {
    EXPECT_TRUE(o.contains(key)) << key;
  }
  EXPECT_EQ(o.at("rounds").as_array().size(), 1u);
  EXPECT_TRUE(o.at("passed").as_bool());
}

TEST(DrillReportTest, ARoundWithAProblemFails) {
  auto r = a_round(1, 9, 4.0);
  r.problem = "burn dr2: exited with 1";
  EXPECT_FALSE(report_json({}, {r}).at("passed").as_bool());
  EXPECT_NE(report_table({r}).find("burn dr2"), std::string::npos);
}

}  // namespace
}  // namespace haetae::drill
