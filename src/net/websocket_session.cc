#include "net/websocket_session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/await_callback.h"
#include "net/corked_socket.h"
#include "net/push_hub.h"
#include "net/server_context.h"
#include "net/service.h"
#include "net/wire.h"
#include "proto/limits.h"

namespace haetae::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using frame_ptr = std::shared_ptr<const std::string>;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
// After a slow-consumer close, how long the last write may take before the socket is cut.
constexpr std::chrono::seconds hard_close_grace{5};
constexpr std::size_t keep_queue_slots = 64;

class websocket_session final : public push_target,
                                public std::enable_shared_from_this<websocket_session> {
 public:
  websocket_session(tcp::socket socket, server_context& ctx)
      : ws_(corked_socket(std::move(socket))), ctx_(ctx), deadline_(ws_.get_executor()) {}

  void start(beast::http::request<beast::http::string_body> upgrade) {
    auto self = shared_from_this();
    asio::co_spawn(ws_.get_executor(), run(self, std::move(upgrade)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        spdlog::error("websocket session ended by exception: {}", x.what());
      }
    });
  }

  void push_frame(const frame_ptr& frame) override {
    if (state_ == state::open) enqueue(frame);
  }

  void close_stalled() override {
    // 1013 "try again later": the client resends its outbox to its next node.
    close_now(websocket::close_code::try_again_later, "this node cannot serve its clients now");
  }

 private:
  enum class state : std::uint8_t { auth, open, closing };

  asio::awaitable<void> run(std::shared_ptr<websocket_session> self,
                            beast::http::request<beast::http::string_body> upgrade) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(limits::max_ws_frame_bytes);
    ws_.text(true);
    auto [ec] = co_await ws_.async_accept(upgrade, tuple_awaitable);
    if (ec) co_return;
    upgrade = {};  // its fields are no longer needed; free them for the idle socket

    deadline_.expires_after(ctx_.auth_timeout);
    deadline_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto s = weak.lock();
      if (ec || !s || s->state_ != state::auth) return;
      s->reject(make_error(errc::unauthorized, "no auth frame within the time limit"),
                websocket::close_code::policy_error);
    });

    for (;;) {
      auto [rec, n] = co_await ws_.async_read(buffer_, tuple_awaitable);
      if (rec) break;
      std::string_view text(static_cast<const char*>(buffer_.data().data()), buffer_.size());
      if (state_ == state::auth) {
        co_await authenticate(text);
      } else if (state_ == state::open) {
        handle_request(text);
      }
      // An idle socket holds no read buffer: one allocation per frame is cheaper than ~2 KiB
      // on each of many idle devices.
      buffer_.consume(buffer_.size());
      buffer_.shrink_to_fit();
    }
    finish();
    (void)self;
  }

  // The first frame: {"op":"auth","token":"…"}.
  asio::awaitable<void> authenticate(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    const json::string* token = nullptr;
    if (!ec && v.is_object()) {
      const auto& o = v.as_object();
      const auto* op = o.if_contains("op");
      const auto* t = o.if_contains("token");
      if (op && op->is_string() && op->as_string() == "auth" && t && t->is_string())
        token = &t->as_string();
    }
    if (!token) {
      reject(make_error(errc::unauthorized,
                        R"(the first frame must be {"op":"auth","token":"<token>"})"),
             websocket::close_code::policy_error);
      co_return;
    }
    std::string raw(token->data(), token->size());
    auto start = [this, raw](api::auth_fn done) { ctx_.ops.authenticate(raw, std::move(done)); };
    auto r = co_await await_callback<result<api::caller>>(std::move(start));
    if (state_ != state::auth) co_return;  // the deadline passed meanwhile
    if (!r) {
      auto code = r.code() == errc::overloaded || r.code() == errc::store_unavailable
                      ? websocket::close_code::try_again_later
                      : websocket::close_code::policy_error;
      reject(r.err(), code);
      co_return;
    }
    who_ = *r;
    state_ = state::open;
    deadline_.cancel();
    ctx_.hub.add(who_.user, this);
    registered_ = true;
    enqueue(std::make_shared<const std::string>(auth_ok_frame(who_.user.value, who_.device.value)));
  }

  void handle_request(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
      reply_now(nullptr, make_error(errc::bad_request, "a frame must be a JSON object"));
      return;
    }
    auto& params = v.as_object();
    json::value rid = nullptr;
    if (auto it = params.find("rid"); it != params.end()) {
      const auto& r = it->value();
      if (!r.is_int64() && !r.is_uint64() && !r.is_string()) {
        reply_now(nullptr, make_error(errc::invalid_field, "rid must be an integer or a string"));
        return;
      }
      rid = r;
      params.erase(it);
    }
    auto op_it = params.find("op");
    if (op_it == params.end() || !op_it->value().is_string()) {
      reply_now(rid, make_error(errc::invalid_field, "op must be a string"));
      return;
    }
    std::string op(op_it->value().as_string());
    params.erase(op_it);
    if (op == "auth") {
      reply_now(rid, make_error(errc::invalid_field, "this socket is already authenticated"));
      return;
    }
    if (in_flight_ >= limits::max_in_flight_per_socket) {
      reply_now(rid, make_error(errc::overloaded, "too many requests awaiting replies"));
      return;
    }
    ++in_flight_;
    // The reply is encoded on the thread that produced it; only the queueing is posted.
    ctx_.ops.call(
        who_, op, std::move(params),
        [self = shared_from_this(), rid = std::move(rid)](result<json::object> r) mutable {
          auto frame = std::make_shared<const std::string>(r ? result_frame(rid, *r)
                                                             : error_frame(rid, r.err()));
          // Moved, so the last reference never drops on this (foreign) thread.
          auto& box = self->ctx_.hub.mailbox();
          box.post([self = std::move(self), frame = std::move(frame)] {
            --self->in_flight_;
            if (self->state_ == state::open) self->enqueue(frame);
          });
        });
  }

  void reply_now(const json::value& rid, const error& e) {
    enqueue(std::make_shared<const std::string>(error_frame(rid, e)));
  }

  // Sends an error frame in the auth phase, then closes with `code`.
  void reject(const error& e, websocket::close_code code) {
    enqueue(std::make_shared<const std::string>(auth_error_frame(e)));
    close_after_drain(code, "");
  }

  // --- the write queue (io thread) ---

  void enqueue(frame_ptr frame) {
    if (state_ == state::closing) return;
    if (queued_bytes_ + frame->size() > limits::max_ws_queued_bytes) {
      spdlog::info("closing a slow consumer (user {})", who_.user.value);
      close_now(websocket::close_code::policy_error, "slow consumer");
      return;
    }
    queued_bytes_ += frame->size();
    queue_.push_back(std::move(frame));
    if (writing_) return;
    // Start on a later turn of the loop: the frames of one commit arrive in a burst of handlers,
    // and those queued before the start leave together (corked_socket).
    writing_ = true;
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == state::closing && self->queue_.empty() && !self->close_code_) {
        self->writing_ = false;  // the peer went away meanwhile
        return;
      }
      self->write_next();
    });
  }

  // Writes queued frames back to back: each completion starts the next write at once.
  void write_next() {
    if (next_ == batch_.size()) {
      batch_.clear();
      next_ = 0;
      if (queue_.empty()) {
        writing_ = false;
        if (queue_.capacity() > keep_queue_slots) std::vector<frame_ptr>().swap(queue_);
        if (batch_.capacity() > keep_queue_slots) std::vector<frame_ptr>().swap(batch_);
        if (close_code_) start_close();
        return;
      }
      batch_.swap(queue_);
    }
    writing_ = true;
    const std::string& f = *batch_[next_];
    // Held back while more frames follow; the last one flushes them all in one sendmsg.
    ws_.next_layer().cork(next_ + 1 < batch_.size() || !queue_.empty());
    ws_.async_write(asio::buffer(f),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      self->queued_bytes_ -= self->batch_[self->next_]->size();
                      self->batch_[self->next_].reset();
                      ++self->next_;
                      if (ec) {  // the peer is gone; the read loop ends too
                        self->writing_ = false;
                        self->state_ = state::closing;
                        self->queue_.clear();
                        self->batch_.clear();
                        self->next_ = 0;
                        self->queued_bytes_ = 0;
                        return;
                      }
                      self->write_next();
                    });
    // Beast starts the frame's write inside async_write; anything it writes later on its own
    // (pong, ping, close reply) must go out, not wait behind the cork.
    ws_.next_layer().cork(false);
  }

  // Closes once the frames queued so far are written (auth errors: the client gets the reason).
  void close_after_drain(websocket::close_code code, std::string_view reason) {
    if (state_ == state::closing) return;
    state_ = state::closing;
    close_code_ = websocket::close_reason(code, reason);
    if (!writing_) start_close();
  }

  // Drops whatever is not yet being written and closes; cuts the socket if even the write in
  // progress cannot finish.
  void close_now(websocket::close_code code, std::string_view reason) {
    if (state_ == state::closing) return;
    state_ = state::closing;
    drop_queue();
    close_code_ = websocket::close_reason(code, reason);
    if (!writing_) start_close();
    deadline_.expires_after(hard_close_grace);
    deadline_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto s = weak.lock();
      if (ec || !s) return;
      boost::system::error_code ignored;
      beast::get_lowest_layer(s->ws_).close(ignored);
    });
  }

  void drop_queue() {
    queue_.clear();
    // Keep the frame being written alive: the write still reads from it.
    if (next_ < batch_.size()) batch_.resize(next_ + 1);
    queued_bytes_ = 0;
    for (std::size_t i = next_; i < batch_.size(); ++i) queued_bytes_ += batch_[i]->size();
  }

  void start_close() {
    writing_ = true;               // async_close counts as the one write in flight
    ws_.next_layer().cork(false);  // the close frame flushes whatever was held back
    auto reason = *close_code_;
    ws_.async_close(reason, [self = shared_from_this()](boost::system::error_code) {
      self->deadline_.cancel();
    });
  }

  void finish() {
    state_ = state::closing;
    deadline_.cancel();
    if (registered_) ctx_.hub.remove(who_.user, this);
    registered_ = false;
    drop_queue();
  }

  websocket::stream<corked_socket> ws_;
  server_context& ctx_;
  asio::steady_timer deadline_;  // auth deadline, then the slow-consumer grace
  beast::flat_buffer buffer_;
  std::vector<frame_ptr> queue_;  // waiting frames
  std::vector<frame_ptr> batch_;  // frames being written, in order; next_ is in flight
  std::size_t next_ = 0;
  std::size_t queued_bytes_ = 0;  // queue_ plus the unwritten part of batch_
  std::size_t in_flight_ = 0;     // requests awaiting replies
  std::optional<websocket::close_reason> close_code_;
  api::caller who_;
  state state_ = state::auth;
  bool writing_ = false;
  bool registered_ = false;
};

}  // namespace

void start_websocket_session(tcp::socket socket,
                             beast::http::request<beast::http::string_body> upgrade,
                             server_context& ctx) {
  std::make_shared<websocket_session>(std::move(socket), ctx)->start(std::move(upgrade));
}

}  // namespace haetae::net
