#include "app/order_writes.h"

#include "app/audit.h"
#include "domain/event_catalog.h"
#include "domain/order_changes.h"

namespace depot {

Error order_not_found(std::int64_t id) {
  return error(ErrorCode::not_found, "order " + std::to_string(id) + " was not found");
}

Status check_skus_exist(WriteTx& tx, const std::vector<OrderLine>& lines) {
  Error unknown{ErrorCode::invalid, "unknown SKU", {}};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!tx.low_stock_threshold(lines[i].sku)) {
      unknown.fields.push_back(
          {"lines[" + std::to_string(i) + "].sku", "unknown SKU " + lines[i].sku});
    }
  }
  if (unknown.fields.empty()) return {};
  unknown.message = unknown.fields.front().message;
  return unknown;
}

Status insert_new_order(WriteTx& tx, StockKeeper& keeper, Order& order,
                        const std::vector<OrderLine>& to_reserve,
                        const std::string& idempotency_key, const std::string& fingerprint,
                        Instant now) {
  if (Status held = keeper.reserve_order(order.id, to_reserve); !held.ok()) {
    // Short of stock, or no such product: the lookup is paid only when something failed.
    if (Status known = check_skus_exist(tx, order.lines); !known.ok()) return known;
    return held;
  }
  tx.insert_order(order, idempotency_key, fingerprint);
  order.stored_history = order.history.size();
  tx.append_event(events::order_created(order), now);
  // The creator is the actor of the order's first history entry (open_order).
  record_audit(tx, order.history.front().actor, "order.create", audit_object("order", order.id),
               order_created_changes(order), now);
  return {};
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
