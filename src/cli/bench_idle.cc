#include "cli/bench_idle.h"

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "client/account.h"
#include "client/ws_connection.h"

namespace haetae::cli {

namespace {
using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;
}  // namespace

result<idle_report> run_idle(const std::string& server, int n,
                             const std::function<long long()>& rss_kib) {
  auto node = client::node_url::parse(server);
  if (!node) return node.err();
  std::random_device rd;
  const std::string name = "idle" + std::to_string(rd() % 100000000);
  auto u = client::signup(*node, name, "bench-password");
  if (!u) return u.err();
  std::vector<std::string> tokens;
  tokens.reserve(n);
  for (int i = 0; i < n; ++i) {
    auto in = client::login(*node, name, "bench-password", "idle");
    if (!in) return make_error(in.code(), "login: " + std::string(in.err().text()));
    tokens.push_back(std::move(in->token));
  }

  idle_report rep;
  rep.connections = n;
  std::this_thread::sleep_for(1s);  // let the logins' garbage settle
  rep.rss_before_kib = rss_kib();

  boost::asio::io_context io;
  std::vector<std::shared_ptr<client::ws_connection>> sockets;
  sockets.reserve(n);
  int opening = 0, opened = 0, failed = 0, next = 0;
  constexpr int max_opening = 128;
  std::string first_error;
  auto deadline = steady::now() + 180s;
  while ((opened + failed < n) && steady::now() < deadline) {
    while (next < n && opening < max_opening) {
      auto c = client::ws_connection::create(io, {});
      sockets.push_back(c);
      ++opening;
      c->open(*node, tokens[next++], 30s, [&](result<client::auth_info> r) {
        --opening;
        if (r) {
          ++opened;
        } else {
          if (first_error.empty()) first_error = std::string(r.err().text());
          ++failed;
        }
      });
    }
    io.run_for(5ms);
  }
  if (failed > 0 || opened < n) {
    for (auto& s : sockets) s->close();
    io.run_for(200ms);
    return make_error(errc::store_unavailable, std::to_string(opened) + " of " + std::to_string(n) +
                                                   " sockets opened; " + first_error);
  }
  // Idle for a moment (keep-alive pings flow), then measure.
  auto settle = steady::now() + 2s;
  while (steady::now() < settle) io.run_for(50ms);
  rep.rss_after_kib = rss_kib();
  rep.kib_per_connection =
      static_cast<double>(rep.rss_after_kib - rep.rss_before_kib) / static_cast<double>(n);
  for (auto& s : sockets) s->close();
  io.run_for(200ms);
  return rep;
}

}  // namespace haetae::cli
