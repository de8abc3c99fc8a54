#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "concurrency/thread_annotations.h"

namespace depot {

// std::mutex with the annotations clang's thread-safety analysis needs (libstdc++'s std::mutex
// has none). Same size and cost: every call is an inline forward to std::mutex.
class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mutex_.lock(); }
  void unlock() RELEASE() { mutex_.unlock(); }
  bool try_lock() TRY_ACQUIRE(true) { return mutex_.try_lock(); }

 private:
  friend class ConditionVariable;
  std::mutex mutex_;
};

// Holds a Mutex for its scope, like std::lock_guard; unlock() and lock() let a scope step out of
// the lock for a moment (to call out without holding it) and back in.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mutex) ACQUIRE(mutex) : mutex_(mutex) { mutex_.lock(); }
  ~MutexLock() RELEASE() {
    if (held_) mutex_.unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void unlock() RELEASE() {
    mutex_.unlock();
    held_ = false;
  }
  void lock() ACQUIRE() {
    mutex_.lock();
    held_ = true;
  }

 private:
  Mutex& mutex_;
  bool held_ = true;
};

// std::condition_variable for a depot::Mutex. The caller holds the mutex (REQUIRES); while waiting
// it is released and it is held again on return, as with std::condition_variable. No extra lock or
// allocation (std::condition_variable_any would add both): the wait adopts the held std::mutex.
// Predicates that read guarded data are lambdas annotated REQUIRES(the mutex).
class ConditionVariable {
 private:
  // Runs `wait` on a std::unique_lock adopting the std::mutex inside `mutex`, which the caller
  // holds before and after; ownership goes back to the caller's lock even when a predicate throws.
  template <class Wait>
  static auto adopted(Mutex& mutex, Wait wait) NO_THREAD_SAFETY_ANALYSIS {
    std::unique_lock lock(mutex.mutex_, std::adopt_lock);
    struct GiveBack {
      std::unique_lock<std::mutex>& lock;
      ~GiveBack() { lock.release(); }
    } give_back{lock};
    return wait(lock);
  }

 public:
  void notify_one() noexcept { cv_.notify_one(); }
  void notify_all() noexcept { cv_.notify_all(); }

  void wait(Mutex& mutex) REQUIRES(mutex) {
    adopted(mutex, [&](std::unique_lock<std::mutex>& lock) { cv_.wait(lock); });
  }

  template <class Predicate>
  void wait(Mutex& mutex, Predicate stop_waiting) REQUIRES(mutex) {
    adopted(mutex, [&](std::unique_lock<std::mutex>& lock) { cv_.wait(lock, stop_waiting); });
  }

  // Returns false when `deadline` passed with the predicate still false.
  template <class Clock, class Duration, class Predicate>
  bool wait_until(Mutex& mutex, const std::chrono::time_point<Clock, Duration>& deadline,
                  Predicate stop_waiting) REQUIRES(mutex) {
    return adopted(mutex, [&](std::unique_lock<std::mutex>& lock) {
      return cv_.wait_until(lock, deadline, stop_waiting);
    });
  }

  // Returns false when `timeout` passed with the predicate still false.
  template <class Rep, class Period, class Predicate>
  bool wait_for(Mutex& mutex, const std::chrono::duration<Rep, Period>& timeout,
                Predicate stop_waiting) REQUIRES(mutex) {
    return adopted(mutex, [&](std::unique_lock<std::mutex>& lock) {
      return cv_.wait_for(lock, timeout, stop_waiting);
    });
  }

 private:
  std::condition_variable cv_;
};

}  // namespace depot
