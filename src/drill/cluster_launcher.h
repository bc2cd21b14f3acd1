#pragma once
// The three-data-center cluster, as the drill sees it: the `cluster/haetae-cluster` script
// (docs/cluster.md) run with this drill's own names (prefix, bridge, network, run dir), so a
// cluster someone else runs is never touched. Every call is bounded in time.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace haetae::drill {

struct cluster_names {
  std::string prefix = "dr";  // data centers dr1 dr2 dr3
  std::string bridge = "drbr0";
  std::string net = "198.18.2";  // first three octets
  std::string dir;               // run directory, e.g. /tmp/haetae-drill-<pid>
};

struct launcher_options {
  std::string script;     // path of haetae-cluster
  std::string binary;     // the haetae the nodes run (HAETAE_BIN)
  std::string node_args;  // HAETAE_NODE_ARGS, e.g. --fast-password-hashing
  cluster_names names;
  bool echo = true;  // print what up/burn/restore/down say
};

// $HAETAE_CLUSTER_SCRIPT, else cluster/haetae-cluster of the source tree this was built from.
std::string default_cluster_script();

class cluster_launcher {
 public:
  explicit cluster_launcher(launcher_options options);

  // The data center called `dc` by the user ("dc2", "2", or with this cluster's prefix), as
  // this cluster names it ("dr2"); errc::invalid_field if it is none of the three.
  result<std::string> dc_name(const std::string& dc) const;
  int dc_number(const std::string& name) const;  // "dr2" -> 2; 0 if not ours

  status up();
  status down();
  result<std::vector<std::string>> nodes() const;  // one URL per data center, in order
  result<std::string> primary() const;             // the data center holding the primary
  status burn(const std::string& dc);
  status restore(const std::string& dc);
  status freeze(const std::string& dc);                // SIGSTOP every process of the DC
  status thaw(const std::string& dc);                  // SIGCONT them
  status cut(const std::string& dc);                   // drop every packet of the DC's link
  status heal(const std::string& dc);                  // pass them again
  result<std::string> sync_standby() const;            // the DC Patroni names synchronous standby
  result<bool> rejoined(const std::string& dc) const;  // back as a streaming replica, ~0 lag
  void print_status() const;  // `status`, echoed: what a failed round leaves to read

  const launcher_options& options() const { return options_; }

 private:
  result<std::string> run(const std::vector<std::string>& args, std::chrono::seconds timeout,
                          bool echo) const;
  // One fault command on one data center, echoed, bounded by `timeout`.
  status act(const char* command, const std::string& dc, std::chrono::seconds timeout);

  launcher_options options_;
  std::map<std::string, std::string> env_;
};

}  // namespace haetae::drill
