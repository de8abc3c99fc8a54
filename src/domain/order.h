#pragma once
// The order aggregate (SPEC ORD-1, ORD-2, SHP-1): lines, customer, address, money, what holds it
// and its history.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.h"

namespace depot {

enum class OrderStatus {
  pending_payment,
  awaiting_shipment,
  partially_shipped,
  shipped,
  delivered,
  completed,
  on_hold,
  cancelled,
};

inline constexpr OrderStatus kAllOrderStatuses[] = {
    OrderStatus::pending_payment, OrderStatus::awaiting_shipment, OrderStatus::partially_shipped,
    OrderStatus::shipped,         OrderStatus::delivered,         OrderStatus::completed,
    OrderStatus::on_hold,         OrderStatus::cancelled,
};

std::string_view to_string(OrderStatus status);
std::optional<OrderStatus> parse_order_status(std::string_view text);

struct OrderLine {
  std::string sku;
  std::int64_t quantity = 0;
  std::int64_t unit_price = 0;  // minor units

  bool operator==(const OrderLine&) const = default;
};

struct Customer {
  std::string name;
  std::string phone;
  std::string email;
  std::string wechat_openid;
  std::string device_token;
  std::vector<std::string> preferred_channels;
  std::string locale = "zh-CN";  // the language notifications are written in: zh-CN or en

  bool operator==(const Customer&) const = default;
};

struct Address {
  std::string province;
  std::string city;
  std::string district;
  std::string detail;
  std::string postcode;
  // GB/T 2260 codes of the divisions, filled when the names were found in the division table.
  std::string province_code;
  std::string city_code;
  std::string district_code;

  bool operator==(const Address&) const = default;
};

// Why verification stopped an order (SHP-1, SHP-2): a stable code ("address.district_not_in_city",
// "rule.matched"), a message for people and, where one field is at fault, its path.
struct HoldReason {
  std::string code;
  std::string message;
  std::string field;
  std::int64_t rule_id = 0;  // the rule that matched, for "rule.matched"

  bool operator==(const HoldReason&) const = default;
};

// How far past its promised ship time an unshipped order is (SHP-4). Ordered: each is raised once.
enum class ReminderLevel { none, due_soon, overdue, escalated };

std::string_view to_string(ReminderLevel level);

struct HistoryEntry {
  std::optional<OrderStatus> from;  // empty for the creation entry
  OrderStatus to = OrderStatus::pending_payment;
  std::string actor;
  std::string reason;
  Instant at;
};

// What a caller asks for when creating an order; also the parts of an order an edit may change.
struct OrderDraft {
  std::vector<OrderLine> lines;
  std::string currency;
  Customer customer;
  Address shipping_address;
  std::string platform;
  std::string external_no;
  std::string notes;
};

struct Order {
  std::int64_t id = 0;
  std::string order_no;
  OrderStatus status = OrderStatus::pending_payment;
  std::int64_t version = 1;
  std::string currency;
  std::int64_t total = 0;
  std::int64_t paid_amount = 0;
  std::int64_t refund_due = 0;
  std::int64_t refunded_amount = 0;  // completed refunds (AFS-3)
  std::vector<OrderLine> lines;
  Customer customer;
  Address shipping_address;
  std::string platform;
  std::string external_no;
  std::string notes;
  // Why the order is on hold; empty unless it is.
  std::vector<HoldReason> hold_reasons;
  // Check codes an operator has overridden for this order: verification no longer holds for them.
  std::vector<std::string> overrides;
  // When the merchant promised to ship it (set once it is paid) and which reminder was raised.
  std::optional<Instant> ship_due_at;
  ReminderLevel reminder = ReminderLevel::none;
  Instant created_at;
  Instant updated_at;
  // Entries already stored come first; entries appended by a use case are stored on save.
  std::vector<HistoryEntry> history;
  std::size_t stored_history = 0;
};

}  // namespace depot
