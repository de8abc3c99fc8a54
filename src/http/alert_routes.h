#pragma once
// GET /api/v1/alerts/stream (SPEC NTF-7): a merchant's alerts as Server-Sent Events, as they
// happen. Each alert event (stock.low, order.held, shipment.overdue, shipment.escalated,
// notification.dead) is one SSE event whose id is the event's id, whose name is its type and whose
// data is the event as GET /api/v1/events shows it. Last-Event-ID resumes after a reconnect.

#include <chrono>

#include "app/alert_feed.h"
#include "http/router.h"

namespace depot::http {

struct AlertStreamOptions {
  // An SSE comment is sent when nothing else was for this long.
  std::chrono::milliseconds keepalive_every{15'000};
};

void add_alert_routes(Router& router, AlertFeed& feed, AlertStreamOptions options = {});

}  // namespace depot::http
