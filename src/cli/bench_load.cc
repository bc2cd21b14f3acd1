#include "cli/bench_load.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <set>
#include <unordered_set>
#include <vector>

#include "client/account.h"
#include "client/run_until.h"
#include "client/session.h"
#include "proto/decode.h"

namespace haetae::cli {

namespace {
namespace asio = boost::asio;
namespace json = boost::json;
using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;
using client::run_until;

std::int64_t now_ns() { return steady::now().time_since_epoch().count(); }
double secs(steady::duration d) { return std::chrono::duration<double>(d).count(); }

struct bench_room {
  room_id id;
  int members = 2;
};

struct bench_client {
  std::string name;
  std::string token;
  user_id user;
  std::unique_ptr<client::session> session;
  std::vector<bench_room> direct;
  std::vector<bench_room> groups;
  std::set<room_id> seen_rooms;
};

double percentile(std::vector<std::int64_t>& v, double p) {
  if (v.empty()) return 0;
  std::size_t k =
      std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]) / 1e6;
}

}  // namespace

result<load_report> run_load(const load_options& o, const std::function<long long()>& rss_kib) {
  auto node = client::node_url::parse(o.server);
  if (!node) return node.err();
  const int n = o.clients;
  std::mt19937_64 rng(o.seed);
  char run_id[9];
  std::snprintf(run_id, sizeof run_id, "%08x", static_cast<unsigned>(rng() ^ now_ns()));

  asio::io_context io;  // declared first: the sessions must die before it
  // 1. accounts: one device each.
  std::vector<bench_client> clients(n);
  for (int i = 0; i < n; ++i) {
    bench_client& c = clients[i];
    c.name = "b" + std::string(run_id) + "_" + std::to_string(i);
    auto u = client::signup(*node, c.name, "bench-password");
    if (!u) return make_error(u.code(), "signup " + c.name + ": " + std::string(u.err().text()));
    auto in = client::login(*node, c.name, "bench-password", "bench");
    if (!in) return make_error(in.code(), "login " + c.name + ": " + std::string(in.err().text()));
    c.token = in->token;
    c.user = in->user.id;
  }

  // 2. sessions, all on this thread.
  load_report rep;
  bool measuring = false;
  bool sending = false;
  long long sent_total = 0;
  std::int64_t warm_end_ns = 0;
  steady::time_point last_ack{}, last_delivery{};
  std::vector<std::int64_t> latencies;
  latencies.reserve(1 << 20);
  // Arrivals per (device, room, seq) are unique by construction of the session; count any repeat.
  std::vector<std::unordered_set<std::int64_t>> arrivals(n);
  std::function<void(int)> send_one;

  for (int i = 0; i < n; ++i) {
    client::session_options so;
    so.nodes = {node->text};
    so.token = clients[i].token;
    so.outbox.ack_timeout = 30s;    // a saturated server is slow, not gone
    so.outbox.max_in_flight = 512;  // the server allows 1,000 pending requests per socket
    so.request_timeout = 60s;
    so.seed = o.seed * 1000003 + static_cast<std::uint64_t>(i) + 1;
    client::session_handlers h;
    h.on_event = [&, i](const store::room_event& e) {
      if (e.kind != store::event_kind::message || e.sender == clients[i].user) return;
      // body: "b <send ns> m|w"
      if (e.body.size() < 4 || e.body.back() != 'm') return;
      std::int64_t sent_ns = std::strtoll(e.body.c_str() + 2, nullptr, 10);
      if (!arrivals[i].insert(e.room.value * 1'000'000'000LL + e.seq).second) {
        ++rep.duplicates;
        return;
      }
      ++rep.delivered;
      last_delivery = steady::now();
      latencies.push_back(now_ns() - sent_ns);
    };
    h.on_ack = [&, i](const client::outbox_entry& e, const store::send_ack&) {
      if (!e.body.empty() && e.body.back() == 'm') {
        ++rep.acked;
        last_ack = steady::now();
      }
      if (sending && o.rate <= 0) send_one(i);
    };
    h.on_send_failed = [&](const client::failed_send& f) {
      ++rep.failed;
      if (rep.failed <= 5) {
        std::fprintf(stderr, "bench: send failed: %.*s\n", static_cast<int>(f.why.text().size()),
                     f.why.text().data());
      }
    };
    h.on_disconnected = [&](const error&) { ++rep.disconnects; };
    clients[i].session = std::make_unique<client::session>(io, std::move(so), std::move(h));
    clients[i].session->start();
  }
  if (!run_until(io, 120s, [&] {
        return std::all_of(clients.begin(), clients.end(),
                           [](const bench_client& c) { return c.session->caught_up(); });
      })) {
    return make_error(errc::store_unavailable, "not every client could connect within 120 s");
  }

  // 3. rooms: each client opens 1:1 rooms with the next `partners` clients; groups of
  // group_size consecutive clients in mixed mode.
  const int partners = std::max(1, std::min(o.partners, (n - 1) / 2));
  long long pending = 0;
  long long setup_errors = 0;
  auto add_room = [&](int i, room_id room, int members, bool group) {
    if (!clients[i].seen_rooms.insert(room).second) return;
    (group ? clients[i].groups : clients[i].direct).push_back({room, members});
  };
  for (int i = 0; i < n && n > 1; ++i) {
    for (int k = 1; k <= partners; ++k) {
      const int j = (i + k) % n;
      ++pending;
      clients[i].session->call(
          "rooms.direct", {{"name", clients[j].name}}, [&, i, j](result<json::object> r) {
            --pending;
            auto room =
                r ? proto::decode_room(r->at("room")) : result<store::room_summary>(r.err());
            if (!room) {
              ++setup_errors;
              return;
            }
            add_room(i, room->id, 2, false);
            add_room(j, room->id, 2, false);
          });
    }
  }
  if (o.mixed) {
    for (int g = 0; g * o.group_size < n; ++g) {
      const int first = g * o.group_size;
      const int last = std::min(n, first + o.group_size);
      if (last - first < 2) break;
      json::array members;
      for (int j = first + 1; j < last; ++j) members.emplace_back(clients[j].name);
      ++pending;
      clients[first].session->call(
          "rooms.create",
          {{"client_id", "bench-" + std::string(run_id) + "-g" + std::to_string(g)},
           {"title", "bench group " + std::to_string(g)},
           {"members", std::move(members)}},
          [&, first, last](result<json::object> r) {
            --pending;
            auto room =
                r ? proto::decode_room(r->at("room")) : result<store::room_summary>(r.err());
            if (!room) {
              ++setup_errors;
              return;
            }
            for (int j = first; j < last; ++j) add_room(j, room->id, last - first, true);
          });
    }
  }
  if (!run_until(io, 120s, [&] { return pending == 0; }) || setup_errors > 0) {
    return make_error(errc::store_unavailable,
                      "room set-up failed (" + std::to_string(setup_errors) + " errors)");
  }
  std::set<room_id> all_rooms;
  for (auto& c : clients) all_rooms.insert(c.seen_rooms.begin(), c.seen_rooms.end());
  rep.rooms = static_cast<long long>(all_rooms.size());

  // 4. load.
  send_one = [&](int i) {
    bench_client& c = clients[i];
    const bench_room* room = nullptr;
    const bool use_group = o.mixed && !c.groups.empty() && (rng() & 1) != 0;
    const auto& pool = use_group ? c.groups : c.direct;
    if (pool.empty()) return;
    room = &pool[rng() % pool.size()];
    const std::int64_t t = now_ns();
    const bool measured = t >= warm_end_ns;
    if (measured) {
      if (!measuring) return;
      ++rep.sent;
      rep.expected += room->members - 1;
      if (o.messages > 0 && rep.sent >= o.messages) sending = false;
    }
    ++sent_total;
    c.session->send(room->id, "b " + std::to_string(t) + (measured ? " m" : " w"));
  };

  const auto start = steady::now();
  const auto warm_end =
      start + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.warmup));
  warm_end_ns = warm_end.time_since_epoch().count();
  const auto stop_at = o.messages > 0 ? warm_end + 600s
                                      : warm_end + std::chrono::duration_cast<steady::duration>(
                                                       std::chrono::duration<double>(o.seconds));
  sending = true;
  measuring = true;
  if (o.rate <= 0) {
    for (int i = 0; i < n; ++i) {
      for (int w = 0; w < o.window; ++w) send_one(i);
    }
  }
  auto last_rss = steady::now();
  auto sample_rss = [&] {
    if (steady::now() - last_rss < 500ms) return;
    last_rss = steady::now();
    rep.server_rss_kib = std::max(rep.server_rss_kib, rss_kib());
  };
  std::uniform_int_distribution<int> pick(0, n - 1);
  run_until(io, stop_at - start + 1s, [&] {
    const auto now = steady::now();
    if (o.rate > 0 && sending) {
      const auto target = static_cast<long long>(o.rate * secs(now - start));
      for (int guard = 0; sent_total < target && sending && guard < 100000; ++guard) {
        send_one(pick(rng));
      }
    }
    sample_rss();
    if (now >= stop_at) sending = false;
    return !sending;
  });
  sending = false;
  // Drain: every measured message acknowledged and arrived, or a bounded wait.
  run_until(io, 60s, [&] {
    sample_rss();
    return rep.acked >= rep.sent && rep.delivered + rep.duplicates >= rep.expected;
  });
  rep.server_rss_kib = std::max(rep.server_rss_kib, rss_kib());

  rep.measured_s = secs(std::max(last_ack, last_delivery) - warm_end);
  if (rep.acked > 0) rep.acked_per_s = static_cast<double>(rep.acked) / secs(last_ack - warm_end);
  if (rep.delivered > 0) {
    rep.delivered_per_s = static_cast<double>(rep.delivered) / secs(last_delivery - warm_end);
  }
  rep.p50_ms = percentile(latencies, 0.50);
  rep.p99_ms = percentile(latencies, 0.99);
  if (!latencies.empty()) {
    rep.max_ms = static_cast<double>(*std::max_element(latencies.begin(), latencies.end())) / 1e6;
  }

  for (auto& c : clients) c.session->stop();
  io.run_for(200ms);
  return rep;
}

}  // namespace haetae::cli
