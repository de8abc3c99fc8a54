#include "app/notification_dispatcher.h"

#include <algorithm>

namespace depot {

Result<int> NotificationDispatcher::plan(TenantId tenant, int batch) {
  std::unique_ptr<ReadTx> tx = store_.read(tenant);
  std::int64_t position = tx->dispatch_position();
  std::vector<EventRecord> records = tx->events_after(position, batch);
  if (records.empty()) return 0;
  PlanningContext context = planning_context(*tx, tenant, clock_.now());
  std::vector<Notification> planned;
  for (const EventRecord& record : records) {
    for (Notification& n : composer_.plan(*tx, context, record)) planned.push_back(std::move(n));
  }
  tx.reset();

  std::int64_t last = records.back().id;
  int read = static_cast<int>(records.size());
  return run_write_blocking<int>(store_, tenant, [&](WriteTx& write) -> Result<int> {
    auto began = std::chrono::steady_clock::now();
    if (write.dispatch_position() != position) {
      return error(ErrorCode::conflict, "another dispatcher planned these events");
    }
    for (Notification& n : planned) write.insert_notification(n);
    write.set_dispatch_position(last);
    if (on_writer_time_) on_writer_time_(std::chrono::steady_clock::now() - began);
    return read;
  });
}

Result<std::int64_t> NotificationDispatcher::pass_history(TenantId tenant) {
  return run_write_blocking<std::int64_t>(store_, tenant, [](WriteTx& tx) -> Result<std::int64_t> {
    std::int64_t last = std::max(tx.dispatch_position(), tx.latest_event_id());
    tx.set_dispatch_position(last);
    return last;
  });
}

}  // namespace depot
