#pragma once
// A small pool of read connections. Each read borrows one for its duration and runs in one read
// transaction, so it sees one committed WAL snapshot.
#include <memory>
#include <vector>

#include "store/connection_pool.h"
#include "store/sqlite/sqlite_db.h"

namespace haetae::store::sqlite {

class read_pool {
 public:
  explicit read_pool(std::vector<std::unique_ptr<connection>> conns) : pool_(std::move(conns)) {}

  // Borrows a connection (blocking while all are in use), runs fn(connection&) inside
  // BEGIN ... COMMIT, and returns its result; a db_error becomes errc::store_unavailable.
  template <class F>
  auto with(F&& fn) -> decltype(fn(std::declval<connection&>())) {
    auto l = pool_.borrow();
    try {
      l->exec("BEGIN");
      auto r = fn(*l);
      l->exec("COMMIT");
      return r;
    } catch (const db_error& e) {
      if (l->in_transaction()) (void)l->try_exec("ROLLBACK");
      return make_error(errc::store_unavailable, e.what());
    } catch (...) {
      // Never hand a connection back with a transaction open.
      if (l->in_transaction()) (void)l->try_exec("ROLLBACK");
      throw;
    }
  }

 private:
  connection_pool<connection> pool_;
};

}  // namespace haetae::store::sqlite
