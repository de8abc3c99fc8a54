#include "app/stock_keeper.h"

#include "domain/event_catalog.h"

#include <algorithm>
#include <stdexcept>

namespace depot {

Result<std::pair<std::int64_t, LocationRef>> resolve_location(ReadTx& tx, const std::string& text,
                                                              const char* field) {
  std::optional<LocationRef> ref =
      text.empty() ? std::optional<LocationRef>(default_location()) : parse_location_ref(text);
  if (!ref) return invalid_field(field, "must be WAREHOUSE/LOCATION or LOCATION");
  std::optional<std::int64_t> id = tx.find_location(*ref);
  if (!id) return invalid_field(field, "no location " + ref->to_string());
  return std::pair{*id, *ref};
}

namespace {

std::vector<std::string> skus_of(const std::vector<Reservation>& reservations) {
  std::vector<std::string> skus;
  for (const Reservation& r : reservations) skus.push_back(r.sku);
  return skus;
}

}  // namespace

StockKeeper::StockKeeper(WriteTx& tx, std::string actor, Instant now)
    : tx_(tx), actor_(std::move(actor)), now_(now) {}

void StockKeeper::load(const std::vector<std::string>& skus) {
  std::vector<std::string> unseen;
  for (const std::string& sku : skus) {
    if (!rows_.count(sku) && std::find(unseen.begin(), unseen.end(), sku) == unseen.end()) {
      unseen.push_back(sku);
    }
  }
  if (unseen.empty()) return;
  for (auto& [sku, stock] : tx_.stock_for_moves(unseen)) {
    // A SKU's first stock has had no movement that could have opened its alert yet.
    if (stock.balances.empty()) rechecked_.insert(sku);
    std::int64_t sum = 0;
    for (const LocationAvailability& row : stock.balances) sum += row.balance.available();
    available_before_[sku] = sum;
    thresholds_[sku] = stock.threshold;
    rows_[sku] = std::move(stock.balances);
  }
}

std::vector<LocationAvailability>& StockKeeper::rows_of(const std::string& sku) {
  if (auto seen = rows_.find(sku); seen != rows_.end()) return seen->second;
  load({sku});
  return rows_.at(sku);
}

std::optional<std::int64_t> StockKeeper::threshold(const std::string& sku) {
  rows_of(sku);  // loads the threshold with the balances
  return thresholds_.at(sku);
}

StockBalance StockKeeper::balance(const std::string& sku, std::int64_t location_id) {
  for (const LocationAvailability& row : rows_of(sku)) {
    if (row.location_id == location_id) return row.balance;
  }
  return {};
}

std::int64_t StockKeeper::available(const std::string& sku) {
  std::int64_t sum = 0;
  for (const LocationAvailability& row : rows_of(sku)) sum += row.balance.available();
  return sum;
}

Status StockKeeper::move(const std::string& sku, std::int64_t location_id, const Rule& rule,
                         const std::string& reason, std::int64_t order_id) {
  std::vector<LocationAvailability>& rows = rows_of(sku);
  auto row = std::find_if(rows.begin(), rows.end(), [&](const LocationAvailability& r) {
    return r.location_id == location_id;
  });
  if (row == rows.end()) {
    rows.push_back(LocationAvailability{location_id, {}});
    row = rows.end() - 1;
  }
  Result<Movement> movement = rule(row->balance);
  if (!movement.ok()) return movement.error();
  row->balance = apply(row->balance, *movement);
  tx_.put_balance(sku, location_id, row->balance);
  tx_.append_movement(
      LedgerEntry{0, sku, location_id, {}, *movement, reason, actor_, order_id, now_});
  touched_.insert(sku);
  return {};
}

Status StockKeeper::reserve_order(std::int64_t order_id, const std::vector<OrderLine>& lines) {
  std::vector<std::string> skus;
  for (const OrderLine& line : lines) skus.push_back(line.sku);
  load(skus);
  std::vector<Reservation> reservations;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const OrderLine& line = lines[i];
    Result<std::vector<Allocation>> allocations = allocate(rows_of(line.sku), line.quantity);
    if (!allocations.ok()) {
      Error short_line = allocations.error();
      std::string field = "lines[" + std::to_string(i) + "].sku";
      short_line.message = line.sku + ": " + short_line.message;
      short_line.fields.push_back({field, short_line.message});
      return short_line;
    }
    for (const Allocation& allocation : *allocations) {
      Status moved = move(
          line.sku, allocation.location_id,
          [&](const StockBalance& b) { return reserve(b, allocation.quantity); }, "order",
          order_id);
      if (!moved.ok()) return moved;
      reservations.push_back({line.sku, allocation.location_id, allocation.quantity});
    }
  }
  tx_.add_reservations(order_id, reservations);
  return {};
}

