#include "net/tests/test_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "net/listener.h"
#include "net/push_hub.h"
#include "net/server_context.h"
#include "net/service.h"

namespace haetae::net::testing {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Runs jobs on one thread, in order, like a store pool.
class worker {
 public:
  worker() : thread_([this] { loop(); }) {}
  ~worker() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  void run(std::function<void()> job) {
    {
      std::lock_guard lock(mu_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

 private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

class fake_service final : public service {
 public:
  bool needs_auth(std::string_view op) const override { return op != "signup" && op != "login"; }

  void authenticate(std::string_view token, api::auth_fn done) override {
    worker_.run([t = std::string(token), done = std::move(done)] {
      long long u = 0, d = 0;
      if (std::sscanf(t.c_str(), "token-%lld-%lld", &u, &d) == 2 && u > 0 && d > 0) {
        done(api::caller{user_id(u), device_id(d)});
      } else {
        done(make_error(errc::unauthorized, "unknown token"));
      }
    });
  }

  void call(std::optional<api::caller> who, std::string_view op, json::object params,
            api::reply_fn done) override {
    worker_.run([this, who, op = std::string(op), params = std::move(params),
                 done = std::move(done)]() mutable {
      if (op == "echo") return done(std::move(params));
      if (op == "signup" || op == "login") return done(json::object{{"ok", true}});
      if (op == "whoami" && who) {
        return done(json::object{{"user_id", who->user.value}, {"device_id", who->device.value}});
      }
      if (op == "hold") {
        std::lock_guard lock(mu_);
        held_.push_back(std::move(done));
        return;
      }
      done(make_error(errc::unknown_op, "no such op: " + op));
    });
  }

  std::size_t release_held() {
    std::vector<api::reply_fn> held;
    {
      std::lock_guard lock(mu_);
      held.swap(held_);
    }
    for (auto& h : held) h(json::object{{"released", true}});
    return held.size();
  }

  std::size_t held() {
    std::lock_guard lock(mu_);
    return held_.size();
  }

  // Replies to held requests must not outlive the io_context's users: drop them first.
  void drop_held() {
    std::lock_guard lock(mu_);
    held_.clear();
  }

 private:
  std::mutex mu_;
  std::vector<api::reply_fn> held_;
  worker worker_;
};

}  // namespace

struct test_server::impl {
  asio::io_context io{1};
  fake_service ops;
  push_hub hub{io};
  server_context ctx{ops, hub, ""};
  std::unique_ptr<listener> lis;
  std::thread thread;

  template <class F>
  auto on_io(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto fut = task.get_future();
    asio::post(io, [&task] { task(); });
    return fut.get();
  }
};

test_server::test_server(std::chrono::milliseconds auth_timeout) : impl_(std::make_unique<impl>()) {
  impl_->ctx.auth_timeout = auth_timeout;
  auto l = listener::open(impl_->io, "127.0.0.1", 0, impl_->ctx);
  if (!l) throw std::runtime_error(std::string(l.err().text()));
  impl_->lis = std::move(*l);
  impl_->ctx.self_url = "http://127.0.0.1:" + std::to_string(impl_->lis->port());
  impl_->lis->start();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

test_server::~test_server() {
  impl_->lis->stop();
  impl_->io.stop();
  impl_->thread.join();
  impl_->ops.drop_held();
}

std::uint16_t test_server::port() const { return impl_->lis->port(); }

void test_server::push(const std::vector<std::int64_t>& users, const std::string& frame) {
  std::vector<user_id> ids;
  for (auto u : users) ids.emplace_back(u);
  impl_->hub.push(ids, std::make_shared<const std::string>(frame));
}

void test_server::deliver_burst(std::int64_t user, const std::string& frame, int count) {
  auto f = std::make_shared<const std::string>(frame);
  impl_->on_io([&] {
    for (int i = 0; i < count; ++i) impl_->hub.deliver({user_id(user)}, f);
    return 0;
  });
}

std::size_t test_server::sessions_of(std::int64_t user) {
  return impl_->on_io([&] { return impl_->hub.sessions_of(user_id(user)); });
}

std::size_t test_server::release_held() { return impl_->ops.release_held(); }
std::size_t test_server::held() { return impl_->ops.held(); }

}  // namespace haetae::net::testing
