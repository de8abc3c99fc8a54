#pragma once
// Running a use case that blocks (password hashing, a write that waits for its commit) on a pool
// of its own, so that the request threads keep serving: the coroutine resumes on its executor
// once the work is done.

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "http/await.h"

namespace depot::http {

template <class T, class Work>
boost::asio::awaitable<Result<T>> run_blocking(boost::asio::thread_pool& pool, Work work) {
  co_return co_await await_result<T>([&pool, work = std::move(work)](Callback<T> done) mutable {
    boost::asio::post(pool,
                      [work = std::move(work), done = std::move(done)]() mutable { done(work()); });
  });
}

}  // namespace depot::http
