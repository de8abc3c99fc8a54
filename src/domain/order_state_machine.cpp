#include "domain/order_state_machine.h"

#include <array>
#include <utility>

namespace depot {

namespace {

struct Edge {
  OrderStatus from;
  OrderStatus to;
};

constexpr std::array kEdges = {
    Edge{OrderStatus::pending_payment, OrderStatus::awaiting_shipment},
    Edge{OrderStatus::pending_payment, OrderStatus::on_hold},
    Edge{OrderStatus::pending_payment, OrderStatus::cancelled},
    Edge{OrderStatus::awaiting_shipment, OrderStatus::partially_shipped},
    Edge{OrderStatus::awaiting_shipment, OrderStatus::shipped},
    Edge{OrderStatus::awaiting_shipment, OrderStatus::on_hold},
    Edge{OrderStatus::awaiting_shipment, OrderStatus::cancelled},
    Edge{OrderStatus::on_hold, OrderStatus::pending_payment},
    Edge{OrderStatus::on_hold, OrderStatus::awaiting_shipment},
    Edge{OrderStatus::on_hold, OrderStatus::partially_shipped},
    Edge{OrderStatus::on_hold, OrderStatus::cancelled},
    Edge{OrderStatus::partially_shipped, OrderStatus::shipped},
    Edge{OrderStatus::partially_shipped, OrderStatus::on_hold},
    Edge{OrderStatus::shipped, OrderStatus::delivered},
    Edge{OrderStatus::delivered, OrderStatus::completed},
};

}  // namespace

std::string_view to_string(OrderStatus status) {
  switch (status) {
    case OrderStatus::pending_payment:
      return "pending_payment";
    case OrderStatus::awaiting_shipment:
      return "awaiting_shipment";
    case OrderStatus::partially_shipped:
      return "partially_shipped";
    case OrderStatus::shipped:
      return "shipped";
    case OrderStatus::delivered:
      return "delivered";
    case OrderStatus::completed:
      return "completed";
    case OrderStatus::on_hold:
      return "on_hold";
    case OrderStatus::cancelled:
      return "cancelled";
  }
  return "unknown";
}

std::optional<OrderStatus> parse_order_status(std::string_view text) {
  for (OrderStatus status : kAllOrderStatuses) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

bool can_transition(OrderStatus from, OrderStatus to) {
  for (const Edge& edge : kEdges) {
    if (edge.from == from && edge.to == to) return true;
  }
  return false;
}

Status transition(Order& order, OrderStatus to, std::string actor, std::string reason,
                  Instant now) {
  if (!can_transition(order.status, to)) {
    return error(ErrorCode::conflict, "an order that is " + std::string(to_string(order.status)) +
                                          " cannot become " + std::string(to_string(to)));
  }
  order.history.push_back(HistoryEntry{order.status, to, std::move(actor), std::move(reason), now});
  order.status = to;
  return {};
}

bool is_before_shipment(OrderStatus status) {
  return status == OrderStatus::pending_payment || status == OrderStatus::awaiting_shipment ||
         status == OrderStatus::on_hold;
}

}  // namespace depot

namespace depot {

void note(Order& order, std::string actor, std::string reason, Instant now) {
  order.history.push_back(
      HistoryEntry{order.status, order.status, std::move(actor), std::move(reason), now});
}

}  // namespace depot
