#pragma once
// The outbox dispatcher's thread (SPEC NTF-1, NTF-5): woken when events commit, when a send's
// outcome is recorded and when the next retry falls due, it plans the deliveries of new events
// and hands due deliveries to the sender, keeping at most `max_in_flight` sends open at once. At
// start it releases the deliveries a stopped process left in flight and catches up on every
// merchant's outbox. On SQLite one process owns this work.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "app/notification_dispatcher.h"
#include "app/notification_sender.h"

namespace depot::workers {

struct NotificationWorkerOptions {
  int max_in_flight = 1000;
  // The longest sleep: merchants created meanwhile and retries are noticed at least this often.
  std::chrono::milliseconds idle{1000};
};

class NotificationWorker {
 public:
  NotificationWorker(Store& store, NotificationDispatcher& dispatcher, NotificationSender& sender,
                     NotificationWorkerOptions options = {})
      : store_(store), dispatcher_(dispatcher), sender_(sender), options_(options) {}
  ~NotificationWorker() { stop(); }

  void start();
  // Lets the current round finish, then returns; sends in flight finish on their own.
  void stop();
  // New events of these merchants were committed. Safe from any thread; never blocks.
  void events_committed(const std::vector<TenantId>& tenants);
  // A send's outcome was recorded: room for another. Safe from any thread; never blocks.
  void send_finished();

 private:
  void loop();
  // Plans one batch of the merchant's events; asks for another round while more may be left.
  void plan(TenantId tenant);
  // Starts due sends for every merchant while there is room; answers the next due time.
  std::optional<Instant> send_due();

  Store& store_;
  NotificationDispatcher& dispatcher_;
  NotificationSender& sender_;
  const NotificationWorkerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<TenantId> to_plan_;  // GUARDED_BY(mutex_)
  bool send_pending_ = false;   // GUARDED_BY(mutex_)
  bool stopping_ = false;       // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace depot::workers
