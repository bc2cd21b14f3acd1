// `haetae follow ROOM`: print the room's new events as they arrive, through the client library
// (push, sync on holes, catch-up after reconnects), each once and in seq order.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <unordered_map>

#include "cli/commands.h"
#include "cli/remote.h"
#include "client/http_client.h"
#include "client/session.h"
#include "proto/decode.h"

namespace haetae::cli {

namespace {
namespace asio = boost::asio;

// Every node the server knows of, so the session can fail over; just `server` if it cannot say.
std::vector<std::string> discover_nodes(const client::node_url& server) {
  auto r = client::http_get(server, "/api/nodes");
  std::vector<std::string> nodes;
  if (r && r->is_object()) {
    if (const auto* list = r->get_object().if_contains("nodes"); list && list->is_array()) {
      for (const auto& n : list->get_array()) {
        if (n.is_string()) nodes.emplace_back(n.get_string());
      }
    }
  }
  if (nodes.empty()) nodes.push_back(server.text);
  return nodes;
}
}  // namespace

int follow_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2);
  if (!a) return usage_error("follow", a.err().text());
  if (a->positional().size() != 1) return usage_error("follow", "expected one ROOM");
  auto room = parse_room_id(a->positional()[0]);
  if (!room) return usage_error("follow", room.err().text());
  auto count = a->number("count", 0, 0, 1'000'000'000);
  auto seconds = a->number("seconds", 0, 0, 1'000'000'000);
  auto from = a->number("from", -1, 0, INT64_MAX);
  if (!count) return usage_error("follow", count.err().text());
  if (!seconds) return usage_error("follow", seconds.err().text());
  if (!from) return usage_error("follow", from.err().text());
  auto s = current_session(*a);
  if (!s) return report_error(s.err());
  auto server = client::node_url::parse(s->server);
  if (!server) return report_error(server.err());

  auto info = client::http_call(*server, "rooms.get", {{"room_id", room->value}}, s->token);
  if (!info) return report_error(info.err());
  auto summary = proto::decode_room(info->at("room"));
  if (!summary) return report_error(summary.err());
  std::unordered_map<std::int64_t, std::string> names;
  for (const auto& m : summary->members) names[m.id.value] = m.name;
  auto name_of = [&](user_id u) {
    auto it = names.find(u.value);
    return it != names.end() ? it->second : "user " + std::to_string(u.value);
  };

  asio::io_context io;
  client::session_options opts;
  opts.nodes = discover_nodes(*server);
  opts.token = s->token;
  opts.only_rooms = {*room};
  opts.change_cursor = *from >= 0 ? 0 : summary->change;
  client::session_handlers h;
  long long printed = 0;
  int exit_code = 0;
  client::session* sess = nullptr;
  h.on_event = [&](const store::room_event& e) {
    switch (e.kind) {
      case store::event_kind::message:
        std::printf("[%lld] %s: %s\n", static_cast<long long>(e.seq), name_of(e.sender).c_str(),
                    e.body.c_str());
        break;
      case store::event_kind::created:
        std::printf("[%lld] %s created the room\n", static_cast<long long>(e.seq),
                    name_of(e.sender).c_str());
        break;
      case store::event_kind::joined:
        std::printf("[%lld] %s joined\n", static_cast<long long>(e.seq),
                    name_of(e.subject).c_str());
        break;
      case store::event_kind::left:
        std::printf("[%lld] %s left\n", static_cast<long long>(e.seq), name_of(e.subject).c_str());
        break;
    }
    std::fflush(stdout);
    if (*count > 0 && ++printed >= *count) {
      sess->stop();
      io.stop();
    }
  };
  h.on_disconnected = [&](const error& why) {
    std::fprintf(stderr, "haetae follow: disconnected: %.*s; reconnecting\n",
                 static_cast<int>(why.text().size()), why.text().data());
    if (why.code == errc::unauthorized) {
      exit_code = report_error(why);
      io.stop();
    }
  };
  client::session follow_session(io, std::move(opts), std::move(h));
  sess = &follow_session;
  follow_session.set_cursor(*room, *from >= 0 ? *from : summary->last_seq);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (!ec) io.stop();
  });
  asio::steady_timer deadline(io);
  if (*seconds > 0) {
    deadline.expires_after(std::chrono::seconds(*seconds));
    deadline.async_wait([&](boost::system::error_code ec) {
      if (!ec) io.stop();
    });
  }
  follow_session.start();
  io.run();
  follow_session.stop();
  return exit_code;
}

}  // namespace haetae::cli
