#include "domain/rollups.h"

#include <algorithm>
#include <chrono>

#include "domain/dashboard.h"

namespace depot {

namespace {

std::int64_t seconds_between(Instant from, Instant to) {
  return std::max<std::int64_t>(
      0, std::chrono::duration_cast<std::chrono::seconds>(to - from).count());
}

RollupRow row(Rollup rollup, std::string day, std::string key = {}, std::string phone = {}) {
  RollupRow r;
  r.rollup = rollup;
  r.day = std::move(day);
  r.key = std::move(key);
  r.phone = std::move(phone);
  return r;
}

std::size_t status_column(OrderStatus status) {
  auto at = std::find(std::begin(kAllOrderStatuses), std::end(kAllOrderStatuses), status);
  return kOrderDayStatusColumn + static_cast<std::size_t>(at - std::begin(kAllOrderStatuses));
}

// Adds `values` to the row with `key`'s key in `rows`, or appends it.
void add(RollupRows& rows, const RollupRow& key, const RollupValues& values, int sign) {
  auto found =
      std::find_if(rows.begin(), rows.end(), [&](const RollupRow& r) { return r.same_key(key); });
  if (found == rows.end()) {
    found = rows.insert(rows.end(), key);
    found->values.fill(0);
  }
  for (std::size_t i = 0; i < values.size(); ++i) found->values[i] += sign * values[i];
}

}  // namespace

std::string local_day(Instant at, int utc_offset_minutes) {
  return format_day(local_today(at, utc_offset_minutes));
}

RollupRows rollup_change(const RollupRows& before, const RollupRows& after) {
  RollupRows change;
  for (const RollupRow& r : after) add(change, r, r.values, 1);
  for (const RollupRow& r : before) add(change, r, r.values, -1);
  std::erase_if(change, [](const RollupRow& r) {
    return std::all_of(r.values.begin(), r.values.end(), [](std::int64_t v) { return v == 0; });
  });
  return change;
}

bool is_fully_shipped(OrderStatus status) {
  return status == OrderStatus::shipped || status == OrderStatus::delivered ||
         status == OrderStatus::completed;
}

OrderFacts facts_of(const Order& order) {
  OrderFacts facts;
  facts.created_at = order.created_at;
  facts.status = order.status;
  facts.total = order.total;
  facts.refunded = order.refunded_amount;
  facts.phone = order.customer.phone;
  facts.lines = order.lines;
  return facts;
}

RollupRows order_rollups(const OrderFacts& order, int utc_offset_minutes) {
  RollupRows rows;
  std::string day = local_day(order.created_at, utc_offset_minutes);
  bool counts = lines_count(order.status);

  RollupRow& totals = rows.emplace_back(row(Rollup::order_days, day));
  if (counts) {
    totals.values[0] = 1;
    totals.values[1] = order.total;
    totals.values[2] = order.refunded;
  }
  totals.values[status_column(order.status)] = 1;

  if (counts) {
    // One row per SKU however many lines name it: `orders` counts the order once.
    RollupRows by_sku;
    for (const OrderLine& line : order.lines) {
      RollupValues values{};
      values[0] = line.quantity;
      values[1] = line.quantity * line.unit_price;
      add(by_sku, row(Rollup::sku_days, day, line.sku), values, 1);
    }
    for (RollupRow& sku : by_sku) {
      sku.values[2] = 1;
      if (!order.phone.empty()) {
        RollupRow& bought = rows.emplace_back(
            row(Rollup::customer_sku_days, day, sku.key, std::string(order.phone)));
        bought.values[0] = sku.values[0];
      }
      rows.push_back(std::move(sku));
    }
  }

  if (order.shipping) {
    const OrderShipping& s = *order.shipping;
    RollupRow& shipped =
        rows.emplace_back(row(Rollup::ship_days, local_day(s.shipped_at, utc_offset_minutes)));
    shipped.values[0] = 1;
    shipped.values[1] = s.due_at ? 1 : 0;
    shipped.values[2] = s.due_at && s.shipped_at <= *s.due_at ? 1 : 0;
    shipped.values[3] = seconds_between(s.ready_at, s.shipped_at);
  }
  return rows;
}

RollupRows parcel_rollups(const ParcelFacts& parcel, int utc_offset_minutes) {
  RollupRows rows;
  if (!parcel.sent_by_merchant || !parcel.delivered_at) return rows;
  RollupRow& delivered = rows.emplace_back(row(Rollup::carrier_days,
                                               local_day(*parcel.delivered_at, utc_offset_minutes),
                                               std::string(parcel.carrier)));
  delivered.values[0] = 1;
  delivered.values[1] = seconds_between(parcel.shipped_at, *parcel.delivered_at);
  return rows;
}

DeliveryOutcome delivery_outcome(DeliveryStatus status, bool retry_planned) {
  switch (status) {
    case DeliveryStatus::sent:
    case DeliveryStatus::delivered:
      return DeliveryOutcome::succeeded;
    case DeliveryStatus::dead:
      return DeliveryOutcome::failed;
    case DeliveryStatus::failed:
      return retry_planned ? DeliveryOutcome::pending : DeliveryOutcome::failed;
    case DeliveryStatus::queued:
    case DeliveryStatus::sending:
      return DeliveryOutcome::pending;
  }
  return DeliveryOutcome::pending;
}

RollupRows notification_rollups(ChannelKind channel, Instant created_at, DeliveryOutcome outcome,
                                int utc_offset_minutes) {
  RollupRows rows;
  if (outcome == DeliveryOutcome::pending) return rows;
  RollupRow& r =
      rows.emplace_back(row(Rollup::notification_days, local_day(created_at, utc_offset_minutes),
                            std::string(to_string(channel))));
  r.values[outcome == DeliveryOutcome::succeeded ? 0 : 1] = 1;
  return rows;
}

RollupRows after_sales_rollups(AfterSalesFact fact, Instant at, int utc_offset_minutes) {
  RollupRows rows;
  RollupRow& r =
      rows.emplace_back(row(Rollup::after_sales_days, local_day(at, utc_offset_minutes)));
  switch (fact) {
    case AfterSalesFact::return_request:
      r.values[0] = 1;
      break;
    case AfterSalesFact::exchange_request:
      r.values[1] = 1;
      break;
    case AfterSalesFact::complaint:
      r.values[2] = 1;
      break;
  }
  return rows;
}

RollupRows feedback_rollups(Instant at, std::int64_t rating, bool intact, int utc_offset_minutes) {
  RollupRows rows;
  RollupRow& r =
      rows.emplace_back(row(Rollup::after_sales_days, local_day(at, utc_offset_minutes)));
  r.values[3] = 1;
  r.values[4] = rating;
  r.values[5] = intact ? 0 : 1;
  return rows;
}

}  // namespace depot
