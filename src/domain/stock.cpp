#include "domain/stock.h"

#include <algorithm>
#include <array>

namespace depot {

namespace {

constexpr std::array kKinds = {
    std::pair{MovementKind::inbound, "inbound"},
    std::pair{MovementKind::adjustment, "adjustment"},
    std::pair{MovementKind::reservation, "reservation"},
    std::pair{MovementKind::release, "release"},
    std::pair{MovementKind::shipment, "shipment"},
    std::pair{MovementKind::transfer_out, "transfer_out"},
    std::pair{MovementKind::transfer_in, "transfer_in"},
    std::pair{MovementKind::return_restock, "return_restock"},
};

Error short_of(std::int64_t wanted, std::int64_t available) {
  return error(ErrorCode::insufficient_stock, "wanted " + std::to_string(wanted) + ", only " +
                                                  std::to_string(available) + " available");
}

Error too_much(const char* field) {
  return invalid_field(field, "must be at most " + std::to_string(kMaxStockQuantity));
}

}  // namespace

std::string_view to_string(MovementKind kind) {
  for (auto [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<MovementKind> parse_movement_kind(std::string_view text) {
  for (auto [k, name] : kKinds) {
    if (name == text) return k;
  }
  return std::nullopt;
}

Result<Movement> receive(const StockBalance& balance, std::int64_t quantity) {
  if (quantity <= 0) return invalid_field("quantity", "must be greater than 0");
  if (quantity > kMaxStockQuantity - balance.on_hand) return too_much("quantity");
  return Movement{MovementKind::inbound, quantity, 0};
}

Result<Movement> reserve(const StockBalance& balance, std::int64_t quantity) {
  if (quantity <= 0) return invalid_field("quantity", "must be greater than 0");
  if (quantity > balance.available()) return short_of(quantity, balance.available());
  return Movement{MovementKind::reservation, 0, quantity};
}

Result<Movement> release(const StockBalance& balance, std::int64_t quantity) {
  if (quantity <= 0) return invalid_field("quantity", "must be greater than 0");
  if (quantity > balance.reserved) {
    return error(ErrorCode::conflict, "cannot release " + std::to_string(quantity) + ", only " +
                                          std::to_string(balance.reserved) + " reserved");
  }
  return Movement{MovementKind::release, 0, -quantity};
}

Result<Movement> ship_reserved(const StockBalance& balance, std::int64_t quantity) {
  if (quantity <= 0) return invalid_field("quantity", "must be greater than 0");
  if (quantity > balance.reserved) {
    return error(ErrorCode::conflict, "cannot ship " + std::to_string(quantity) + ", only " +
                                          std::to_string(balance.reserved) + " reserved");
  }
  return Movement{MovementKind::shipment, -quantity, -quantity};
}

Result<Movement> adjust_to_count(const StockBalance& balance, std::int64_t counted) {
  if (counted < 0) return invalid_field("counted_quantity", "must not be negative");
  if (counted > kMaxStockQuantity) return too_much("counted_quantity");
  if (counted < balance.reserved) {
    return error(ErrorCode::conflict, "counted " + std::to_string(counted) + " is below the " +
                                          std::to_string(balance.reserved) +
                                          " reserved for orders; release them first");
  }
  return Movement{MovementKind::adjustment, counted - balance.on_hand, 0};
}

Result<Movement> adjust_by(const StockBalance& balance, std::int64_t delta) {
  if (delta == 0) return invalid_field("delta", "must not be 0");
  if (delta > 0 && delta > kMaxStockQuantity - balance.on_hand) return too_much("delta");
  if (delta < 0 && delta < -balance.available()) {
    return error(ErrorCode::conflict, "cannot remove " + std::to_string(delta).substr(1) +
                                          ", only " + std::to_string(balance.available()) +
                                          " available (the rest is reserved for orders)");
  }
  return Movement{MovementKind::adjustment, delta, 0};
}

Result<Movement> transfer_out(const StockBalance& balance, std::int64_t quantity) {
  if (quantity <= 0) return invalid_field("quantity", "must be greater than 0");
  if (quantity > balance.available()) return short_of(quantity, balance.available());
  return Movement{MovementKind::transfer_out, -quantity, 0};
}

Result<Movement> transfer_in(const StockBalance& balance, std::int64_t quantity) {
  if (quantity <= 0) return invalid_field("quantity", "must be greater than 0");
  if (quantity > kMaxStockQuantity - balance.on_hand) return too_much("quantity");
  return Movement{MovementKind::transfer_in, quantity, 0};
}

Result<std::vector<Allocation>> allocate(const std::vector<LocationAvailability>& locations,
                                         std::int64_t quantity) {
  if (quantity <= 0) return invalid_field("quantity", "must be greater than 0");
  std::vector<Allocation> allocations;
  std::int64_t missing = quantity;
  std::int64_t total_available = 0;
  for (const LocationAvailability& location : locations) {
    std::int64_t available = std::max<std::int64_t>(location.balance.available(), 0);
    total_available += available;
    std::int64_t take = std::min(available, missing);
    if (take > 0) {
      allocations.push_back({location.location_id, take});
      missing -= take;
    }
  }
  if (missing > 0) return short_of(quantity, total_available);
  return allocations;
}

LowStockChange low_stock_change(bool alert_open, std::int64_t available, std::int64_t threshold) {
  if (threshold <= 0) return alert_open ? LowStockChange::close : LowStockChange::none;
  if (!alert_open && available < threshold) return LowStockChange::open;
  if (alert_open && available >= threshold) return LowStockChange::close;
  return LowStockChange::none;
}

}  // namespace depot
