#pragma once
// The dispatcher's use case (SPEC NTF-1, NTF-5): reads a merchant's outbox after the position it
// keeps and plans the deliveries each event calls for. The deliveries and the new position commit
// together, and a delivery is unique on its key, so an event is planned exactly once however often
// the process stops and starts. Planning reads and renders off the store's writer; the write
// checks that the position has not moved meanwhile.

#include <chrono>
#include <functional>

#include "app/notification_composer.h"
#include "app/write.h"

namespace depot {

class NotificationDispatcher {
 public:
  NotificationDispatcher(Store& store, Clock& clock, const NotificationComposer& composer)
      : store_(store), clock_(clock), composer_(composer) {}

  // Plans the deliveries of up to `batch` events after the merchant's position; answers how many
  // events it read (0 once it has caught up). Blocking: for the dispatcher's worker.
  Result<int> plan(TenantId tenant, int batch = 500);

  // Moves the merchant's position past every event stored so far without planning anything for
  // them: for history recorded into a new merchant (the demo's year of orders), whose customers
  // must never hear of it. Answers the new position. Blocking.
  Result<std::int64_t> pass_history(TenantId tenant);

  // Called with the time each planning write spent on the store's writer (the work inside it),
  // on the writer thread: the dispatcher's pacing. Optional; set before use.
  using WriterTimeListener = std::function<void(std::chrono::nanoseconds)>;
  void on_writer_time(WriterTimeListener listener) { on_writer_time_ = std::move(listener); }

 private:
  Store& store_;
  Clock& clock_;
  const NotificationComposer& composer_;
  WriterTimeListener on_writer_time_;
};

}  // namespace depot
