#include "app/settings_changes.h"

#include <cstdio>
#include <string>

namespace depot {

namespace {

template <class Value>
std::string map_text(const std::map<std::string, Value>& values) {
  std::string text;
  for (const auto& [key, value] : values) {
    if (!text.empty()) text += ", ";
    text += key + "=" + std::to_string(value);
  }
  return text;
}

template <class Item, class Text>
std::string list_text(const std::vector<Item>& items, Text text_of) {
  std::string text;
  for (const Item& item : items) {
    if (!text.empty()) text += ", ";
    text += text_of(item);
  }
  return text;
}

// 0.95 → "0.95".
std::string fraction_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

void add_number(std::vector<FieldChange>& changes, std::string field, std::int64_t before,
                std::int64_t after) {
  add_change(changes, std::move(field), std::to_string(before), std::to_string(after));
}

}  // namespace

std::vector<FieldChange> settings_changes(const MerchantSettings& before,
                                          const MerchantSettings& after) {
  auto channel_name = [](ChannelKind kind) { return std::string(to_string(kind)); };
  auto event_name = [](EventType type) { return std::string(to_string(type)); };
  auto contact_text = [](const AlertContact& contact) {
    return std::string(to_string(contact.channel)) + ":" + contact.recipient;
  };
  std::vector<FieldChange> changes;
  add_number(changes, "edit_window_seconds", before.edit_window_seconds, after.edit_window_seconds);
  add_number(changes, "unpaid_timeout_seconds", before.unpaid_timeout_seconds,
             after.unpaid_timeout_seconds);
  add_change(changes, "currency", before.currency, after.currency);
  add_number(changes, "ship_sla_hours", before.ship.sla_hours, after.ship.sla_hours);
  add_change(changes, "ship_sla_hours_by_platform", map_text(before.ship.sla_hours_by_platform),
             map_text(after.ship.sla_hours_by_platform));
  add_number(changes, "ship_due_soon_hours", before.ship.due_soon_hours, after.ship.due_soon_hours);
  add_number(changes, "ship_escalate_hours", before.ship.escalate_hours, after.ship.escalate_hours);
  add_number(changes, "notification_retry_base_ms", before.notify.retry_base_ms,
             after.notify.retry_base_ms);
  add_change(changes, "default_channels", list_text(before.notify.default_channels, channel_name),
             list_text(after.notify.default_channels, channel_name));
  add_change(changes, "notify_events", list_text(before.notify.customer_events, event_name),
             list_text(after.notify.customer_events, event_name));
  add_change(changes, "alert_contacts", list_text(before.notify.alert_contacts, contact_text),
             list_text(after.notify.alert_contacts, contact_text));
  add_change(changes, "public_url", before.notify.public_url, after.notify.public_url);
  add_number(changes, "tracking_stall_hours", before.tracking.stall_hours,
             after.tracking.stall_hours);
  add_change(changes, "tracking_stall_hours_by_carrier",
             map_text(before.tracking.stall_hours_by_carrier),
             map_text(after.tracking.stall_hours_by_carrier));
  add_number(changes, "reports.utc_offset_minutes", before.reports.utc_offset_minutes,
             after.reports.utc_offset_minutes);
  add_number(changes, "reports.lead_days", before.reports.lead_days, after.reports.lead_days);
  add_change(changes, "reports.lead_days_by_sku", map_text(before.reports.lead_days_by_sku),
             map_text(after.reports.lead_days_by_sku));
  add_change(changes, "reports.service_level", fraction_text(before.reports.service_level),
             fraction_text(after.reports.service_level));
  add_number(changes, "reports.review_days", before.reports.review_days, after.reports.review_days);
  return changes;
}

}  // namespace depot
