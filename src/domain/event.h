#pragma once
// Domain events (the outbox, SPEC NTF-1/NTF-5): what happened, to which order or SKU, with a few
// named values. Written in the same transaction as the change that caused them.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace depot {

using EventValue = std::variant<std::int64_t, std::string, bool>;

struct DomainEvent {
  std::string type;           // "order.created", "stock.low", …
  std::int64_t order_id = 0;  // 0 when the event is not about an order
  std::string sku;            // empty when the event is not about one SKU
  std::vector<std::pair<std::string, EventValue>> data;
};

}  // namespace depot
