#include "http/settings_input.h"

#include <map>
#include <optional>
#include <string>

#include "http/json_input.h"

namespace depot::http {

namespace json = boost::json;

namespace {

// An object of whole numbers by name ({"taobao": 24}), or nothing when the field is absent.
std::optional<std::map<std::string, std::int64_t>> integers_by_name(
    Fields& fields, const char* name, std::vector<FieldError>& errors) {
  const json::object* numbers = fields.object(name);
  if (numbers == nullptr) return std::nullopt;
  std::map<std::string, std::int64_t> by_name;
  Fields entries(*numbers, fields.path(name), errors);
  for (const auto& [key, value] : *numbers) {
    if (auto n = entries.integer(key)) by_name[key] = *n;
  }
  return by_name;
}

// The `reports` block; every field of it may be left out, and so may the block.
ReportsPatch read_reports_block(Fields& fields, std::vector<FieldError>& errors) {
  ReportsPatch patch;
  const json::object* block = fields.object("reports");
  if (block == nullptr) return patch;
  Fields r(*block, fields.path("reports"), errors);
  r.reject_unknown(
      {"utc_offset_minutes", "lead_days", "lead_days_by_sku", "service_level", "review_days"});
  r.reject_nulls();
  patch.utc_offset_minutes = r.integer("utc_offset_minutes");
  patch.lead_days = r.integer("lead_days");
  patch.lead_days_by_sku = integers_by_name(r, "lead_days_by_sku", errors);
  patch.service_level = r.number("service_level");
  patch.review_days = r.integer("review_days");
  return patch;
}

}  // namespace

SettingsPatch read_settings_patch(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"edit_window_seconds", "unpaid_timeout_seconds", "currency", "ship_sla_hours",
                    "ship_sla_hours_by_platform", "ship_due_soon_hours", "ship_escalate_hours",
                    "notification_retry_base_ms", "default_channels", "notify_events",
                    "alert_contacts", "public_url", "tracking_stall_hours",
                    "tracking_stall_hours_by_carrier", "reports"});
  f.reject_nulls();
  SettingsPatch patch;
  patch.edit_window_seconds = f.integer("edit_window_seconds");
  patch.unpaid_timeout_seconds = f.integer("unpaid_timeout_seconds");
  patch.currency = f.text("currency", false, 3);
  patch.ship_sla_hours = f.integer("ship_sla_hours");
  patch.ship_due_soon_hours = f.integer("ship_due_soon_hours");
  patch.ship_escalate_hours = f.integer("ship_escalate_hours");
  patch.ship_sla_hours_by_platform = integers_by_name(f, "ship_sla_hours_by_platform", errors);
  patch.tracking_stall_hours = f.integer("tracking_stall_hours");
  patch.tracking_stall_hours_by_carrier =
      integers_by_name(f, "tracking_stall_hours_by_carrier", errors);
  patch.notification_retry_base_ms = f.integer("notification_retry_base_ms");
  patch.default_channels = f.text_list("default_channels");
  patch.notify_events = f.text_list("notify_events");
  patch.public_url = f.text("public_url", false, 2048);
  patch.reports = read_reports_block(f, errors);
  if (const json::array* contacts = f.array("alert_contacts")) {
    patch.alert_contacts.emplace();
    for (std::size_t i = 0; i < contacts->size(); ++i) {
      std::string prefix = "alert_contacts[" + std::to_string(i) + "]";
      const json::object* contact = (*contacts)[i].if_object();
      if (contact == nullptr) {
        errors.push_back({prefix, "must be an object {channel, recipient}"});
        continue;
      }
      Fields c(*contact, prefix, errors);
      c.reject_unknown({"channel", "recipient"});
      patch.alert_contacts->emplace_back(c.text("channel", true, 16).value_or(""),
                                         c.text("recipient", true, 254).value_or(""));
    }
  }
  return patch;
}

}  // namespace depot::http
