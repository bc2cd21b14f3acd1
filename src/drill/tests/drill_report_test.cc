#include "drill/drill_report.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace haetae::drill {
namespace {

round_result a_round(int n, double rto_write_max, std::optional<double> rejoin) {
  round_result r;
  r.round = n;
  r.fault = "burn";
  r.fault_dc = "dr2";
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
                          "fault",
                          "fault_dc",
                          "faults",
                          "clients",
                          "seconds"}) {
    EXPECT_TRUE(o.contains(key)) << key;
  }
  EXPECT_EQ(o.at("rounds").as_array().size(), 1u);
  EXPECT_TRUE(o.at("passed").as_bool());
}

TEST(DrillReportTest, EachFaultHasItsOwnSummary) {
  auto burn1 = a_round(1, 9, 4.0);
  auto freeze1 = a_round(2, 14, 3.0);
  freeze1.fault = "freeze";
  freeze1.counts.acked_lost = 3;
  freeze1.rto_write_s = {6, 7, 14};
  auto freeze2 = a_round(3, 8, 3.0);
  freeze2.fault = "freeze";
  freeze2.counts.acked_lost = 5;
  freeze2.rto_write_s = {5, 6, 8};
  auto freeze3 = a_round(4, 8, 3.0);
  freeze3.fault = "freeze";
  freeze3.rto_write_s = {7, 7, 7};
  boost::json::object o = report_json({}, {burn1, freeze1, freeze2, freeze3});
  const boost::json::object& faults = o.at("faults").as_object();
  ASSERT_EQ(faults.size(), 2u);  // only the faults that ran
  const boost::json::object& burn = faults.at("burn").as_object();
  EXPECT_EQ(burn.at("rounds").as_uint64(), 1u);
  EXPECT_EQ(burn.at("acked_lost_sum").as_int64(), 0);
  EXPECT_TRUE(burn.at("passed").as_bool());
  const boost::json::object& freeze = faults.at("freeze").as_object();
  EXPECT_EQ(freeze.at("rounds").as_uint64(), 3u);
  EXPECT_EQ(freeze.at("acked").as_int64(), 300);
  EXPECT_EQ(freeze.at("acked_lost_sum").as_int64(), 8);
  EXPECT_EQ(freeze.at("acked_lost_max").as_int64(), 5);
  EXPECT_EQ(freeze.at("gaps_max").as_int64(), 0);
  EXPECT_EQ(freeze.at("rto_write_s_p50").as_double(), 6);  // median of 6, 5, 7
  EXPECT_EQ(freeze.at("rto_write_s_max").as_double(), 14);
  EXPECT_FALSE(freeze.at("passed").as_bool());
  EXPECT_FALSE(o.at("passed").as_bool());
  EXPECT_EQ(o.at("fault_dc").as_string(), "dr2");
  EXPECT_EQ(o.at("fault").as_string(), "mixed");
}

TEST(DrillReportTest, TableNamesEachRoundsFault) {
  auto a = a_round(1, 9, 4.0);
  auto b = a_round(2, 9, 4.0);
  b.fault = "cut-standby";
  b.note = "the primary moved from dr1 to dr2";
  const std::string table = report_table({a, b});
  EXPECT_NE(table.find("cut-standby"), std::string::npos);
  EXPECT_NE(table.find("mixed"), std::string::npos);  // the summary line
  EXPECT_NE(table.find("moved from dr1"), std::string::npos);
  EXPECT_TRUE(summarize({a, b}).passed());  // a note is not a failure
}

TEST(DrillReportTest, ARoundWithAProblemFails) {
  auto r = a_round(1, 9, 4.0);
  r.problem = "burn dr2: exited with 1";
  EXPECT_FALSE(report_json({}, {r}).at("passed").as_bool());
  EXPECT_NE(report_table({r}).find("burn dr2"), std::string::npos);
}

}  // namespace
}  // namespace haetae::drill
