#include "drill/workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <random>
#include <thread>
#include <unordered_map>

#include "client/account.h"
#include "client/outbox.h"
#include "client/run_until.h"
#include "client/session.h"
#include "proto/decode.h"
#include "proto/limits.h"

namespace haetae::drill {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view password = "drill-password";
constexpr std::size_t max_logged_errors = 5;
constexpr auto final_read_retry = 300ms;

struct drill_client {
  std::string name;
  std::string token;
  int home = 0;
  std::unique_ptr<client::session> session;
  std::vector<room_id> rooms;
  client_log log;
  long long sent = 0;
  double phase = 0;  // spreads the clients' sends over each second
  bool probing = false;
  steady::time_point next_probe{};
  std::size_t next_probe_room = 0;

  void note_error(std::string what) {
    if (log.errors.size() < max_logged_errors) log.errors.push_back(std::move(what));
  }
  void note_refusal(const error& e) {
    if (e.code == errc::unauthorized) log.forced_relogins = 1;
  }
};

// One room's final read by one client, page by page.
struct final_read {
  drill_client* client = nullptr;
  room_id room;
  seq_no after = 0;
  std::vector<store::room_event> events;
  bool in_flight = false;
  bool done = false;
  steady::time_point not_before{};
};

}  // namespace

struct workload::impl {
  explicit impl(workload_options o) : options(std::move(o)), rng(options.seed) {}

  asio::io_context io;  // first: outlives the sessions and their handlers
  workload_options options;
  std::vector<std::unique_ptr<drill_client>> clients;  // stable addresses for the handlers
  std::unordered_map<user_id, drill_client*> by_user;
  std::map<room_id, seq_no> highest_acked;
  std::mt19937_64 rng;
  bool sending = false;
  steady::time_point send_start{};

  void start_session(drill_client& c) {
    client::session_options so;
    so.nodes = {options.nodes[static_cast<std::size_t>(c.home)]};
    for (std::size_t k = 1; k < options.nodes.size(); ++k) {
      so.nodes.push_back(
          options.nodes[(static_cast<std::size_t>(c.home) + k) % options.nodes.size()]);
    }
    so.token = c.token;
    so.seed = rng();
    client::session_handlers h;
    drill_client* cp = &c;
    h.on_event = [cp](const store::room_event& e) { cp->log.shown.push_back({e, steady::now()}); };
    h.on_ack = [this, cp](const client::outbox_entry& e, const store::send_ack& ack) {
      cp->log.acks.push_back({e.client_id, ack.room, ack.seq, steady::now()});
      seq_no& high = highest_acked[ack.room];
      high = std::max(high, ack.seq);
    };
    h.on_send_failed = [cp](const client::failed_send& f) {
      ++cp->log.failed_sends;
      cp->note_refusal(f.why);
      cp->note_error("send failed: " + std::string(f.why.text()));
    };
    h.on_disconnected = [cp](const error& why) {
      ++cp->log.disconnects;
      cp->note_refusal(why);
    };
    c.session = std::make_unique<client::session>(io, std::move(so), std::move(h));
    c.session->start();
  }

  void send_due(steady::time_point now) {
    const double elapsed = std::chrono::duration<double>(now - send_start).count();
    for (auto& cp : clients) {
      drill_client& c = *cp;
      if (c.rooms.empty()) continue;
      const auto target = std::min(options.max_sends_per_client,
                                   static_cast<long long>(options.rate * elapsed + c.phase));
      while (c.sent < target) {
        const room_id room = c.rooms[rng() % c.rooms.size()];
        std::string body = fmt::format("drill {} {}", c.name, c.sent);
        std::string id = c.session->send(room, body);
        c.log.sends.push_back({std::move(id), room, std::move(body), now});
        ++c.sent;
      }
    }
  }

  void probe_due(steady::time_point now) {
    for (auto& cp : clients) {
      drill_client& c = *cp;
      if (c.probing || c.rooms.empty() || now < c.next_probe) continue;
      c.probing = true;
      const room_id room = c.rooms[c.next_probe_room++ % c.rooms.size()];
      const std::size_t index = c.log.reads.size();
      c.log.reads.push_back({now, {}, false});
      drill_client* p = &c;
      c.session->call("history", {{"room_id", room.value}, {"limit", 1}},
                      [this, p, index](result<json::object> r) {
                        const auto at = steady::now();
                        if (index < p->log.reads.size()) {  // finish() may have taken the log
                          p->log.reads[index].finished = at;
                          p->log.reads[index].ok = r.ok();
                        }
                        if (!r) p->note_refusal(r.err());
                        p->probing = false;
                        p->next_probe = at + options.read_every;
                      });
    }
  }

