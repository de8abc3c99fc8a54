#pragma once
// The one place that decides which order status may follow which (SPEC ORD-2). Every change of
// status goes through transition(), which also records who, when and why in the order history.

#include <string>

#include "domain/order.h"
#include "domain/result.h"

namespace depot {

bool can_transition(OrderStatus from, OrderStatus to);

// Moves `order` to `to` and appends a history entry; refuses with `conflict` when the state machine
// does not allow it. Does not touch version or timestamps beyond the history entry.
Status transition(Order& order, OrderStatus to, std::string actor, std::string reason, Instant now);

// Statuses in which the goods have not left the warehouse (an order can still change or cancel).
bool is_before_shipment(OrderStatus status);

}  // namespace depot

namespace depot {

// Records something that happened to the order without changing its status (an edit, a payment).
void note(Order& order, std::string actor, std::string reason, Instant now);

}  // namespace depot
