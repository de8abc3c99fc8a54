#pragma once
// Applies stock movements inside one write transaction: keeps balances and the ledger together
// (INV-3), reserves for orders across locations (INV-4), and opens or closes low-stock alerts once
// the use case is done (INV-7). One keeper per transaction; not thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/ports.h"
#include "domain/shipment.h"

namespace depot {

// The location a request names ("WAREHOUSE/LOCATION", "LOCATION", or "" for the default one) and
// its id; errors name `field`.
Result<std::pair<std::int64_t, LocationRef>> resolve_location(ReadTx& tx, const std::string& text,
                                                              const char* field);

class StockKeeper {
 public:
  StockKeeper(WriteTx& tx, std::string actor, Instant now);

  using Rule = std::function<Result<Movement>(const StockBalance&)>;

  // Applies the movement `rule` computes from the current balance, and records it in the ledger.
  Status move(const std::string& sku, std::int64_t location_id, const Rule& rule,
              const std::string& reason, std::int64_t order_id = 0);

  // Reserves every line (SKUs unique) or none; an error names the short line as lines[i].sku.
  Status reserve_order(std::int64_t order_id, const std::vector<OrderLine>& lines);
  // Ships a parcel's units out of what the order holds reserved (reserved and on hand both
  // fall); refuses with insufficient_stock when the reservation does not cover it.
  Status ship_order(std::int64_t order_id, const std::vector<ShipmentLine>& parcel);
  // Releases whatever the order holds reserved.
  void release_order(std::int64_t order_id, const std::string& reason);

  StockBalance balance(const std::string& sku, std::int64_t location_id);
  std::int64_t available(const std::string& sku);

  // Marks a SKU for a full check by settle_alerts() although no stock moved (its threshold
  // changed).
  void recheck(const std::string& sku) {
    rows_of(sku);
    touched_.insert(sku);
    rechecked_.insert(sku);
  }

  // Opens or closes low-stock alerts for every SKU this keeper touched, with their events.
  void settle_alerts();

 private:
  // Reads the balances and thresholds of the SKUs this keeper has not seen yet, in one read. A
  // threshold is read once, with the balances: no use case changes a product while it moves stock.
  void load(const std::vector<std::string>& skus);
  std::vector<LocationAvailability>& rows_of(const std::string& sku);
  std::optional<std::int64_t> threshold(const std::string& sku);

  WriteTx& tx_;
  std::string actor_;
  Instant now_;
  std::map<std::string, std::vector<LocationAvailability>> rows_;
  std::map<std::string, std::int64_t> available_before_;  // when this keeper first saw the SKU
  std::map<std::string, std::optional<std::int64_t>> thresholds_;
  std::set<std::string> touched_;
  std::set<std::string> rechecked_;
};

}  // namespace depot
