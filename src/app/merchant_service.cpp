#include "app/merchant_service.h"

#include <algorithm>

#include "app/audit.h"
#include "app/paging.h"
#include "app/settings_changes.h"
#include "domain/carriers.h"
#include "domain/text.h"

namespace depot {

namespace {

constexpr std::int64_t kMaxWindowSeconds = 90LL * 24 * 3600;
constexpr std::int64_t kMaxShipHours = 90LL * 24;
constexpr std::int64_t kMinRetryBaseMs = 10;
constexpr std::int64_t kMaxRetryBaseMs = 3600LL * 1000;
constexpr std::int64_t kMaxUtcOffsetMinutes = 14 * 60;
constexpr std::int64_t kMaxPlanningDays = 365;

std::vector<ChannelKind> channels_of(const std::vector<std::string>& names) {
  std::vector<ChannelKind> channels;
  for (const std::string& name : names) channels.push_back(*parse_channel_kind(name));
  return channels;
}

std::vector<EventType> events_of(const std::vector<std::string>& names) {
  std::vector<EventType> types;
  for (const std::string& name : names) types.push_back(*parse_event_type(name));
  return types;
}

void validate_notifications(const SettingsPatch& patch, std::vector<FieldError>& errors) {
  if (patch.notification_retry_base_ms && (*patch.notification_retry_base_ms < kMinRetryBaseMs ||
                                           *patch.notification_retry_base_ms > kMaxRetryBaseMs)) {
    errors.push_back({"notification_retry_base_ms", "must be between " +
                                                        std::to_string(kMinRetryBaseMs) + " and " +
                                                        std::to_string(kMaxRetryBaseMs)});
  }
  if (patch.default_channels) {
    if (patch.default_channels->empty()) {
      errors.push_back({"default_channels", "must name at least one channel"});
    }
    for (std::size_t i = 0; i < patch.default_channels->size(); ++i) {
      const std::string& name = (*patch.default_channels)[i];
      std::optional<ChannelKind> channel = parse_channel_kind(name);
      std::string field = "default_channels[" + std::to_string(i) + "]";
      if (!channel || !is_customer_channel(*channel)) {
        errors.push_back({field, "must be one of sms, wechat, push, email"});
      } else if (std::count(patch.default_channels->begin(), patch.default_channels->end(), name) >
                 1) {
        errors.push_back({field, "names " + name + " twice"});
      }
    }
  }
  if (patch.notify_events) {
    for (std::size_t i = 0; i < patch.notify_events->size(); ++i) {
      if (!parse_event_type((*patch.notify_events)[i])) {
        errors.push_back(
            {"notify_events[" + std::to_string(i) + "]", "is not an event depot emits"});
      }
    }
  }
  if (patch.alert_contacts) {
    for (std::size_t i = 0; i < patch.alert_contacts->size(); ++i) {
      const auto& [channel, recipient] = (*patch.alert_contacts)[i];
      std::string prefix = "alert_contacts[" + std::to_string(i) + "]";
      std::optional<ChannelKind> kind = parse_channel_kind(channel);
      if (!kind || !is_customer_channel(*kind)) {
        errors.push_back({prefix + ".channel", "must be one of sms, wechat, push, email"});
      }
      if (recipient.empty() || recipient.size() > 254) {
        errors.push_back({prefix + ".recipient", "must be 1-254 bytes"});
      }
    }
  }
  if (patch.public_url && !patch.public_url->empty() && !is_http_url(*patch.public_url)) {
    errors.push_back({"public_url", "must be an http:// or https:// URL, or empty"});
  }
}

void validate_reports(const ReportsPatch& patch, std::vector<FieldError>& errors) {
  auto check_days = [&](const std::optional<std::int64_t>& value, const std::string& field,
                        std::int64_t min) {
    if (value && (*value < min || *value > kMaxPlanningDays)) {
      errors.push_back({field, "must be between " + std::to_string(min) + " and " +
                                   std::to_string(kMaxPlanningDays) + " days"});
    }
  };
  if (patch.utc_offset_minutes && (*patch.utc_offset_minutes < -kMaxUtcOffsetMinutes ||
                                   *patch.utc_offset_minutes > kMaxUtcOffsetMinutes)) {
    errors.push_back({"reports.utc_offset_minutes", "must be between -840 and 840 (±14 hours)"});
  }
  check_days(patch.lead_days, "reports.lead_days", 0);
  if (patch.lead_days_by_sku) {
    for (const auto& [sku, days] : *patch.lead_days_by_sku) {
      if (sku.empty() || sku.size() > 64) {
        errors.push_back({"reports.lead_days_by_sku", "SKUs are 1-64 bytes"});
        continue;
      }
      check_days(days, "reports.lead_days_by_sku." + sku, 0);
    }
  }
  // Above one half, because below it the safety stock would be negative; at most 0.999, because
  // the safety stock grows without bound as the level nears 1.
  if (patch.service_level && !(*patch.service_level > 0.5 && *patch.service_level <= 0.999)) {
    errors.push_back({"reports.service_level", "must be above 0.5 and at most 0.999"});
  }
  check_days(patch.review_days, "reports.review_days", 1);
}

std::vector<FieldError> validate(const SettingsPatch& patch) {
  std::vector<FieldError> errors;
  auto check_seconds = [&](const std::optional<std::int64_t>& value, const char* field) {
    if (value && (*value < 1 || *value > kMaxWindowSeconds)) {
      errors.push_back({field, "must be between 1 and " + std::to_string(kMaxWindowSeconds)});
    }
  };
  check_seconds(patch.edit_window_seconds, "edit_window_seconds");
  check_seconds(patch.unpaid_timeout_seconds, "unpaid_timeout_seconds");
  if (patch.currency &&
      (patch.currency->size() != 3 || !std::all_of(patch.currency->begin(), patch.currency->end(),
                                                   [](char c) { return c >= 'A' && c <= 'Z'; }))) {
    errors.push_back({"currency", "must be an ISO 4217 code such as CNY"});
  }
  auto check_hours = [&](const std::optional<std::int64_t>& value, const std::string& field,
                         std::int64_t min) {
    if (value && (*value < min || *value > kMaxShipHours)) {
      errors.push_back({field, "must be between " + std::to_string(min) + " and " +
                                   std::to_string(kMaxShipHours) + " hours"});
    }
  };
  check_hours(patch.ship_sla_hours, "ship_sla_hours", 1);
  check_hours(patch.ship_due_soon_hours, "ship_due_soon_hours", 0);
  check_hours(patch.ship_escalate_hours, "ship_escalate_hours", 0);
  if (patch.ship_sla_hours_by_platform) {
    for (const auto& [platform, hours] : *patch.ship_sla_hours_by_platform) {
      if (platform.empty() || platform.size() > 32) {
        errors.push_back({"ship_sla_hours_by_platform", "platform names are 1-32 bytes"});
      }
      check_hours(hours, "ship_sla_hours_by_platform." + platform, 1);
    }
  }
  check_hours(patch.tracking_stall_hours, "tracking_stall_hours", 1);
  if (patch.tracking_stall_hours_by_carrier) {
    for (const auto& [code, hours] : *patch.tracking_stall_hours_by_carrier) {
      if (find_carrier(code) == nullptr) {
        errors.push_back({"tracking_stall_hours_by_carrier." + code, "is not a known carrier"});
      }
      check_hours(hours, "tracking_stall_hours_by_carrier." + code, 1);
    }
  }
  validate_notifications(patch, errors);
  validate_reports(patch.reports, errors);
  return errors;
}

void apply_reports(const ReportsPatch& patch, ReportPolicy& reports) {
  if (patch.utc_offset_minutes)
    reports.utc_offset_minutes = static_cast<int>(*patch.utc_offset_minutes);
  if (patch.lead_days) reports.lead_days = *patch.lead_days;
  if (patch.lead_days_by_sku) reports.lead_days_by_sku = *patch.lead_days_by_sku;
  if (patch.service_level) reports.service_level = *patch.service_level;
  if (patch.review_days) reports.review_days = *patch.review_days;
}

}  // namespace

MerchantSettings MerchantService::settings(const Actor& actor) {
  return store_.read(actor.tenant_id)->settings();
}

void MerchantService::update_settings(const Actor& actor, SettingsPatch patch,
                                      Callback<MerchantSettings> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  if (auto errors = validate(patch); !errors.empty()) {
    return done(invalid_fields(std::move(errors)));
  }
  run_write<MerchantSettings>(
      store_, actor.tenant_id,
      [this, actor, patch = std::move(patch)](WriteTx& tx) -> Result<MerchantSettings> {
        MerchantSettings settings = tx.settings();
        MerchantSettings before = settings;
        if (patch.edit_window_seconds) settings.edit_window_seconds = *patch.edit_window_seconds;
        if (patch.unpaid_timeout_seconds) {
          settings.unpaid_timeout_seconds = *patch.unpaid_timeout_seconds;
        }
        if (patch.currency) settings.currency = *patch.currency;
        if (patch.ship_sla_hours) settings.ship.sla_hours = *patch.ship_sla_hours;
        if (patch.ship_due_soon_hours) settings.ship.due_soon_hours = *patch.ship_due_soon_hours;
        if (patch.ship_escalate_hours) settings.ship.escalate_hours = *patch.ship_escalate_hours;
        if (patch.ship_sla_hours_by_platform) {
          settings.ship.sla_hours_by_platform = *patch.ship_sla_hours_by_platform;
        }
        NotificationPolicy& notify = settings.notify;
        if (patch.notification_retry_base_ms) {
          notify.retry_base_ms = *patch.notification_retry_base_ms;
        }
        if (patch.default_channels) notify.default_channels = channels_of(*patch.default_channels);
        if (patch.notify_events) notify.customer_events = events_of(*patch.notify_events);
        if (patch.alert_contacts) {
          notify.alert_contacts.clear();
          for (const auto& [channel, recipient] : *patch.alert_contacts) {
            notify.alert_contacts.push_back({*parse_channel_kind(channel), recipient});
          }
        }
        if (patch.public_url) notify.public_url = *patch.public_url;
        if (patch.tracking_stall_hours) settings.tracking.stall_hours = *patch.tracking_stall_hours;
        if (patch.tracking_stall_hours_by_carrier) {
          settings.tracking.stall_hours_by_carrier.clear();
          for (const auto& [code, hours] : *patch.tracking_stall_hours_by_carrier) {
            settings.tracking.stall_hours_by_carrier[std::string(find_carrier(code)->code)] = hours;
          }
        }
        apply_reports(patch.reports, settings.reports);
        tx.save_settings(settings);
        record_audit(tx, actor.name, "settings.update", "settings",
                     settings_changes(before, settings), clock_.now());
        return settings;
      },
      std::move(done));
}

Result<EventPage> MerchantService::events(const Actor& actor, std::int64_t after_id, int limit) {
  if (Status size = check_page_size(limit); !size.ok()) return size.error();
  EventPage page;
  page.items = store_.read(actor.tenant_id)->events_after(after_id, limit + 1);
  page.next_after_id = trim_page(page.items, limit, [](const EventRecord& r) { return r.id; });
  return page;
}

}  // namespace depot
