#pragma once
// Helpers shared by the C++ tests: a settable clock, a temporary directory, waiting for
// callback-style use cases, and ASSERT_OK that prints the error.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <random>
#include <string>
#include <thread>

#include "app/ports.h"
#include "app/write.h"

namespace depot::testing {

class FakeClock final : public Clock {
 public:
  Instant now() override { return now_.load(); }
  void set(Instant t) { now_ = t; }
  void advance(std::chrono::milliseconds by) { now_ = now_.load() + by; }

 private:
  std::atomic<Instant> now_{Instant{std::chrono::seconds{1795320000}}};
};

class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("depot-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

template <class T, class Start>
Result<T> wait(Start start) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  start(Callback<T>([&promise](Result<T> r) { promise.set_value(std::move(r)); }));
  return future.get();
}

#define ASSERT_OK(expr)                                                    \
  do {                                                                     \
    const auto& result_ = (expr);                                          \
    ASSERT_TRUE(result_.ok()) << #expr << ": " << result_.error().message; \
  } while (0)

// Waits (up to 10 s) until `done` holds; answers whether it did.
template <class Condition>
bool eventually(Condition done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace depot::testing