Status StockKeeper::ship_order(std::int64_t order_id, const std::vector<ShipmentLine>& parcel) {
  std::vector<Reservation> held = tx_.reservations_of(order_id);
  load(skus_of(held));
  for (const ShipmentLine& line : parcel) {
    std::int64_t left = line.quantity;
    for (Reservation& r : held) {
      if (r.sku != line.sku || r.quantity == 0 || left == 0) continue;
      std::int64_t taken = std::min(left, r.quantity);
      Status moved = move(
          r.sku, r.location_id, [&](const StockBalance& b) { return ship_reserved(b, taken); },
          "shipped", order_id);
      if (!moved.ok()) return moved;
      r.quantity -= taken;
      left -= taken;
    }
    if (left > 0) {
      return error(ErrorCode::insufficient_stock,
                   std::to_string(left) + " of " + line.sku + " are not reserved for the order");
    }
  }
  std::erase_if(held, [](const Reservation& r) { return r.quantity == 0; });
  tx_.clear_reservations(order_id);
  tx_.add_reservations(order_id, held);
  return {};
}

void StockKeeper::release_order(std::int64_t order_id, const std::string& reason) {
  std::vector<Reservation> reservations = tx_.reservations_of(order_id);
  load(skus_of(reservations));
  for (const Reservation& held : reservations) {
    Status released = move(
        held.sku, held.location_id,
        [&](const StockBalance& b) { return release(b, held.quantity); }, reason, order_id);
    // Reservation rows and balances are written together, so a release that does not fit means
    // the store is inconsistent: fail the whole use case rather than write around it.
    if (!released.ok())
      throw std::logic_error("release of order " + std::to_string(order_id) + ": " +
                             released.error().message);
  }
  tx_.clear_reservations(order_id);
}

void StockKeeper::settle_alerts() {
  for (const std::string& sku : touched_) {
    std::optional<std::int64_t> limit = threshold(sku);
    if (!limit) continue;
    std::int64_t now_available = available(sku);
    // An alert is open exactly while available is below the threshold, so unless this use case
    // crossed the threshold (or the threshold changed, or the SKU got its first stock) there is
    // nothing to look up.
    if (!rechecked_.count(sku)) {
      bool was_low = *limit > 0 && available_before_[sku] < *limit;
      bool is_low = *limit > 0 && now_available < *limit;
      if (was_low == is_low) continue;
    }
    std::optional<Alert> open = tx_.find_open_alert("low_stock", sku, 0);
    switch (low_stock_change(open.has_value(), now_available, *limit)) {
      case LowStockChange::open: {
        Alert alert;
        alert.kind = "low_stock";
        alert.sku = sku;
        alert.available = now_available;
        alert.threshold = *limit;
        alert.opened_at = now_;
        std::int64_t id = tx_.open_alert(alert);
        tx_.append_event(events::stock_low(sku, id, now_available, *limit), now_);
        break;
      }
      case LowStockChange::close:
        tx_.close_alert(open->id, now_);
        tx_.append_event(events::stock_replenished(sku, open->id, now_available), now_);
        break;
      case LowStockChange::none:
        break;
    }
  }
  touched_.clear();
  rechecked_.clear();
}

}  // namespace depot
