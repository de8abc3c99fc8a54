#include "app/export_tables.h"

namespace depot {

namespace {

Cell text(std::string_view value) { return std::string(value); }

Cell id_or_empty(std::int64_t id) { return id == 0 ? Cell{} : Cell{id}; }

Cell time_or_empty(const std::optional<Instant>& at, const ExportView& view) {
  return at ? Cell{local_time(*at, view.utc_offset_minutes)} : Cell{};
}

// "A-1 x2; B-7 x1": what was ordered, readable in one cell.
std::string lines_summary(const std::vector<OrderLine>& lines) {
  std::string summary;
  for (const OrderLine& line : lines) {
    if (!summary.empty()) summary += "; ";
    summary += line.sku + " x" + std::to_string(line.quantity);
  }
  return summary;
}

std::int64_t units(const std::vector<OrderLine>& lines) {
  std::int64_t total = 0;
  for (const OrderLine& line : lines) total += line.quantity;
  return total;
}

}  // namespace

LocalTime local_time(Instant at, int utc_offset_minutes) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(at.time_since_epoch());
  return LocalTime(seconds + std::chrono::minutes(utc_offset_minutes));
}

std::vector<Column> order_columns() {
  return {
      {"order_id", 10},      {"order_no", 22},       {"created_at", 20},     {"status", 18},
      {"customer_name", 14}, {"customer_phone", 16}, {"customer_email", 24}, {"province", 10},
      {"city", 10},          {"district", 10},       {"address_detail", 30}, {"postcode", 8},
      {"lines", 30},         {"units", 8},           {"total", 12},          {"paid", 12},
      {"refunded", 12},      {"currency", 8},        {"platform", 12},       {"external_no", 20},
      {"notes", 30},         {"updated_at", 20}};
}

std::vector<Cell> order_row(const Order& order, const ExportView& view) {
  Customer customer = disclose_customer(order.customer, view.contacts);
  Address address = disclose_address(order.shipping_address, view.contacts);
  return {order.id,
          text(order.order_no),
          local_time(order.created_at, view.utc_offset_minutes),
          text(to_string(order.status)),
          text(customer.name),
          text(customer.phone),
          text(customer.email),
          text(address.province),
          text(address.city),
          text(address.district),
          text(address.detail),
          text(address.postcode),
          text(lines_summary(order.lines)),
          units(order.lines),
          Money{order.total},
          Money{order.paid_amount},
          Money{order.refunded_amount},
          text(order.currency),
          text(order.platform),
          text(order.external_no),
          text(order.notes),
          local_time(order.updated_at, view.utc_offset_minutes)};
}

std::vector<Column> movement_columns() {
  return {{"movement_id", 12},    {"at", 20},     {"sku", 20},
          {"location", 16},       {"kind", 14},   {"on_hand_delta", 14},
          {"reserved_delta", 14}, {"reason", 24}, {"order_id", 10},
          {"actor", 14}};
}

std::vector<Cell> movement_row(const LedgerEntry& entry, const ExportView& view) {
  return {entry.id,
          local_time(entry.at, view.utc_offset_minutes),
          text(entry.sku),
          text(entry.location),
          text(to_string(entry.movement.kind)),
          entry.movement.on_hand_delta,
          entry.movement.reserved_delta,
          text(entry.reason),
          id_or_empty(entry.order_id),
          text(entry.actor)};
}

std::vector<Column> notification_columns() {
  return {{"notification_id", 14}, {"created_at", 20}, {"event", 22},        {"order_id", 10},
          {"channel", 10},         {"audience", 10},   {"recipient", 26},    {"status", 10},
          {"attempts", 9},         {"sent_at", 20},    {"delivered_at", 20}, {"last_error", 30},
          {"provider_id", 20},     {"resend_of", 10}};
}

std::vector<Cell> notification_row(const Notification& delivery, const ExportView& view) {
  // A webhook's or a platform's URL may carry a token in its path or query: it is shown to the
  // host alone for every role, as the notification log does.
  bool masked = view.contacts == Disclosure::masked || delivery.channel == ChannelKind::webhook ||
                delivery.channel == ChannelKind::platform;
  return {delivery.id,
          local_time(delivery.created_at, view.utc_offset_minutes),
          text(to_string(delivery.event)),
          id_or_empty(delivery.order_id),
          text(to_string(delivery.channel)),
          text(to_string(delivery.audience)),
          text(masked ? mask_recipient(delivery.channel, delivery.recipient) : delivery.recipient),
          text(to_string(delivery.status)),
          static_cast<std::int64_t>(delivery.attempts),
          time_or_empty(delivery.sent_at, view),
          time_or_empty(delivery.delivered_at, view),
          text(delivery.last_error),
          text(delivery.provider_id),
          id_or_empty(delivery.resend_of)};
}

std::vector<Column> dashboard_columns() {
  std::vector<Column> columns = {{"date", 12}, {"orders", 10}, {"gmv", 14}, {"refunded", 14}};
  for (OrderStatus status : kAllOrderStatuses)
    columns.push_back({std::string(to_string(status)), 12});
  return columns;
}

std::vector<Cell> dashboard_row(const OrderDay& day) {
  std::vector<Cell> row = {text(day.day), day.orders, Money{day.gmv}, Money{day.refunded}};
  if (std::optional<Day> date = parse_day(day.day)) row[0] = LocalDay(date->time_since_epoch());
  for (std::int64_t count : day.by_status) row.push_back(count);
  return row;
}

}  // namespace depot
