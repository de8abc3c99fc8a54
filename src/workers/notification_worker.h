#pragma once
// The outbox dispatcher's thread (SPEC NTF-1, NTF-5): woken when events commit, when a send's
// outcome comes in or is recorded and when the next retry falls due, it writes the outcomes that
// came in (many in one write), plans the deliveries of new events and hands due deliveries to the
// sender, keeping at most `max_in_flight[channel]` sends open on each channel, so a slow channel
// fills only its own places, and at most `merchant_share` of them for one merchant, so a
// merchant's slow provider fills only that merchant's places. At start it releases the deliveries a
// stopped process left in flight and catches up on every merchant's outbox. On SQLite one process
// owns this work.
//
// Every one of those writes goes through the store's single writer, which also commits orders:
// while other work keeps committing events, the worker holds its writes to a share of the
// writer's time (DispatchPacer) and takes smaller batches, so order intake keeps most of its rate
// and the backlog is worked off beside it.

#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "app/notification_dispatcher.h"
#include "app/notification_pacer.h"
#include "app/notification_sender.h"
#include "concurrency/mutex.h"

namespace depot::workers {

struct NotificationWorkerOptions {
  // Sends open at once, per channel. An SMTP exchange takes several round trips and a new
  // connection per mail; a webhook is one request on a kept connection.
  std::map<ChannelKind, int> max_in_flight = {
      {ChannelKind::email, 64}, {ChannelKind::sms, 64},      {ChannelKind::wechat, 64},
      {ChannelKind::push, 64},  {ChannelKind::webhook, 256}, {ChannelKind::platform, 64}};
  // The share of each channel's places one merchant may hold at once (at least one place): a
  // merchant whose mail server or endpoint hangs fills only its share, and the other merchants'
  // sends on that channel go on in the rest.
  double merchant_share = 0.25;
  // The longest sleep: merchants created meanwhile and retries are noticed at least this often.
  std::chrono::milliseconds idle{1000};
  DispatchPacer::Options pacing;
};

// The most sends the worker keeps open at once, over every channel.
std::size_t sends_in_flight_at_most(const NotificationWorkerOptions& options);

// Work per write, when the writer is the dispatcher's alone and when it is shared with intake.
// Planning is the longest step of a round (each event is read and its messages rendered), and
// sends wait for the next round's claim: a round plans few enough events that a slot freed by a
// finished send is filled again within milliseconds.
struct DispatchBatches {
  int events = 100;     // events planned in one write
  int claims = 256;     // deliveries claimed per channel in one write
  int outcomes = 1000;  // outcomes recorded in one write
};
inline constexpr DispatchBatches kAloneBatches{};
inline constexpr DispatchBatches kPacedBatches{50, 32, 100};

class NotificationWorker {
 public:
  NotificationWorker(Store& store, NotificationDispatcher& dispatcher, NotificationSender& sender,
                     NotificationWorkerOptions options = {});
  ~NotificationWorker() { stop(); }

  void start();
  // Lets the current round finish and waits for the answers to the outcome writes already handed
  // to the store, then returns. Sends still in flight finish on their own, their outcomes are
  // written as they come in, and they still wake this worker: it must outlive the channels.
  void stop();
  // New events of these merchants were committed. Safe from any thread; never blocks.
  void events_committed(const std::vector<TenantId>& tenants);
  // A send's outcome came in or was recorded: work for the worker, room for another send. Safe
  // from any thread; never blocks.
  void send_finished();

 private:
  void loop();
  // One round: outcomes, then one batch of planning per merchant in `planning` (dropping those
  // caught up), then due sends. Stops early when the pacer asks to wait. Answers whether more
  // deliveries may be due at once: a full batch was claimed, or the round stopped before it
  // looked.
  bool round(std::set<TenantId>& planning, std::optional<Instant>& next_due);
  // Plans one batch of the merchant's events; answers how many it read (0 after a failure).
  int plan(TenantId tenant, int batch);
  // Starts due sends for every merchant while there is room; answers whether a full batch was
  // claimed somewhere (more may be due now) and sets `next_due` to the next future due time.
  bool send_due(int batch, std::optional<Instant>& next_due);
  const DispatchBatches& batches() const;

  Store& store_;
  NotificationDispatcher& dispatcher_;
  NotificationSender& sender_;
  const NotificationWorkerOptions options_;
  DispatchPacer pacer_;
  Mutex mutex_;
  ConditionVariable wake_;
  std::set<TenantId> to_plan_ GUARDED_BY(mutex_);
  bool send_pending_ GUARDED_BY(mutex_) = false;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace depot::workers
