#include "drill/cluster_launcher.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "drill/subprocess.h"

namespace haetae::drill {
namespace {

using namespace std::chrono_literals;

// A stand-in for cluster/haetae-cluster that answers from the names it is given.
class FakeClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("haetae-launcher-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    script_ = (dir_ / "fake-cluster").string();
    std::ofstream(script_) << R"sh(#!/bin/sh
case "$1" in
  nodes) echo "http://$HAETAE_CLUSTER_NET.11:8080"; echo "http://$HAETAE_CLUSTER_NET.12:8080"
         echo "http://$HAETAE_CLUSTER_NET.13:8080" ;;
  primary) echo "${HAETAE_CLUSTER_PREFIX}2" ;;
  rejoined) [ "$2" = "${HAETAE_CLUSTER_PREFIX}1" ] ;;
  burn) echo "burnt $2 (bin $HAETAE_BIN, args $HAETAE_NODE_ARGS)" ;;
  sync-standby) echo "${HAETAE_CLUSTER_PREFIX}3" ;;
  freeze|thaw|cut|heal) [ "$2" = "${HAETAE_CLUSTER_PREFIX}2" ] ;;
  *) exit 2 ;;
esac
)sh";
    ::chmod(script_.c_str(), 0755);
    options_.script = script_;
    options_.binary = "/bin/haetae-test";
    options_.node_args = "--fast-password-hashing";
    options_.names = {"zz", "zzbr0", "198.18.9", (dir_ / "run").string()};
    options_.echo = false;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string script_;
  launcher_options options_;
};

TEST_F(FakeClusterTest, NamesDataCentersWithItsOwnPrefix) {
  cluster_launcher c(options_);
  EXPECT_EQ(*c.dc_name("dc2"), "zz2");
  EXPECT_EQ(*c.dc_name("3"), "zz3");
  EXPECT_EQ(*c.dc_name("zz1"), "zz1");
  EXPECT_FALSE(c.dc_name("dc4"));
  EXPECT_FALSE(c.dc_name("primary"));
}

TEST_F(FakeClusterTest, PassesItsNamesToTheScript) {
  cluster_launcher c(options_);
  auto nodes = c.nodes();
  ASSERT_TRUE(nodes) << nodes.err().text();
  EXPECT_EQ((*nodes)[0], "http://198.18.9.11:8080");
  EXPECT_EQ(*c.primary(), "zz2");
  EXPECT_TRUE(*c.rejoined("zz1"));
  EXPECT_FALSE(*c.rejoined("zz3"));
  EXPECT_TRUE(c.burn("zz2"));
}

TEST_F(FakeClusterTest, FreezesThawsCutsAndHealsTheDataCenterItNames) {
  cluster_launcher c(options_);
  EXPECT_EQ(*c.sync_standby(), "zz3");
  EXPECT_TRUE(c.freeze("zz2"));
  EXPECT_TRUE(c.thaw("zz2"));
  EXPECT_TRUE(c.cut("zz2"));
  EXPECT_TRUE(c.heal("zz2"));
  EXPECT_FALSE(c.freeze("zz1"));  // the script's exit status is the call's verdict
  EXPECT_FALSE(c.heal("zz1"));
}

TEST_F(FakeClusterTest, UnknownCommandIsAnError) {
  cluster_launcher c(options_);
  EXPECT_FALSE(c.up());
}

TEST(SubprocessTest, CollectsOutputAndExitCode) {
  process_options o;
  o.env = {{"DRILL_TEST_WORD", "hello"}};
  auto r = run_process({"/bin/sh", "-c", "echo $DRILL_TEST_WORD; exit 3"}, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->out, "hello\n");
  EXPECT_EQ(r->exit_code, 3);
}

TEST(SubprocessTest, KillsWhatRunsPastItsTimeLimit) {
  process_options o;
  o.timeout = 300ms;
  auto r = run_process({"/bin/sh", "-c", "sleep 30"}, o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.err().text().find("no end within the time limit; killed"), std::string_view::npos)
      << r.err().text();
}

// The child holds the output pipe for 30 s, longer than the 20 s limit: had run_process waited
// for the pipe to close, it would have failed with the time limit.
TEST(SubprocessTest, ABackgroundChildHoldingTheOutputDoesNotHoldUsUp) {
  process_options o;
  o.timeout = 20s;
  auto r = run_process({"/bin/sh", "-c", "sleep 30 & echo $!"}, o);
  ASSERT_TRUE(r) << r.err().text();
  // The output is the background child's pid: stop it.
  pid_t child = static_cast<pid_t>(std::stol(r->out));
  ASSERT_GT(child, 1);
  EXPECT_EQ(::kill(child, SIGKILL), 0);
}

}  // namespace
}  // namespace haetae::drill
