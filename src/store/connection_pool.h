#pragma once
// A fixed set of connections shared by threads: borrow one (waiting while all are in use), and
// it goes back when the lease ends. Both backends' read pools stand on it; each adds its own
// read-transaction rules.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace haetae::store {

template <class Conn>
class connection_pool {
 public:
  explicit connection_pool(std::vector<std::unique_ptr<Conn>> conns) : free_(std::move(conns)) {}

  class lease {
   public:
    explicit lease(connection_pool& pool) : pool_(pool) {
      std::unique_lock lock(pool_.mu_);
      pool_.cv_.wait(lock, [&] { return !pool_.free_.empty(); });
      conn_ = std::move(pool_.free_.back());
      pool_.free_.pop_back();
    }
    ~lease() {
      {
        std::lock_guard lock(pool_.mu_);
        pool_.free_.push_back(std::move(conn_));
      }
      pool_.cv_.notify_one();
    }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;

    Conn& operator*() { return *conn_; }
    Conn* operator->() { return conn_.get(); }

   private:
    connection_pool& pool_;
    std::unique_ptr<Conn> conn_;
  };

  lease borrow() { return lease(*this); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> free_;
};

}  // namespace haetae::store
