#pragma once
// Awaiting a plain callback API (api::dispatcher's reply_fn, auth_fn) from a coroutine. The
// callback may run on any thread; the coroutine resumes on its own executor.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <utility>

namespace haetae::net {

// `start(callback)` must call `callback(T)` exactly once, from any thread. The callback is
// copyable (std::function needs that), so the move-only coroutine handler sits in a shared_ptr.
//
// GCC 12 mishandles lambda temporaries inside a co_await expression (a captured std::string
// was freed from the wrong frame), so callers pass a named lambda: `co_await
// await_callback<T>(std::move(start))`; and this is a plain function, not a coroutine.
template <class T, class Start>
auto await_callback(Start start) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(T)>(
      [start = std::move(start)](auto handler) mutable {
        auto ex = boost::asio::get_associated_executor(handler);
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        // h is moved into the post so the coroutine is never destroyed on the caller's thread.
        start([ex, h](T value) mutable {
          boost::asio::post(ex, [h = std::move(h), value = std::move(value)]() mutable {
            (*h)(std::move(value));
          });
        });
      },
      boost::asio::use_awaitable);
}

}  // namespace haetae::net
