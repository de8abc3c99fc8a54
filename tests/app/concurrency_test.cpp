#include "concurrency/mutex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace depot {
namespace {

using namespace std::chrono_literals;

// A flag handed from one thread to another the way the workers do it.
struct Handoff {
  Mutex mutex;
  ConditionVariable changed;
  int value GUARDED_BY(mutex) = 0;
};

// Whether another thread could take `mutex` just now.
bool free_elsewhere(Mutex& mutex) {
  bool taken = false;
  std::thread([&] {
    if (mutex.try_lock()) {
      taken = true;
      mutex.unlock();
    }
  }).join();
  return taken;
}

TEST(ConditionVariable, WakesAWaiterWhenThePredicateTurnsTrue) {
  Handoff handoff;
  std::thread setter([&] {
    std::this_thread::sleep_for(10ms);
    {
      MutexLock lock(handoff.mutex);
      handoff.value = 7;
    }
    handoff.changed.notify_all();
  });
  MutexLock lock(handoff.mutex);
  handoff.changed.wait(handoff.mutex, [&]() REQUIRES(handoff.mutex) { return handoff.value != 0; });
  EXPECT_EQ(handoff.value, 7);
  lock.unlock();
  setter.join();
}

TEST(ConditionVariable, TimedWaitsAnswerWhetherThePredicateHeld) {
  Handoff handoff;
  MutexLock lock(handoff.mutex);
  auto set = [&]() REQUIRES(handoff.mutex) { return handoff.value != 0; };
  EXPECT_FALSE(handoff.changed.wait_for(handoff.mutex, 5ms, set));
  EXPECT_FALSE(
      handoff.changed.wait_until(handoff.mutex, std::chrono::steady_clock::now() + 5ms, set));
  handoff.value = 1;
  EXPECT_TRUE(handoff.changed.wait_for(handoff.mutex, 1h, set));
  EXPECT_TRUE(handoff.changed.wait_until(handoff.mutex, std::chrono::system_clock::now(), set));
}

// The wait adopts the caller's std::mutex: a throwing predicate must hand it back, or the
// caller's MutexLock would unlock it a second time.
TEST(ConditionVariable, APredicateThatThrowsLeavesTheMutexWithTheCaller) {
  Handoff handoff;
  {
    MutexLock lock(handoff.mutex);
    auto broken = []() -> bool { throw std::runtime_error("predicate failed"); };
    EXPECT_THROW(handoff.changed.wait(handoff.mutex, broken), std::runtime_error);
    EXPECT_THROW(handoff.changed.wait_for(handoff.mutex, 1h, broken), std::runtime_error);
    EXPECT_FALSE(free_elsewhere(handoff.mutex));
  }
  EXPECT_TRUE(free_elsewhere(handoff.mutex));
}

TEST(MutexLock, StepsOutOfTheLockAndBackIn) {
  Mutex mutex;
  {
    MutexLock lock(mutex);
    EXPECT_FALSE(free_elsewhere(mutex));
    lock.unlock();
    EXPECT_TRUE(free_elsewhere(mutex));
    lock.lock();
    EXPECT_FALSE(free_elsewhere(mutex));
  }
  EXPECT_TRUE(free_elsewhere(mutex));
}

}  // namespace
}  // namespace depot
