#include "node/serve_command.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "node/node.h"

namespace haetae::node {

namespace {

constexpr std::string_view usage =
    "usage: haetae serve [--data DIR | --postgres CONNINFO [--postgres-local CONNINFO]]\n"
    "                    [--listen HOST:PORT] [--port-file FILE] [--node-url URL]...\n"
    "                    [--web DIR] [--allow-origin URL]... [--fast-password-hashing]\n"
    "  --data DIR               where the SQLite store lives (default ./haetae-data)\n"
    "  --postgres CONNINFO      use PostgreSQL (libpq connection string) instead of SQLite;\n"
    "                           in a cluster a multi-host string with\n"
    "                           target_session_attrs=read-write\n"
    "  --postgres-local CONNINFO  this data center's own PostgreSQL (any role): reads go\n"
    "                           there while no primary answers\n"
    "  --postgres-without-standby  accept a PostgreSQL with no synchronous standby (tests\n"
    "                           and development only: a failover could lose acknowledged\n"
    "                           messages)\n"
    "  --node-url URL           a node of this cluster, listed by /api/nodes (repeat)\n"
    "  --stall-after MS         a write unanswered this long: not ready, close sockets\n"
    "                           (default 5000)\n"
    "  --listen HOST:PORT       address to serve on; port 0 picks a free port\n"
    "                           (default 127.0.0.1:8080)\n"
    "  --port-file FILE         write the bound port to FILE once listening\n"
    "  --web DIR                the built web client to serve at / (default: this\n"
    "                           checkout's web/dist)\n"
    "  --allow-origin URL       another origin whose pages may open a WebSocket here\n"
    "  --fast-password-hashing  argon2id at minimum cost (tests and benchmarks only)\n";

struct serve_flags {
  node_options node;
  std::string port_file;
};

// "HOST:PORT" or "[V6]:PORT".
bool parse_listen(std::string_view s, node_options& out) {
  auto colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host = s.substr(0, colon);
  std::string_view port = s.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || port.empty() || port.size() > 5) return false;
  unsigned value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return false;
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(value);
  return true;
}

std::optional<serve_flags> parse_flags(int argc, char** argv, std::string& problem) {
  serve_flags f;
  f.node.data_dir = "./haetae-data";
  f.node.web_dir = HAETAE_DEFAULT_WEB_DIR;  // this checkout's web/dist (src/CMakeLists.txt)
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string_view name) -> std::optional<std::string> {
      if (i + 1 >= argc) {
        problem = std::string(name) + " needs a value";
        return std::nullopt;
      }
      return std::string(argv[++i]);
    };
    if (a == "--data") {
      auto v = value(a);
      if (!v) return std::nullopt;
      f.node.data_dir = *v;
    } else if (a == "--listen") {
      auto v = value(a);
      if (!v) return std::nullopt;
      if (!parse_listen(*v, f.node)) {
        problem = "--listen wants HOST:PORT, got " + *v;
        return std::nullopt;
      }
    } else if (a == "--port-file") {
      auto v = value(a);
      if (!v) return std::nullopt;
      f.port_file = *v;
    } else if (a == "--postgres") {
      auto v = value(a);
      if (!v) return std::nullopt;
      f.node.postgres = *v;
    } else if (a == "--postgres-local") {
      auto v = value(a);
      if (!v) return std::nullopt;
      f.node.postgres_local = *v;
    } else if (a == "--postgres-without-standby") {
      f.node.postgres_without_standby = true;
    } else if (a == "--node-url") {
      auto v = value(a);
      if (!v) return std::nullopt;
      if (!v->starts_with("http://") && !v->starts_with("https://")) {
        problem = "--node-url wants an http:// or https:// URL, got " + *v;
        return std::nullopt;
      }
      f.node.node_urls.push_back(*v);
    } else if (a == "--stall-after") {
      auto v = value(a);
      if (!v) return std::nullopt;
      int ms = 0;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), ms);
      if (ec != std::errc() || end != v->data() + v->size() || ms < 100 || ms > 600000) {
        problem = "--stall-after wants milliseconds from 100 to 600000, got " + *v;
        return std::nullopt;
      }
      f.node.stall_after_ms = ms;
    } else if (a == "--web") {
      auto v = value(a);
      if (!v) return std::nullopt;
      f.node.web_dir = *v;
    } else if (a == "--allow-origin") {
      auto v = value(a);
      if (!v) return std::nullopt;
      f.node.allowed_origins.push_back(*v);
    } else if (a == "--fast-password-hashing") {
      f.node.fast_password_hashing = true;
    } else {
      problem = "unknown flag " + std::string(a);
      return std::nullopt;
    }
  }
  if (!f.node.postgres_local.empty() && f.node.postgres.empty()) {
    problem = "--postgres-local needs --postgres";
    return std::nullopt;
  }
  if (f.node.data_dir.empty()) {
    problem = "--data must not be empty";
    return std::nullopt;
  }
  return f;
}

// Written beside and renamed, so a reader never sees half a number.
bool write_port_file(const std::string& path, std::uint16_t port) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << '\n';
    if (!out.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int serve_main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    }
  }
  std::string problem;
  auto flags = parse_flags(argc, argv, problem);
  if (!flags) {
    std::cerr << "haetae serve: " << problem << "\n" << usage;
    return 2;
  }

  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait below sees them.
  // A client that goes away must never kill the node (Asio already sends with MSG_NOSIGNAL).
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto n = node::start(flags->node);
  if (!n) {
    spdlog::error("cannot start: {}", n.err().text());
    std::cerr << "haetae serve: " << n.err().text() << "\n";
    return 1;
  }
  auto& running = *n;
  if (!flags->port_file.empty() && !write_port_file(flags->port_file, running->port())) {
    std::cerr << "haetae serve: cannot write the port file " << flags->port_file << "\n";
    running->stop();
    return 1;
  }
  std::cout << "haetae serving on " << running->url() << std::endl;
  spdlog::info("serving on {}", running->url());
  if (flags->node.postgres.empty()) spdlog::info("data in {}", flags->node.data_dir);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("signal {}: stopping", sig);
  running->stop();
  return 0;
}

}  // namespace haetae::node
