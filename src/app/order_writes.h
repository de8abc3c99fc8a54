#pragma once
// Small steps every use case that changes an order shares.

#include <cstdint>

#include "app/ports.h"
#include "app/stock_keeper.h"

namespace depot {

Error order_not_found(std::int64_t id);

// Names every line whose SKU is not a product of this merchant (lines[i].sku).
Status check_skus_exist(WriteTx& tx, const std::vector<OrderLine>& lines);

// Reserves `to_reserve` (the order's lines merged by SKU) for a new order and stores it with its
// order.created event and its audit entry; nothing is stored when a line is short of stock or
// names no product. The one way an order comes into being, whether a platform sold it or an
// exchange sends it.
Status insert_new_order(WriteTx& tx, StockKeeper& keeper, Order& order,
                        const std::vector<OrderLine>& to_reserve,
                        const std::string& idempotency_key, const std::string& fingerprint,
                        Instant now);

// Stores the order (its unsaved history included) and turns every change of status in that
// history into an order.status_changed event.
void save_order(WriteTx& tx, Order& order, Instant now);

}  // namespace depot
