#include "domain/dashboard.h"

#include <cstdio>

#include "domain/rounding.h"

namespace depot {

namespace {

bool digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int number(std::string_view text) {
  int n = 0;
  for (char c : text) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

std::optional<Day> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!digits(y) || !digits(m) || !digits(d)) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{number(y)},
                                  std::chrono::month{static_cast<unsigned>(number(m))},
                                  std::chrono::day{static_cast<unsigned>(number(d))}};
  if (!ymd.ok()) return std::nullopt;
  return Day{ymd};
}

std::string format_day(Day day) {
  std::chrono::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

Result<DayRange> dashboard_range(std::string_view from, std::string_view to, Day today) {
  std::optional<Day> last = to.empty() ? std::optional<Day>(today) : parse_day(to);
  std::optional<Day> first = parse_day(from);
  if (from.empty() && last) first = *last - std::chrono::days{kDefaultDashboardDays - 1};
  std::vector<FieldError> errors;
  if (!first && !from.empty()) errors.push_back({"from", "must be a date as YYYY-MM-DD"});
  if (!last) errors.push_back({"to", "must be a date as YYYY-MM-DD"});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  DayRange range{*first, *last};
  if (range.from > range.to) return invalid_field("from", "must not be after to");
  if (range.days() > kMaxDashboardDays) {
    return invalid_field(
        "to", "must be at most " + std::to_string(kMaxDashboardDays - 1) + " days after from");
  }
  return range;
}

std::int64_t OrderDay::with_status(OrderStatus status) const {
  for (std::size_t i = 0; i < by_status.size(); ++i) {
    if (kAllOrderStatuses[i] == status) return by_status[i];
  }
  return 0;
}

std::optional<double> share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return rounded(static_cast<double>(part) / static_cast<double>(whole), 1e4);
}

std::optional<double> average(std::int64_t sum, std::int64_t count) {
  if (count <= 0) return std::nullopt;
  return rounded(static_cast<double>(sum) / static_cast<double>(count), 1e2);
}

std::optional<double> average_hours(std::int64_t seconds, std::int64_t count) {
  if (count <= 0) return std::nullopt;
  return rounded(static_cast<double>(seconds) / 3600.0 / static_cast<double>(count), 1e2);
}

std::vector<OrderDay> every_day(const DayRange& range, const std::vector<OrderDay>& stored,
                                OrderDay& totals) {
  std::vector<OrderDay> days;
  days.reserve(static_cast<std::size_t>(range.days()));
  auto next = stored.begin();
  for (Day day = range.from; day <= range.to; day += std::chrono::days{1}) {
    std::string text = format_day(day);
    if (next != stored.end() && next->day == text) {
      days.push_back(*next++);
    } else {
      OrderDay empty;
      empty.day = std::move(text);
      days.push_back(std::move(empty));
    }
    const OrderDay& added = days.back();
    totals.orders += added.orders;
    totals.gmv += added.gmv;
    totals.refunded += added.refunded;
    for (std::size_t i = 0; i < added.by_status.size(); ++i) {
      totals.by_status[i] += added.by_status[i];
    }
  }
  return days;
}

}  // namespace depot
