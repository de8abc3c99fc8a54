#pragma once
// Stock arithmetic (SPEC INV-2 … INV-7). A balance is on hand and reserved at one location; every
// change is a Movement, and the ledger of movements is the truth the balances are kept from.
// Nothing here can make on hand, reserved or available negative.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace depot {

enum class MovementKind {
  inbound,
  adjustment,
  reservation,
  release,
  shipment,
  transfer_out,
  transfer_in,
  return_restock,
};

std::string_view to_string(MovementKind kind);
std::optional<MovementKind> parse_movement_kind(std::string_view text);

struct StockBalance {
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;

  std::int64_t available() const { return on_hand - reserved; }
  bool operator==(const StockBalance&) const = default;
};

struct Movement {
  MovementKind kind = MovementKind::inbound;
  std::int64_t on_hand_delta = 0;
  std::int64_t reserved_delta = 0;
};

inline StockBalance apply(StockBalance balance, const Movement& movement) {
  return {balance.on_hand + movement.on_hand_delta, balance.reserved + movement.reserved_delta};
}

inline constexpr std::int64_t kMaxStockQuantity = 1'000'000'000'000;

Result<Movement> receive(const StockBalance& balance, std::int64_t quantity);
Result<Movement> reserve(const StockBalance& balance, std::int64_t quantity);
// Releasing more than is reserved is a bug in the caller, refused as a conflict.
Result<Movement> release(const StockBalance& balance, std::int64_t quantity);
// Units reserved for an order leave the warehouse: on hand and reserved both fall.
Result<Movement> ship_reserved(const StockBalance& balance, std::int64_t quantity);
// Stocktake: the counted quantity replaces on hand; it may not fall below what is reserved.
Result<Movement> adjust_to_count(const StockBalance& balance, std::int64_t counted);
Result<Movement> adjust_by(const StockBalance& balance, std::int64_t delta);
// The two halves of a transfer; the outgoing half may only move available stock.
Result<Movement> transfer_out(const StockBalance& balance, std::int64_t quantity);
Result<Movement> transfer_in(const StockBalance& balance, std::int64_t quantity);

// Where a reservation takes its units from: locations in the order given (the default location
// first), each giving what it has available, until the quantity is covered.
struct LocationAvailability {
  std::int64_t location_id = 0;
  StockBalance balance;
};
struct Allocation {
  std::int64_t location_id = 0;
  std::int64_t quantity = 0;
};
// Refuses with insufficient_stock, naming how much is available, when the total is short.
Result<std::vector<Allocation>> allocate(const std::vector<LocationAvailability>& locations,
                                         std::int64_t quantity);

// Low-stock alerts (INV-7) open once when available falls below the threshold and close when it
// is back at or above it; a threshold of 0 means no alerting.
enum class LowStockChange { none, open, close };
LowStockChange low_stock_change(bool alert_open, std::int64_t available, std::int64_t threshold);

}  // namespace depot
