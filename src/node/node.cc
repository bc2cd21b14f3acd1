#include "node/node.h"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <filesystem>
#include <optional>
#include <thread>

#include "api/dispatcher.h"
#include "net/listener.h"
#include "net/push_hub.h"
#include "net/server_context.h"
#include "net/service.h"
#include "net/static_files.h"
#include "node/readiness_tracker.h"
#include "proto/encode.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace haetae::node {

namespace asio = boost::asio;

namespace {

// net's view of the dispatcher.
class dispatcher_service final : public net::service {
 public:
  bool needs_auth(std::string_view op) const override { return api::dispatcher::needs_auth(op); }
  void authenticate(std::string_view token, api::auth_fn done) override {
    dispatcher->authenticate(token, std::move(done));
  }
  void call(std::optional<api::caller> who, std::string_view op, boost::json::object params,
            api::reply_fn done) override {
    dispatcher->call(who, op, std::move(params), std::move(done));
  }

  std::unique_ptr<api::dispatcher> dispatcher;  // set before the listener starts
};

}  // namespace

struct node::impl {
  // A pointer so stop() can destroy it (and with it every session) before the store closes.
  std::unique_ptr<asio::io_context> io = std::make_unique<asio::io_context>(1);
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::unique_ptr<store::store> store;
  net::push_hub hub{*io};
  dispatcher_service ops;
  net::server_context ctx{ops, hub, ""};
  std::optional<net::static_files> web;
  std::unique_ptr<net::listener> listener;
  std::optional<asio::steady_timer> watchdog;
  std::optional<readiness_tracker> readiness;  // io thread
  net::readiness last;                         // io thread: what the watchdog saw last
  std::thread thread;
  std::string url;
  std::uint16_t port = 0;
  bool stopped = false;
};

