#pragma once
// The use cases' side of depot's metrics (SPEC OPS-2), registered by the composition root:
//
// - the store: group-commit batch sizes and times, counted as each commit ends;
// - the outbox and alerts, read when scraped: how far the notification dispatcher is behind the
//   events (count and age of the oldest event it has not planned yet) and the open alerts by kind,
//   summed over merchants (no merchant is named in a label);
// - notifications: send attempts by channel and outcome as they come in, and sends in flight
//   per channel when scraped.
//
// What is read when scraped costs one read transaction per merchant per scrape.

#include "app/metrics.h"
#include "app/notification_sender.h"
#include "app/ports.h"

namespace depot {

// Registers on_batch_committed: call before writes start. `store` and `clock` must outlive
// `registry`'s scrapes.
void add_store_metrics(metrics::Registry& registry, Store& store, Clock& clock);

// Registers the sender's on_attempt: call before sends start. `sender` must outlive `registry`'s
// scrapes.
void add_notification_metrics(metrics::Registry& registry, NotificationSender& sender);

}  // namespace depot
