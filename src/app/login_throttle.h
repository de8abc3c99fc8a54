#pragma once
// Slows password guessing (SPEC SEC-2): after a few failed logins for one email, or many from one
// client address, each further attempt must wait, twice as long after every failure, up to a
// cap. A success clears the email's count; failures are forgotten once a window has passed
// without any. Kept in memory: a restart forgives, which costs a guesser nothing they could not
// get by waiting, and lets a locked-out merchant in again. Thread-safe.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

#include "concurrency/mutex.h"
#include "domain/time.h"

namespace depot {

struct LoginThrottleOptions {
  int free_failures_per_email = 5;
  int free_failures_per_address = 20;  // an office behind one address has many people
  std::chrono::seconds first_wait{1};
  std::chrono::seconds max_wait{15 * 60};
  std::chrono::seconds forget_after{15 * 60};
  std::size_t max_tracked = 100000;  // bounds memory under a spray of made-up emails
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleOptions options = {}) : options_(options) {}

  // How long to wait before this email may try again from this address; nothing when it may now.
  std::optional<std::chrono::seconds> wait_before(const std::string& email,
                                                  const std::string& address, Instant now);
  void failed(const std::string& email, const std::string& address, Instant now);
  void succeeded(const std::string& email);

 private:
  struct Record {
    int failures = 0;
    Instant last_failure;
  };
  std::optional<std::chrono::seconds> wait_for(const std::string& key, int free_failures,
                                               Instant now) REQUIRES(mutex_);
  void count(const std::string& key, Instant now) REQUIRES(mutex_);
  void forget_old(Instant now) REQUIRES(mutex_);

  LoginThrottleOptions options_;
  Mutex mutex_;
  std::unordered_map<std::string, Record> records_ GUARDED_BY(mutex_);
};

}  // namespace depot
