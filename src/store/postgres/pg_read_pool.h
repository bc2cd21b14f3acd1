#pragma once
// A small pool of read connections, separate from the writer's, so reads never queue behind a
// commit. Each read borrows one and runs in one REPEATABLE READ READ ONLY transaction: one
// committed snapshot. A broken connection is reset on its next use.
#include <memory>
#include <vector>

#include "store/connection_pool.h"
#include "store/postgres/pg_conn.h"

namespace haetae::store::pg {

class read_pool {
 public:
  explicit read_pool(std::vector<std::unique_ptr<pg_conn>> conns) : pool_(std::move(conns)) {}

  // Borrows a connection (blocking while all are in use), runs fn(pg_conn&) inside a read
  // transaction and returns its result; a pg_error becomes errc::store_unavailable.
  template <class F>
  auto with(F&& fn) -> decltype(fn(std::declval<pg_conn&>())) {
    auto l = pool_.borrow();
    if (!l->connected() && !l->reset()) {
      return make_error(errc::store_unavailable, "the PostgreSQL read connection is down");
    }
    try {
      l->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      auto r = fn(*l);
      l->exec("COMMIT");
      return r;
    } catch (const pg_error& e) {
      if (l->in_transaction()) (void)l->try_exec("ROLLBACK");
      return make_error(errc::store_unavailable, e.what());
    } catch (...) {
      // Never hand a connection back with a transaction open.
      if (l->in_transaction()) (void)l->try_exec("ROLLBACK");
      throw;
    }
  }

 private:
  connection_pool<pg_conn> pool_;
};

}  // namespace haetae::store::pg
