// `haetae cluster …` runs the cluster script with the same arguments and this binary as
// HAETAE_BIN; a missing script is a clear error. A stand-in script records what it got.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/tests/run_shell.h"

namespace haetae::cli {
namespace {

using testing::outcome;
using testing::run_shell;

class ClusterCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/haetae-cluster-cmd-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    script_ = dir_ + "/fake-cluster";
    std::ofstream(script_) << "#!/bin/sh\necho \"args:$*\"\necho \"bin:$HAETAE_BIN\"\nexit 3\n";
    std::filesystem::permissions(script_, std::filesystem::perms::owner_all);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string dir_;
  std::string script_;
};

TEST_F(ClusterCommandTest, RunsTheScriptWithTheSameArgumentsAndThisBinary) {
  auto o = run_shell("env -u HAETAE_BIN HAETAE_CLUSTER_SCRIPT=" + script_ + " " + HAETAE_BINARY +
                     " cluster role dc2");
  EXPECT_EQ(o.rc, 3) << o.out;  // the script's own exit code
  EXPECT_NE(o.out.find("args:role dc2\n"), std::string::npos) << o.out;
  std::string self = std::filesystem::canonical(HAETAE_BINARY).string();
  EXPECT_NE(o.out.find("bin:" + self + "\n"), std::string::npos) << o.out;
}

TEST_F(ClusterCommandTest, KeepsHaetaeBinFromTheEnvironment) {
  auto o = run_shell("HAETAE_BIN=/opt/other/haetae HAETAE_CLUSTER_SCRIPT=" + script_ + " " +
                     HAETAE_BINARY + " cluster up");
  EXPECT_EQ(o.rc, 3) << o.out;
  EXPECT_NE(o.out.find("bin:/opt/other/haetae\n"), std::string::npos) << o.out;
}

TEST_F(ClusterCommandTest, MissingScriptIsAClearError) {
  auto o = run_shell("HAETAE_CLUSTER_SCRIPT=" + dir_ + "/nothing-here " + HAETAE_BINARY +
                     " cluster status");
  EXPECT_EQ(o.rc, 1) << o.out;
  EXPECT_NE(o.out.find("no runnable cluster script at " + dir_ + "/nothing-here"),
            std::string::npos)
      << o.out;
}

}  // namespace
}  // namespace haetae::cli
