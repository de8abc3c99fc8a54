#pragma once
// Runs a use case's work on the store's writer and hands its Result to a callback once the
// transaction holding it is durable. A failed Result rolls the work back.

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <utility>

#include "app/ports.h"

namespace depot {

template <class T>
using Callback = std::function<void(Result<T>)>;

// The version an edit expects (If-Match): kAnyVersion (If-Match: *) matches whatever is stored.
inline constexpr std::int64_t kAnyVersion = -1;
inline bool version_matches(std::int64_t stored, std::int64_t expected) {
  return expected == kAnyVersion || stored == expected;
}

template <class T, class Work>
void run_write(Store& store, TenantId tenant, Work work, Callback<T> done) {
  auto outcome = std::make_shared<std::optional<Result<T>>>();
  store.write(
      tenant,
      [outcome, work = std::move(work)](WriteTx& tx) mutable {
        outcome->emplace(work(tx));
        return (*outcome)->ok();
      },
      [outcome, done = std::move(done)](const Status& committed) {
        if (!committed.ok()) {
          done(committed.error());
        } else if (!outcome->has_value()) {
          done(error(ErrorCode::internal, "the write did not run"));
        } else {
          done(std::move(**outcome));
        }
      });
}

// Blocks the calling thread until the write commits: for the CLI and background workers only,
// never on a request thread.
template <class T, class Work>
Result<T> run_write_blocking(Store& store, TenantId tenant, Work work) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  run_write<T>(store, tenant, std::move(work),
               Callback<T>([promise](Result<T> r) { promise->set_value(std::move(r)); }));
  return future.get();
}

}  // namespace depot