node::node(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

node::~node() { stop(); }

namespace {

// PostgreSQL when a connection string is given (clusters), else SQLite in the data dir.
result<std::unique_ptr<store::store>> open_store(const node_options& options) {
  if (!options.postgres.empty()) {
    store::pg_options po;
    po.conninfo = options.postgres;
    po.local_conninfo = options.postgres_local;
    po.require_sync_standby = !options.postgres_without_standby;
    po.stall_after = std::chrono::milliseconds(options.stall_after_ms);
    auto s = store::open_pg_store(po);
    if (!s) {
      return make_error(s.code(),
                        "cannot open the PostgreSQL store: " + std::string(s.err().text()));
    }
    spdlog::info("store: PostgreSQL");
    return s;
  }
  std::error_code fec;
  std::filesystem::create_directories(options.data_dir, fec);
  if (fec) {
    return make_error(errc::store_unavailable,
                      "cannot create the data dir " + options.data_dir + ": " + fec.message());
  }
  store::sqlite_options so;
  so.dir = options.data_dir;
  auto s = store::open_sqlite_store(so);
  if (!s) {
    return make_error(s.code(), "cannot open the store in " + options.data_dir + ": " +
                                    std::string(s.err().text()));
  }
  spdlog::info("store: SQLite in {}", options.data_dir);
  return s;
}

net::readiness readiness_now(node::impl& i) {
  return i.readiness->observe(i.store->health(), std::chrono::steady_clock::now());
}

// Every 500 ms on the io thread. While the store cannot write (a failover), the node keeps its
// sockets: reads are served and writes answered store_unavailable, which clients resend. When it
// stops keeping clients (readiness_tracker.h), every socket is closed so they go elsewhere.
void watch_the_store(node::impl& i) {
  i.watchdog->expires_after(std::chrono::milliseconds(500));
  i.watchdog->async_wait([&i](boost::system::error_code ec) {
    if (ec) return;
    net::readiness now = readiness_now(i);
    if (now.writes != i.last.writes) {
      if (now.writes) {
        spdlog::info("store writes again");
      } else {
        spdlog::warn("store cannot write ({}); reads {}", now.reason,
                     now.reads ? "still served" : "fail too");
      }
    }
    if (!now.keeps_clients && i.last.keeps_clients) {
      spdlog::warn("not serving clients ({}): closing client sockets", now.reason);
      i.hub.close_all();
    } else if (now.keeps_clients && !i.last.keeps_clients) {
      spdlog::info("serving clients again");
    }
    i.last = std::move(now);
    watch_the_store(i);
  });
}

}  // namespace

result<std::unique_ptr<node>> node::start(const node_options& options) {
  auto i = std::make_unique<impl>();
  auto s = open_store(options);
  if (!s) return s.err();
  i->store = std::move(*s);

  auto l = net::listener::open(*i->io, options.host, options.port, i->ctx);
  if (!l) return l.err();
  i->listener = std::move(*l);
  i->port = i->listener->port();
  const bool v6 = options.host.find(':') != std::string::npos;
  i->url =
      "http://" + (v6 ? "[" + options.host + "]" : options.host) + ":" + std::to_string(i->port);
  i->ctx.self_url = i->url;
  i->ctx.allowed_origins = options.allowed_origins;
  i->ctx.node_urls = options.node_urls;
  // Longer than a failover takes here (write RTO max 15 s, docs/drill.md); reads fall back to
  // the local server within about a second, so failing for 2 s means it cannot read.
  i->readiness.emplace(std::chrono::milliseconds(options.stall_after_ms) * 3,
                       std::chrono::seconds(2));
  i->ctx.check_readiness = [ip = i.get()] { return readiness_now(*ip); };
  if (!options.web_dir.empty()) {
    auto web = net::static_files::load(options.web_dir);
    if (web) {
      i->web = std::move(*web);
      i->ctx.web = &*i->web;
      spdlog::info("web client: {} files from {}", i->web->size(), options.web_dir);
    } else {
      spdlog::warn("not serving a web client: {}", web.err().text());
    }
  }

  api::dispatcher_options dop;
  dop.fast_password_hashing = options.fast_password_hashing;
  dop.self_url = i->url;
  i->ops.dispatcher = std::make_unique<api::dispatcher>(*i->store, i->hub, dop);

  // Other nodes' messages reach this node's members by push, not only by their next sync.
  store::other_nodes_watch watch;
  watch.on_change = [hub = &i->hub](const store::room_change& change) {
    for (const auto& event : change.events) {
      hub->push(change.recipients, proto::encode_event_push(event));
    }
  };
  watch.on_read = [hub = &i->hub](const store::read_update& update) {
    hub->push(update.recipients, proto::encode_read_push(update));
  };
  i->store->watch_other_nodes(std::move(watch));

  i->listener->start();
  i->watchdog.emplace(*i->io);
  watch_the_store(*i);
  i->work.emplace(i->io->get_executor());
  i->thread = std::thread([io = i->io.get()] {
    // One connection's exception is caught in its session; this only guards the loop itself.
    for (;;) {
      try {
        io->run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("io thread: {}", e.what());
      }
    }
  });
  return std::unique_ptr<node>(new node(std::move(i)));
}

std::uint16_t node::port() const { return impl_->port; }
const std::string& node::url() const { return impl_->url; }

void node::stop() {
  auto& i = *impl_;
  if (i.stopped) return;
  i.stopped = true;
  // 1. No new connections; the loop stops (requests in flight get no reply: clients resend
  //    with the same ids, which is safe by design).
  i.listener->stop();
  i.work.reset();
  i.io->stop();
  if (i.thread.joinable()) i.thread.join();
  // No more pushes from other nodes' commits; the watchdog timer goes before its loop.
  i.store->watch_other_nodes({});
  i.watchdog.reset();
  // 2. Drain the pools and their store calls; late replies are posted to the stopped loop.
  i.ops.dispatcher.reset();
  // 3. Close every socket: destroying the loop destroys its pending work and the sessions.
  i.listener.reset();
  i.io.reset();
  // 4. The store finishes its queued writes and closes the file.
  i.store.reset();
  spdlog::info("node stopped");
}

}  // namespace haetae::node