  void tick() {
    const auto now = steady::now();
    if (sending) send_due(now);
    probe_due(now);
  }

  bool run_until(steady::duration limit, const std::function<bool()>& done) {
    return client::run_until(io, limit, [&] {
      tick();
      return done();
    });
  }

  void add_room(const store::room_summary& room) {
    for (const store::member_entry& m : room.members) {
      auto it = by_user.find(m.id);
      if (it == by_user.end()) continue;
      drill_client& c = *it->second;
      if (std::find(c.rooms.begin(), c.rooms.end(), room.id) == c.rooms.end()) {
        c.rooms.push_back(room.id);
      }
      c.log.joined_at[room.id] = m.joined_seq;
    }
  }
};

workload::workload(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

workload::~workload() {
  for (auto& c : impl_->clients) {
    if (c->session) c->session->stop();
  }
}

namespace {
// A round may start while the last fault's data center is still settling: a call refused for a
// reason `again` accepts is tried again every 500 ms, for at most a minute. Returns the last try.
template <class Call, class Again>
auto retrying(Call call, Again again) {
  const auto deadline = steady::now() + std::chrono::seconds(60);
  for (int tries = 1;; ++tries) {
    auto r = call(tries);
    if (r || !again(r.code()) || steady::now() >= deadline) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

// Signed up (a retry that finds the name taken: an earlier try committed and its answer was
// lost), then logged in. The login also retries invalid_credentials: a node that still reads
// from its own data center's standby after the last fault may not see the account yet (issue 8
// item 4: reads after a fault).
result<client::login_result> sign_up_and_log_in(const client::node_url& node,
                                                const std::string& name) {
  auto up = retrying(
      [&](int tries) {
        auto u = client::signup(node, name, password);
        return u || (tries > 1 && u.code() == errc::name_taken) ? ok_status() : status(u.err());
      },
      client::is_retryable);
  if (!up) return make_error(up.code(), "signup " + name + ": " + std::string(up.err().text()));
  auto in =
      retrying([&](int) { return client::login(node, name, password, "drill"); },
               [](errc c) { return client::is_retryable(c) || c == errc::invalid_credentials; });
  if (!in) return make_error(in.code(), "login " + name + ": " + std::string(in.err().text()));
  return in;
}
}  // namespace

result<std::unique_ptr<workload>> workload::prepare(workload_options o) {
  if (o.nodes.empty()) return make_error(errc::invalid_field, "no nodes");
  if (o.clients < 2) return make_error(errc::invalid_field, "at least 2 clients");
  auto w = std::unique_ptr<workload>(new workload(std::make_unique<impl>(std::move(o))));
  impl& m = *w->impl_;
  const int n = m.options.clients;
  for (int i = 0; i < n; ++i) {
    auto c = std::make_unique<drill_client>();
    c->name = m.options.name_prefix + "_" + std::to_string(i);
    c->home = i % static_cast<int>(m.options.nodes.size());
    c->phase = static_cast<double>(i) / n;
    auto node = client::node_url::parse(m.options.nodes[static_cast<std::size_t>(c->home)]);
    if (!node) return node.err();
    auto in = sign_up_and_log_in(*node, c->name);
    if (!in) return in.err();
    c->token = in->token;
    c->log.name = c->name;
    c->log.user = in->user.id;
    m.by_user[in->user.id] = c.get();
    m.clients.push_back(std::move(c));
  }
  return w;
}

status workload::connect_and_make_rooms(steady::duration limit) {
  impl& m = *impl_;
  const auto deadline = steady::now() + limit;
  for (auto& c : m.clients) m.start_session(*c);
  if (!m.run_until(limit, [&] {
        return std::all_of(m.clients.begin(), m.clients.end(),
                           [](const auto& c) { return c->session->caught_up(); });
      })) {
    return make_error(errc::store_unavailable, "not every client connected in time");
  }

  // 1:1 rooms between neighbours (an odd last one pairs with the first) and groups of
  // `group_size` neighbours (a remainder under 3 joins the group before it).
  const int n = static_cast<int>(m.clients.size());
  std::vector<std::pair<int, int>> pairs;
  for (int i = 0; i + 1 < n; i += 2) pairs.emplace_back(i, i + 1);
  if (n % 2 == 1 && n >= 3) pairs.emplace_back(n - 1, 0);
  std::vector<std::pair<int, int>> groups;  // [first, last)
  const int gs = std::max(2, m.options.group_size);
  for (int first = 0; first < n; first += gs) {
    const int last = std::min(n, first + gs);
    if (last - first < 3 && !groups.empty()) {
      groups.back().second = last;
    } else {
      groups.emplace_back(first, last);
    }
  }

  int pending = 0;
  std::string failure;
  auto on_room = [&](result<json::object> r) {
    --pending;
    const json::value* room = r ? r->if_contains("room") : nullptr;
    auto decoded =
        room != nullptr
            ? proto::decode_room(*room)
            : result<store::room_summary>(r ? make_error(errc::invalid_field, "no room") : r.err());
    if (!decoded) {
      failure = std::string(decoded.err().text());
      return;
    }
    m.add_room(*decoded);
  };
  for (auto [a, b] : pairs) {
    ++pending;
    m.clients[a]->session->call("rooms.direct", {{"name", m.clients[b]->name}}, on_room);
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    auto [first, last] = groups[g];
    json::array members;
    for (int j = first + 1; j < last; ++j) members.emplace_back(m.clients[j]->name);
    ++pending;
    m.clients[first]->session->call(
        "rooms.create",
        {{"client_id", m.options.name_prefix + "-g" + std::to_string(g)},
         {"title", "drill group " + std::to_string(g)},
         {"members", std::move(members)}},
        on_room);
  }
  if (!m.run_until(deadline - steady::now(), [&] { return pending == 0; })) {
    return make_error(errc::store_unavailable, "room set-up did not finish in time");
  }
  if (!failure.empty()) return make_error(errc::store_unavailable, "room set-up: " + failure);
  return ok_status();
}

void workload::start_sending() {
  impl_->sending = true;
  impl_->send_start = steady::now();
}

void workload::stop_sending() { impl_->sending = false; }

bool workload::run_until(steady::duration limit, const std::function<bool()>& done) {
  return impl_->run_until(limit, done);
}

bool workload::drained() const {
  for (const auto& c : impl_->clients) {
    const client::session& s = *c->session;
    if (s.outbox_size() > 0 || !s.caught_up()) return false;
    for (room_id room : c->rooms) {
      auto it = impl_->highest_acked.find(room);
      if (it != impl_->highest_acked.end() && s.cursor(room) < it->second) return false;
    }
  }
  return true;
}

std::size_t workload::pending_sends() const {
  std::size_t n = 0;
  for (const auto& c : impl_->clients) n += c->session->outbox_size();
  return n;
}

bool workload::read_final_logs(steady::duration limit) {
  impl& m = *impl_;
  // Shared with the replies, which may outlive this call when it runs out of time.
  auto reads = std::make_shared<std::vector<final_read>>();
  for (auto& c : m.clients) {
    for (room_id room : c->rooms) {
      final_read fr;
      fr.client = c.get();
      fr.room = room;
      reads->push_back(std::move(fr));
    }
  }
  auto issue = [&](std::size_t i) {
    final_read& fr = (*reads)[i];
    fr.in_flight = true;
    json::object fields{
        {"room_id", fr.room.value}, {"after", fr.after}, {"limit", limits::max_page}};
    fr.client->session->call("sync", std::move(fields), [reads, i](result<json::object> r) {
      final_read& fr = (*reads)[i];
      fr.in_flight = false;
      auto page = r ? proto::decode_page(*r) : result<store::page>(r.err());
      if (!page) {
        fr.client->note_refusal(page.err());
        fr.not_before = steady::now() + final_read_retry;
        return;
      }
      for (store::room_event& e : page->events) {
        fr.after = std::max(fr.after, e.seq);
        fr.events.push_back(std::move(e));
      }
      if (!page->more) {
        fr.done = true;
        fr.client->log.final_rooms[fr.room] = fr.events;
      }
    });
  };
  return m.run_until(limit, [&] {
    const auto now = steady::now();
    bool done = true;
    for (std::size_t i = 0; i < reads->size(); ++i) {
      final_read& fr = (*reads)[i];
      if (fr.done) continue;
      done = false;
      if (!fr.in_flight && now >= fr.not_before) issue(i);
    }
    return done;
  });
}

std::vector<client_log> workload::finish() {
  impl& m = *impl_;
  m.sending = false;
  for (auto& c : m.clients) c->session->stop();
  m.io.restart();
  m.io.run_for(200ms);
  std::vector<client_log> logs;
  for (auto& c : m.clients) {
    logs.push_back(std::move(c->log));
    c->log = client_log{};
  }
  return logs;
}

}  // namespace haetae::drill
