#pragma once
// What each change adds to the report rollups (SPEC RPT-1): per-day totals that the store keeps in
// the same transaction as the change, so a dashboard reads a few hundred rows instead of scanning
// orders. A rollup row is keyed by a day in the merchant's time zone (and a SKU, carrier, channel
// or customer) and holds counts and sums that add up. A change contributes
// rollups(after) − rollups(before) (rollup_change), which is what the store applies.
//
// Definitions (docs/reports.md has the same in prose):
//   order_days      by the order's creation day: orders not cancelled, their totals (gmv) and what
//                   was refunded of them, and every order by its current status (the funnel).
//   sku_days        by creation day and SKU, over orders not cancelled: units, revenue
//                   (quantity × unit price) and orders naming the SKU.
//   customer_sku_days  the same per customer phone (units), for orders with a phone.
//   ship_days       by the day an order's last unit left (its parcels' latest shipped_at): orders
//                   fully shipped, those with a promised ship time, those shipped by it, and the
//                   seconds from "ready to ship" (first paid in full, else created) to shipped.
//   carrier_days    by delivery day and carrier, parcels the merchant sent: delivered, and their
//                   seconds in transit (shipped to delivered, never below 0).
//   notification_days  by the day a delivery was planned, and channel: deliveries that got through
//                   (sent or delivered) and that failed for good (dead, or failed with no retry).
//   after_sales_days  by the day each was made: return and exchange requests, complaints, delivery
//                   feedback with its rating sum and the deliveries reported damaged.
//
// Pure: callers pass the state and the merchant's offset from UTC.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/notification.h"
#include "domain/order.h"
#include "domain/time.h"

namespace depot {

// The merchant's calendar day of an instant, "YYYY-MM-DD", at a fixed offset from UTC.
std::string local_day(Instant at, int utc_offset_minutes);

enum class Rollup {
  order_days,
  sku_days,
  customer_sku_days,
  ship_days,
  carrier_days,
  notification_days,
  after_sales_days,
};

// The values of each rollup, in this order (the store's columns follow it):
//   order_days:        orders, gmv, refunded, then one count per status in kAllOrderStatuses order
//   sku_days:          units, revenue, orders
//   customer_sku_days: units
//   ship_days:         shipped, promised, on_time, ship_seconds
//   carrier_days:      delivered, transit_seconds
//   notification_days: succeeded, failed
//   after_sales_days:  returns, exchanges, complaints, feedback, rating_sum, damaged
inline constexpr std::size_t kOrderDayStatusColumn = 3;
inline constexpr std::size_t kMaxRollupValues =
    kOrderDayStatusColumn + std::size(kAllOrderStatuses);
using RollupValues = std::array<std::int64_t, kMaxRollupValues>;

struct RollupRow {
  Rollup rollup = Rollup::order_days;
  std::string day;    // YYYY-MM-DD in the merchant's time zone
  std::string key;    // the SKU, carrier or channel; empty for rollups by day alone
  std::string phone;  // customer_sku_days only
  RollupValues values{};

  bool operator==(const RollupRow&) const = default;
  bool same_key(const RollupRow& other) const {
    return rollup == other.rollup && day == other.day && key == other.key && phone == other.phone;
  }
};

using RollupRows = std::vector<RollupRow>;

// after − before, row by row: rows with the same key are merged, and rows whose every value is
// then 0 are left out, so a change that moves nothing writes nothing.
RollupRows rollup_change(const RollupRows& before, const RollupRows& after);

// When an order's last unit left, once it has (status shipped, delivered or completed).
struct OrderShipping {
  Instant ready_at;               // first paid in full (else created)
  std::optional<Instant> due_at;  // the promised ship time, when there was one
  Instant shipped_at;             // the latest shipped_at of its parcels
};

// Whether every unit of an order in this status has left.
bool is_fully_shipped(OrderStatus status);

// What of an order the rollups read. A part that is the same before and after a change (the lines,
// the shipping) may be left out of both: its rows cancel in rollup_change.
struct OrderFacts {
  Instant created_at;
  OrderStatus status = OrderStatus::pending_payment;
  std::int64_t total = 0;
  std::int64_t refunded = 0;
  std::string_view phone;
  std::span<const OrderLine> lines;
  std::optional<OrderShipping> shipping;
};

OrderFacts facts_of(const Order& order);  // lines and phone refer into `order`

RollupRows order_rollups(const OrderFacts& order, int utc_offset_minutes);

// Whether the lines of an order count in sku_days and customer_sku_days: the rows they give
// depend only on this, the phone and the lines themselves.
inline bool lines_count(OrderStatus status) { return status != OrderStatus::cancelled; }

struct ParcelFacts {
  std::string_view carrier;
  bool sent_by_merchant = true;  // false for a parcel coming back
  Instant shipped_at;
  std::optional<Instant> delivered_at;
};
RollupRows parcel_rollups(const ParcelFacts& parcel, int utc_offset_minutes);

enum class DeliveryOutcome { pending, succeeded, failed };

// A delivery's outcome from its status and whether a retry (or a send in flight) is planned.
DeliveryOutcome delivery_outcome(DeliveryStatus status, bool retry_planned);

RollupRows notification_rollups(ChannelKind channel, Instant created_at, DeliveryOutcome outcome,
                                int utc_offset_minutes);

// After-sales facts, each counted once on the day it was made.
enum class AfterSalesFact { return_request, exchange_request, complaint };
RollupRows after_sales_rollups(AfterSalesFact fact, Instant at, int utc_offset_minutes);
RollupRows feedback_rollups(Instant at, std::int64_t rating, bool intact, int utc_offset_minutes);

}  // namespace depot
