#pragma once
// The dashboard (SPEC RPT-1) as values: what the rollups hold summed over a range of the
// merchant's days, and the figures made of them (rates, averages). The range is validated here
// too: days are "YYYY-MM-DD" in the merchant's time zone, both ends included. Pure.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/order.h"
#include "domain/result.h"
#include "domain/time.h"

namespace depot {

// Days (domain/time.h) are parsed from and shown as "YYYY-MM-DD".
std::optional<Day> parse_day(std::string_view text);  // a real date, or nothing
std::string format_day(Day day);

inline constexpr int kMaxDashboardDays = 366;
inline constexpr int kDefaultDashboardDays = 30;

struct DayRange {
  Day from;
  Day to;  // included
  int days() const { return static_cast<int>((to - from).count()) + 1; }
};

// The range asked for: `from` and `to` as given ("" when absent). A missing `to` is today; a
// missing `from` is 30 days ending at `to`. Names `from` or `to` when one is not a date, `from`
// when it is after `to`, and `to` when the range is longer than 366 days.
Result<DayRange> dashboard_range(std::string_view from, std::string_view to, Day today);

// What the store sums over the range, each from its rollup (domain/rollups.h).
struct OrderDay {
  std::string day;
  std::int64_t orders = 0;  // created that day and not cancelled
  std::int64_t gmv = 0;     // their totals, minor units
  std::int64_t refunded = 0;
  std::array<std::int64_t, std::size(kAllOrderStatuses)> by_status{};  // kAllOrderStatuses order

  std::int64_t with_status(OrderStatus status) const;
};

struct ShipTotals {
  std::int64_t shipped = 0;   // orders whose last unit left in the range
  std::int64_t promised = 0;  // of those, with a promised ship time
  std::int64_t on_time = 0;   // of those, shipped by it
  std::int64_t ship_seconds = 0;
};

struct CarrierTotals {
  std::string carrier;
  std::int64_t delivered = 0;
  std::int64_t transit_seconds = 0;
};

struct ChannelTotals {
  std::string channel;
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
};

struct AfterSalesTotals {
  std::int64_t returns = 0;
  std::int64_t exchanges = 0;
  std::int64_t complaints = 0;
  std::int64_t feedback = 0;
  std::int64_t rating_sum = 0;
  std::int64_t damaged = 0;
};

struct SkuTotals {
  std::string sku;
  std::int64_t units = 0;
  std::int64_t revenue = 0;
  std::int64_t orders = 0;
};

struct SkuStock {
  std::string sku;
  std::string name;
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t low_stock_threshold = 0;
  std::int64_t available() const { return on_hand - reserved; }
};

struct StockSummary {
  std::int64_t skus = 0;  // products in the catalogue
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::vector<SkuStock> lowest;  // the least available first
};

struct LowStock {
  std::string sku;
  std::int64_t available = 0;  // now
  std::int64_t threshold = 0;
  Instant since;
};

// A share rounded to four decimals; nothing when there is nothing to divide by.
std::optional<double> share(std::int64_t part, std::int64_t whole);
// An average rounded to two decimals; nothing when `count` is 0.
std::optional<double> average(std::int64_t sum, std::int64_t count);
// An average of seconds in hours rounded to two decimals; nothing when `count` is 0.
std::optional<double> average_hours(std::int64_t seconds, std::int64_t count);

struct Dashboard {
  DayRange range;
  int utc_offset_minutes = 0;
  std::string currency;
  std::vector<OrderDay> days;  // every day of the range, days without orders as zeros
  OrderDay totals;             // the range's sum; its `day` is empty
  ShipTotals shipping;
  std::vector<CarrierTotals> carriers;  // the most deliveries first
  std::vector<ChannelTotals> channels;  // by channel name
  AfterSalesTotals after_sales;
  std::vector<SkuTotals> top_skus;  // the most units first
  StockSummary stock;
  std::vector<LowStock> low_stock;

  std::optional<double> on_time_ship_rate() const {
    return share(shipping.on_time, shipping.promised);
  }
  std::optional<double> average_hours_to_ship() const {
    return average_hours(shipping.ship_seconds, shipping.shipped);
  }
  // Requests (returns and exchanges) and complaints per order shipped in the range.
  std::optional<double> return_rate() const {
    return share(after_sales.returns + after_sales.exchanges, shipping.shipped);
  }
  std::optional<double> complaint_rate() const {
    return share(after_sales.complaints, shipping.shipped);
  }
  std::optional<double> average_rating() const {
    return average(after_sales.rating_sum, after_sales.feedback);
  }
};

// Fills the days of `range` that `stored` (ascending, within the range) lacks with zeros, and sums
// them into `totals`.
std::vector<OrderDay> every_day(const DayRange& range, const std::vector<OrderDay>& stored,
                                OrderDay& totals);

}  // namespace depot
