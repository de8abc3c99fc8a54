#include "app/operation_metrics.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "concurrency/mutex.h"

namespace depot {

namespace {

// Jobs per group commit: one at a time when idle, hundreds under load.
const std::vector<double> kBatchBounds = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
// A commit's time on the writer, from a cached page write to a slow disk's fsync.
const std::vector<double> kCommitBounds = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                           0.05,   0.1,   0.25,  0.5,   1,    2.5};
// Events counted per merchant when scraped: past this the lag is plain enough.
constexpr int kPendingEventsCounted = 1000;

// Alert kinds seen since start: a kind whose last alert closed reads 0 rather than vanishing.
struct SeenKinds {
  Mutex mutex;
  std::set<std::string> kinds GUARDED_BY(mutex);
};

}  // namespace

void add_store_metrics(metrics::Registry& registry, Store& store, Clock& clock) {
  metrics::Histogram& batch_jobs =
      registry
          .histogram("depot_store_commit_batch_jobs",
                     "Use cases committed together in one group commit of the store's writer.", {},
                     kBatchBounds)
          .with({});
  metrics::Histogram& commit_seconds =
      registry
          .histogram("depot_store_commit_duration_seconds",
                     "Time a group commit held the store's writer: its use cases and the commit "
                     "(fsync).",
                     {}, kCommitBounds)
          .with({});
  store.on_batch_committed(
      [&batch_jobs, &commit_seconds](std::size_t jobs, std::chrono::microseconds took) {
        batch_jobs.observe(static_cast<double>(jobs));
        commit_seconds.observe(std::chrono::duration<double>(took).count());
      });

  auto seen = std::make_shared<SeenKinds>();
  registry.computed(
      {
          {"depot_outbox_lag_events",
           "Events the notification dispatcher has not planned yet, summed over merchants "
           "(counted up to 1000 per merchant).",
           metrics::MetricType::gauge,
           {}},
          {"depot_outbox_lag_seconds",
           "Age of the oldest event the notification dispatcher has not planned yet, over all "
           "merchants (0 when it is caught up).",
           metrics::MetricType::gauge,
           {}},
          {"depot_open_alerts",
           "Open alerts by kind, summed over merchants.",
           metrics::MetricType::gauge,
           {"kind"}},
      },
      [&store, &clock, seen] {
        double pending = 0;
        double oldest_seconds = 0;
        std::map<std::string, double> alerts;
        Instant now = clock.now();
        for (TenantId tenant : store.tenant_ids()) {
          std::unique_ptr<ReadTx> tx = store.read(tenant);
          std::int64_t position = tx->dispatch_position();
          if (tx->latest_event_id() > position) {
            std::vector<EventRecord> events = tx->events_after(position, kPendingEventsCounted);
            pending += static_cast<double>(events.size());
            if (!events.empty()) {
              oldest_seconds = std::max(
                  oldest_seconds, std::chrono::duration<double>(now - events.front().at).count());
            }
          }
          for (const Alert& alert : tx->open_alerts()) alerts[alert.kind] += 1;
        }
        std::vector<metrics::Sample> by_kind;
        {
          MutexLock lock(seen->mutex);
          for (const auto& [kind, count] : alerts) seen->kinds.insert(kind);
          for (const std::string& kind : seen->kinds) {
            auto found = alerts.find(kind);
            by_kind.push_back({{kind}, found == alerts.end() ? 0.0 : found->second});
          }
        }
        return std::vector<std::vector<metrics::Sample>>{
            {{{}, pending}}, {{{}, std::max(0.0, oldest_seconds)}}, std::move(by_kind)};
      });
}

void add_notification_metrics(metrics::Registry& registry, NotificationSender& sender) {
  auto& attempts = registry.counter(
      "depot_notifications_total",
      "Notification send attempts by channel and outcome (sent, retry_later, permanent, sandbox).",
      {"channel", "outcome"});
  sender.on_attempt([&attempts](ChannelKind channel, std::string_view outcome) {
    attempts.with({to_string(channel), outcome}).inc();
  });
  registry.computed({{"depot_notifications_in_flight",
                      "Notification sends started and not yet recorded, by channel.",
                      metrics::MetricType::gauge,
                      {"channel"}}},
                    [&sender] {
                      std::vector<metrics::Sample> samples;
                      for (ChannelKind channel : kChannels) {
                        samples.push_back({{std::string(to_string(channel))},
                                           static_cast<double>(sender.in_flight(channel))});
                      }
                      return std::vector<std::vector<metrics::Sample>>{std::move(samples)};
                    });
}

}  // namespace depot
