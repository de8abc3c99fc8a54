#pragma once
// Awaiting a use case that completes through a callback (on a thread of the store's): the
// coroutine resumes on its own executor, and the io_context is kept busy until it does, so a
// graceful stop never drops a request whose write is still being committed.

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>

#include "app/write.h"

namespace depot::http {

// `start` is called with the Callback<T> to hand to the use case.
template <class T, class Start>
boost::asio::awaitable<Result<T>> await_result(Start start) {
  namespace asio = boost::asio;
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(Result<T>)>(
      [start = std::move(start), executor](auto handler) mutable {
        using Handler = decltype(handler);
        auto shared = std::make_shared<Handler>(std::move(handler));
        auto guard = std::make_shared<asio::executor_work_guard<decltype(executor)>>(executor);
        start(Callback<T>([shared, guard, executor](Result<T> result) {
          asio::post(executor, [shared, guard, result = std::move(result)]() mutable {
            std::move (*shared)(std::move(result));
            guard->reset();
          });
        }));
      },
      asio::use_awaitable);
}

}  // namespace depot::http
