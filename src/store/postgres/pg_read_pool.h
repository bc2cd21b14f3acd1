#pragma once
// The read connections, separate from the writer's, so reads never queue behind a commit. Each
// read borrows one and runs in one REPEATABLE READ READ ONLY transaction: one committed snapshot.
// A broken connection is reset on its next use.
//
// In a cluster there are two sets: the primary's (the multi-host conninfo) and this data
// center's own server (any role). While the primary does not answer, reads go to the local one,
// so history stays readable during a failover (DESIGN §1); it shows only published events
// (pg_publish.h), which are replicated, so a standby never shows what a failover takes back.
// A prober thread notices when the primary answers again; reads never wait for a connect to a
// primary that is down.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/connection_pool.h"
#include "store/postgres/pg_conn.h"

namespace haetae::store::pg {

class read_pool {
 public:
  // `local` may be empty (no fallback). Connections that cannot connect yet are kept and retried.
  read_pool(std::vector<std::unique_ptr<pg_conn>> primary,
            std::vector<std::unique_ptr<pg_conn>> local, std::string primary_conninfo,
            std::string local_conninfo = {});
  ~read_pool();
  read_pool(const read_pool&) = delete;
  read_pool& operator=(const read_pool&) = delete;

  // Borrows a connection (blocking while all are in use), runs fn(pg_conn&) inside a read
  // transaction and returns its result; a pg_error becomes errc::store_unavailable.
  template <class F>
  auto with(F&& fn) -> decltype(fn(std::declval<pg_conn&>())) {
    if (primary_up_.load() || !local_) {
      if (auto r = on_primary(fn)) return std::move(*r);
    }
    auto l = local_->borrow();
    bool lost = false;
    auto r = run(*l, fn, lost);
    // A connection from before the local server restarted (rewound after a failover) fails
    // once, though the server answers: the read runs again on a fresh one.
    if (lost) r = run(*l, fn, lost);
    local_up_.store(!lost);
    return r;
  }

  bool primary_up() const { return primary_up_.load(); }
  // Whether reads are served now: the primary answers, or this data center's server does
  // (checked by the prober while the primary is down). Without a local server, reads follow
  // the primary and the writer's health tells.
  bool readable() const { return !local_ || primary_up_.load() || local_up_.load(); }

 private:
  // Empty when the read should run on the local server instead: the primary was lost, now or
  // while this read waited for a connection (reads queued behind ones stuck on a frozen primary
  // would otherwise each pay for its timeout or a reconnect, one after another).
  template <class F>
  auto on_primary(F& fn) -> std::optional<decltype(fn(std::declval<pg_conn&>()))> {
    auto l = primary_.borrow();
    if (local_ && !primary_up_.load()) return std::nullopt;
    // Connections from before the primary went away may still look open: start afresh.
    if (std::uint64_t g = generation_.load(); l->generation != g) {
      l->reset();
      l->generation = g;
    }
    bool lost = false;
    auto r = run(*l, fn, lost);
    if (!lost || !local_) return r;
    mark_primary_down();
    return std::nullopt;
  }

  template <class F>
  static auto run(pg_conn& c, F& fn, bool& lost) -> decltype(fn(std::declval<pg_conn&>())) {
    if (!c.connected() && !c.reset()) {
      lost = true;
      return make_error(errc::store_unavailable, "the PostgreSQL read connection is down");
    }
    try {
      c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      auto r = fn(c);
      c.exec("COMMIT");
      return r;
    } catch (const pg_error& e) {
      lost = e.connection_lost();
      if (c.connected() && c.in_transaction()) (void)c.try_exec("ROLLBACK");
      return make_error(errc::store_unavailable, e.what());
    } catch (...) {
      // Never hand a connection back with a transaction open.
      if (c.connected() && c.in_transaction()) (void)c.try_exec("ROLLBACK");
      throw;
    }
  }
  void mark_primary_down();
  void probe();

  connection_pool<pg_conn> primary_;
  std::unique_ptr<connection_pool<pg_conn>> local_;
  const std::string primary_conninfo_;
  const std::string local_conninfo_;
  std::atomic<bool> primary_up_{true};
  std::atomic<bool> local_up_{true};
  std::atomic<std::uint64_t> generation_{0};  // bumped when the primary answers again

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread prober_;
};

}  // namespace haetae::store::pg
