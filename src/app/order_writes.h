#pragma once
// Small steps every use case that changes an order shares.

#include <cstdint>

#include "app/ports.h"

namespace depot {

Error order_not_found(std::int64_t id);

// Stores the order (its unsaved history included) and turns every change of status in that
// history into an order.status_changed event.
void save_order(WriteTx& tx, Order& order, Instant now);

}  // namespace depot
