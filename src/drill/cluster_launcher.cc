#include "drill/cluster_launcher.h"

#include <cstdlib>
#include <sstream>

#include "drill/subprocess.h"

namespace haetae::drill {

namespace {
using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}
}  // namespace

std::string default_cluster_script() {
  if (const char* env = std::getenv("HAETAE_CLUSTER_SCRIPT"); env != nullptr && *env != 0) {
    return env;
  }
  return HAETAE_DEFAULT_CLUSTER_SCRIPT;
}

cluster_launcher::cluster_launcher(launcher_options options) : options_(std::move(options)) {
  env_ = {{"HAETAE_BIN", options_.binary},
          {"HAETAE_NODE_ARGS", options_.node_args},
          {"HAETAE_CLUSTER_PREFIX", options_.names.prefix},
          {"HAETAE_CLUSTER_BRIDGE", options_.names.bridge},
          {"HAETAE_CLUSTER_NET", options_.names.net},
          {"HAETAE_CLUSTER_DIR", options_.names.dir}};
}

result<std::string> cluster_launcher::dc_name(const std::string& dc) const {
  std::string digits = dc;
  for (const std::string& p : {options_.names.prefix, std::string("dc")}) {
    if (digits.rfind(p, 0) == 0) {
      digits = digits.substr(p.size());
      break;
    }
  }
  if (digits == "1" || digits == "2" || digits == "3") return options_.names.prefix + digits;
  return make_error(errc::invalid_field, "unknown data center '" + dc + "' (dc1, dc2 or dc3)");
}

int cluster_launcher::dc_number(const std::string& name) const {
  auto n = dc_name(name);
  return n ? n->back() - '0' : 0;
}

result<std::string> cluster_launcher::run(const std::vector<std::string>& args,
                                          std::chrono::seconds timeout, bool echo) const {
  std::vector<std::string> argv{options_.script};
  argv.insert(argv.end(), args.begin(), args.end());
  process_options po;
  po.env = env_;
  po.timeout = timeout;
  if (echo && options_.echo) po.echo_prefix = "  cluster| ";
  auto r = run_process(argv, po);
  if (!r) return r.err();
  if (r->exit_code != 0) {
    return make_error(errc::store_unavailable, "haetae-cluster " + args.front() + " exited with " +
                                                   std::to_string(r->exit_code));
  }
  return std::move(r->out);
}

status cluster_launcher::up() {
  auto r = run({"up"}, 300s, true);
  if (!r) return r.err();
  return ok_status();
}

status cluster_launcher::down() {
  auto r = run({"down"}, 120s, true);
  if (!r) return r.err();
  return ok_status();
}

result<std::vector<std::string>> cluster_launcher::nodes() const {
  auto r = run({"nodes"}, 30s, false);
  if (!r) return r.err();
  std::vector<std::string> urls;
  for (const std::string& line : lines_of(*r)) {
    if (line.rfind("http://", 0) == 0 || line.rfind("https://", 0) == 0) urls.push_back(line);
  }
  if (urls.size() != 3) {
    return make_error(errc::store_unavailable, "haetae-cluster nodes listed " +
                                                   std::to_string(urls.size()) + " URLs, not 3");
  }
  return urls;
}

result<std::string> cluster_launcher::primary() const {
  auto r = run({"primary"}, 30s, false);
  if (!r) return r.err();
  for (const std::string& line : lines_of(*r)) {
    if (auto name = dc_name(line)) return *name;
  }
  return make_error(errc::store_unavailable, "haetae-cluster primary printed no data center");
}

status cluster_launcher::act(const char* command, const std::string& dc,
                             std::chrono::seconds timeout) {
  auto r = run({command, dc}, timeout, true);
  if (!r) return r.err();
  return ok_status();
}

status cluster_launcher::burn(const std::string& dc) { return act("burn", dc, 60s); }

status cluster_launcher::restore(const std::string& dc) { return act("restore", dc, 120s); }

status cluster_launcher::freeze(const std::string& dc) { return act("freeze", dc, 30s); }

status cluster_launcher::thaw(const std::string& dc) { return act("thaw", dc, 30s); }

status cluster_launcher::cut(const std::string& dc) { return act("cut", dc, 30s); }

status cluster_launcher::heal(const std::string& dc) { return act("heal", dc, 30s); }

result<std::string> cluster_launcher::sync_standby() const {
  auto r = run({"sync-standby"}, 30s, false);
  if (!r) return r.err();
  for (const std::string& line : lines_of(*r)) {
    if (auto name = dc_name(line)) return *name;
  }
  return make_error(errc::store_unavailable, "haetae-cluster sync-standby printed no data center");
}

void cluster_launcher::print_status() const { (void)run({"status"}, 30s, true); }

result<bool> cluster_launcher::rejoined(const std::string& dc) const {
  std::vector<std::string> argv{options_.script, "rejoined", dc};
  process_options po;
  po.env = env_;
  po.timeout = 30s;
  auto r = run_process(argv, po);
  if (!r) return r.err();
  return r->exit_code == 0;
}

}  // namespace haetae::drill
