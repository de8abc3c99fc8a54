#pragma once
// The background scheduler: at a fixed interval it runs the periodic use cases for every merchant
// (today: cancelling orders left unpaid past the merchant's timeout). On SQLite one process owns
// this work. stop() waits for the current round to finish.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/order_service.h"

namespace depot::workers {

class Scheduler {
 public:
  Scheduler(Store& store, OrderService& orders, std::chrono::milliseconds interval)
      : store_(store), orders_(orders), interval_(interval) {}
  ~Scheduler() { stop(); }

  void start();
  void stop();
  // One round over every merchant; returns how many orders it cancelled.
  int run_once();

 private:
  Store& store_;
  OrderService& orders_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace depot::workers
