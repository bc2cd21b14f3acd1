#include "device.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <future>
#include <thread>

#include "client/session.h"

namespace haetae::testing {

namespace asio = boost::asio;

struct device::state {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::unique_ptr<client::session> session;
  std::thread thread;

  mutable std::mutex mutex;
  std::condition_variable changed;
  std::map<room_id, std::vector<store::room_event>> events;
  std::map<std::string, store::send_ack> acks;
  std::vector<store::read_update> reads;
  std::size_t failed = 0;
  bool caught_up = false;

  template <class F>
  auto on_io(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    asio::post(io, [&task] { task(); });
    return result.get();
  }

  void touch() { changed.notify_all(); }
};

device::device(std::vector<std::string> nodes, std::string token, std::uint64_t seed)
    : state_(std::make_shared<state>()) {
  client::session_options options;
  options.nodes = std::move(nodes);
  options.token = std::move(token);
  options.seed = seed;
  options.reconnect.initial = std::chrono::milliseconds(50);
  options.reconnect.max = std::chrono::milliseconds(500);
  client::session_handlers handlers;
  state* s = state_.get();
  handlers.on_event = [s](const store::room_event& e) {
    std::lock_guard lock(s->mutex);
    s->events[e.room].push_back(e);
    s->touch();
  };
  handlers.on_read = [s](const store::read_update& r) {
    std::lock_guard lock(s->mutex);
    s->reads.push_back(r);
    s->touch();
  };
  handlers.on_ack = [s](const client::outbox_entry& entry, const store::send_ack& ack) {
    std::lock_guard lock(s->mutex);
    s->acks.emplace(entry.client_id, ack);
    s->touch();
  };
  handlers.on_send_failed = [s](const client::failed_send&) {
    std::lock_guard lock(s->mutex);
    ++s->failed;
    s->touch();
  };
  handlers.on_disconnected = [s](const error&) {
    std::lock_guard lock(s->mutex);
    s->caught_up = false;
    s->touch();
  };
  handlers.on_caught_up = [s] {
    std::lock_guard lock(s->mutex);
    s->caught_up = true;
    s->touch();
  };
  state_->session =
      std::make_unique<client::session>(state_->io, std::move(options), std::move(handlers));
  state_->session->start();
  state_->thread = std::thread([s] { s->io.run(); });
}

device::~device() {
  state_->on_io([s = state_.get()] {
    s->session->stop();
    s->session.reset();
    return 0;
  });
  state_->work.reset();
  state_->io.stop();
  state_->thread.join();
}

std::string device::send(room_id room, std::string body) {
  return state_->on_io(
      [s = state_.get(), room, &body] { return s->session->send(room, std::move(body)); });
}

result<boost::json::object> device::call(std::string op, boost::json::object fields) {
  auto promise = std::make_shared<std::promise<result<boost::json::object>>>();
  auto future = promise->get_future();
  asio::post(state_->io, [s = state_.get(), promise, op = std::move(op),
                          fields = std::move(fields)]() mutable {
    s->session->call(std::move(op), std::move(fields), [promise](result<boost::json::object> r) {
      promise->set_value(std::move(r));
    });
  });
  if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    return make_error(errc::store_unavailable, "no reply within 60 s");
  }
  return future.get();
}

bool device::wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
  // `done` uses the locking accessors, so it runs outside the lock; a change or 50 ms wakes us.
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::unique_lock lock(state_->mutex);
    state_->changed.wait_for(lock, std::chrono::milliseconds(50));
  }
  return true;
}

bool device::wait_caught_up(std::chrono::seconds timeout) {
  return wait_until(
      [this] {
        std::lock_guard lock(state_->mutex);
        return state_->caught_up;
      },
      timeout);
}

std::vector<store::room_event> device::events(room_id room) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->events.find(room);
  return it == state_->events.end() ? std::vector<store::room_event>{} : it->second;
}

std::vector<store::room_event> device::messages(room_id room) const {
  auto all = events(room);
  std::erase_if(all, [](const auto& e) { return e.kind != store::event_kind::message; });
  return all;
}

std::map<std::string, store::send_ack> device::acks() const {
  std::lock_guard lock(state_->mutex);
  return state_->acks;
}

std::vector<store::read_update> device::reads() const {
  std::lock_guard lock(state_->mutex);
  return state_->reads;
}

std::size_t device::outbox_size() const {
  return state_->on_io([s = state_.get()] { return s->session->outbox_size(); });
}

int device::reconnects() const {
  return state_->on_io([s = state_.get()] { return s->session->reconnects(); });
}

std::size_t device::failed_sends() const {
  std::lock_guard lock(state_->mutex);
  return state_->failed;
}

}  // namespace haetae::testing
