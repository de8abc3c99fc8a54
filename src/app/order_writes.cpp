#include "app/order_writes.h"

#include "domain/event_catalog.h"

namespace depot {

Error order_not_found(std::int64_t id) {
  return error(ErrorCode::not_found, "order " + std::to_string(id) + " was not found");
}

void save_order(WriteTx& tx, Order& order, Instant now) {
  order.updated_at = now;
  for (std::size_t i = order.stored_history; i < order.history.size(); ++i) {
    const HistoryEntry& entry = order.history[i];
    if (entry.from && *entry.from != entry.to) {
      tx.append_event(events::order_status_changed(order, entry), now);
    }
  }
  tx.update_order(order);
  order.stored_history = order.history.size();
}

}  // namespace depot
