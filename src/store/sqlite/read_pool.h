#pragma once
// A small pool of read connections. Each read borrows one for its duration and runs in one read
// transaction, so it sees one committed WAL snapshot.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/sqlite_db.h"

namespace haetae::store::sqlite {

class read_pool {
 public:
  explicit read_pool(std::vector<std::unique_ptr<connection>> conns);

  // Borrows a connection (blocking while all are in use), runs fn(connection&) inside
  // BEGIN ... COMMIT, and returns its result; a db_error becomes errc::store_unavailable.
  template <class F>
  auto with(F&& fn) -> decltype(fn(std::declval<connection&>())) {
    lease l(*this);
    try {
      l.conn->exec("BEGIN");
      auto r = fn(*l.conn);
      l.conn->exec("COMMIT");
      return r;
    } catch (const db_error& e) {
      if (l.conn->in_transaction()) (void)l.conn->try_exec("ROLLBACK");
      return make_error(errc::store_unavailable, e.what());
    } catch (...) {
      // Never hand a connection back with a transaction open.
      if (l.conn->in_transaction()) (void)l.conn->try_exec("ROLLBACK");
      throw;
    }
  }

 private:
  struct lease {
    explicit lease(read_pool& p);
    ~lease();
    read_pool& pool;
    std::unique_ptr<connection> conn;
  };

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<connection>> free_;
};

}  // namespace haetae::store::sqlite
