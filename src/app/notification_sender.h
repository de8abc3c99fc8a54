#pragma once
// The sender's use case (SPEC NTF-2, NTF-5, NTF-6): claims a merchant's due deliveries, hands
// each to its channel, and records every attempt: sent; failed and due again after a growing,
// jittered delay (honouring Retry-After); or dead after the last try or a permanent refusal. A
// customer delivery that dies makes way for the next usable channel; when no channel is left, one
// customer-service ticket is opened for the event and the merchant is alerted.
//
// A claim is written before the send starts and holds a lease: a process that stops mid-send
// leaves the delivery due again, to be repeated with the same key so the provider can drop it.
//
// The store has one writer, shared with order intake, so the sender keeps its writes few and
// narrow: due deliveries are read (and their messages completed) off the writer, and the claim
// only moves each one to `sending` if it is still as it was read; outcomes wait in memory until
// record_outcomes() writes many of them in one write, each an update of the delivery's state
// that holds only while it is still `sending` under the lease it was claimed with.
//
// Thread safety: every method may be called from any thread. Outcomes arrive on the channels'
// threads and never wait for the store.

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <utility>

#include "app/channel.h"
#include "app/notification_composer.h"
#include "app/write.h"
#include "concurrency/mutex.h"

namespace depot {

using ChannelSet = std::map<ChannelKind, Channel*>;

class NotificationSender {
 public:
  // `node` names this depot node among those on the same store, and must stay the same across its
  // restarts: its claims carry it, so that a restart releases its own sends and no other node's.
  NotificationSender(Store& store, Clock& clock, const NotificationComposer& composer,
                     ChannelSet channels, std::string node)
      : store_(store),
        clock_(clock),
        composer_(composer),
        channels_(std::move(channels)),
        node_(std::move(node)) {}

  // Claims the merchant's due deliveries, at most `limits[channel]` on each channel, and starts
  // sending them; answers how many started on each. Blocking until the claim commits: for the
  // dispatcher's worker.
  Result<std::map<ChannelKind, int>> send_due(TenantId tenant,
                                              const std::map<ChannelKind, int>& limits);
  // With batching on, outcomes wait in memory until record_outcomes() writes them; with it off
  // (at first, and for a stop) each is written as it comes in, and turning it off writes those
  // waiting at once.
  void batch_outcomes(bool on);
  // Writes up to `limit` of the outcomes that have come in (one merchant's, the oldest first) in
  // one write, without waiting for it; answers how many it took. Takes none while the last such
  // write is still on its way: its end is heard through on_outcome.
  int record_outcomes(int limit);
  // Blocks until every write of outcomes handed to the store so far has been answered and its
  // listeners have run: after it, only outcomes still to come call back. For a stop.
  void wait_for_writes() EXCLUDES(mutex_);
  // At start: deliveries this node left in flight when it stopped are due now.
  Result<int> release_interrupted(TenantId tenant);
  // When the merchant's next delivery falls due.
  std::optional<Instant> next_due(TenantId tenant);

  // Sends claimed and not yet recorded, on one channel or on all, or one merchant's on a channel.
  int in_flight(ChannelKind channel) const;
  int in_flight(TenantId tenant, ChannelKind channel) const;
  int in_flight() const { return in_flight_total_.load(); }
  // Whether record_outcomes() would take any now: outcomes wait and no write of them is on its way.
  bool outcomes_to_record() const;

  // Called when an outcome comes in (on the channel's thread) and when a write of outcomes ends
  // (on the store's thread that answers commits): the worker's wake-up. Must only signal. Set
  // before use.
  void on_outcome(std::function<void()> listener) { on_outcome_ = std::move(listener); }
  // Called after each outcome was recorded, or failed to be (then the delivery is sent again when
  // its lease ends), on the store's thread that answers commits: the worker's log. Set before use.
  using RecordListener = std::function<void(std::int64_t notification_id, const Status& stored)>;
  void on_recorded(RecordListener listener) { on_recorded_ = std::move(listener); }
  // Called with the time each of the sender's writes spent on the store's writer (the work
  // inside it), on the writer thread: the dispatcher's pacing. Optional; set before use.
  using WriterTimeListener = std::function<void(std::chrono::nanoseconds)>;
  void on_writer_time(WriterTimeListener listener) { on_writer_time_ = std::move(listener); }
  // Called as each send's outcome comes in, on the channel's thread, with its channel and how it
  // went: "sent", "retry_later", "permanent", or "sandbox" (kept in the sandbox inbox), for
  // metrics. Must be cheap and never wait. Optional; set before use.
  using AttemptListener = std::function<void(ChannelKind channel, std::string_view outcome)>;
  void on_attempt(AttemptListener listener) { on_attempt_ = std::move(listener); }

 private:
  struct Claimed {
    Notification notification;  // as the claim wrote it: `sending`, leased until next_attempt_at
    std::shared_ptr<const ChannelAccount> account;
  };
  struct Outcome {
    TenantId tenant = 0;
    // As claimed; the channel is done with its message once the outcome comes in.
    std::shared_ptr<Notification> notification;
    Instant started_at;
    Instant finished_at;
    SendOutcome result;
    bool sandbox = false;
  };
  void start(TenantId tenant, Claimed claimed);
  void arrived(Outcome outcome) EXCLUDES(mutex_);
  // Hands `batch` (one merchant's) to the store's writer.
  void submit(std::vector<Outcome> batch);
  void write_outcomes(WriteTx& tx, std::vector<Outcome>& batch);
  void outcomes_written(const std::vector<Outcome>& batch, const Status& stored);
  void report_writer_time(std::chrono::steady_clock::time_point started) const;
  double jitter() EXCLUDES(mutex_);

  Store& store_;
  Clock& clock_;
  const NotificationComposer& composer_;
  ChannelSet channels_;
  const std::string node_;
  std::function<void()> on_outcome_;
  RecordListener on_recorded_;
  WriterTimeListener on_writer_time_;
  AttemptListener on_attempt_;
  std::atomic<int> in_flight_total_ = 0;
  mutable Mutex mutex_;
  std::map<ChannelKind, int> in_flight_ GUARDED_BY(mutex_);
  std::map<std::pair<TenantId, ChannelKind>, int> merchant_in_flight_ GUARDED_BY(mutex_);
  std::set<std::pair<TenantId, std::int64_t>> sending_ GUARDED_BY(mutex_);
  std::deque<Outcome> arrived_ GUARDED_BY(mutex_);
  bool batching_ GUARDED_BY(mutex_) = false;
  bool recording_ GUARDED_BY(mutex_) = false;
  int writes_on_their_way_ GUARDED_BY(mutex_) = 0;
  ConditionVariable writes_answered_;
  std::mt19937_64 random_ GUARDED_BY(mutex_) = std::mt19937_64(std::random_device{}());
};

}  // namespace depot
