#pragma once
// A merchant's settings (edit window, unpaid timeout, currency, promised ship times) and its event
// outbox as a feed (GET /api/v1/events). Thread-safe.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/write.h"

namespace depot {

// The `reports` block: the merchant's day and reorder advice (ReportPolicy).
struct ReportsPatch {
  std::optional<std::int64_t> utc_offset_minutes;
  std::optional<std::int64_t> lead_days;
  std::optional<std::map<std::string, std::int64_t>> lead_days_by_sku;  // replaces the map
  std::optional<double> service_level;
  std::optional<std::int64_t> review_days;
};

struct SettingsPatch {
  std::optional<std::int64_t> edit_window_seconds;
  std::optional<std::int64_t> unpaid_timeout_seconds;
  std::optional<std::string> currency;
  std::optional<std::int64_t> ship_sla_hours;
  std::optional<std::int64_t> ship_due_soon_hours;
  std::optional<std::int64_t> ship_escalate_hours;
  std::optional<std::map<std::string, std::int64_t>> ship_sla_hours_by_platform;
  std::optional<std::int64_t> notification_retry_base_ms;
  std::optional<std::vector<std::string>> default_channels;  // customer channels, in order
  std::optional<std::vector<std::string>> notify_events;     // events customers hear about
  std::optional<std::vector<std::pair<std::string, std::string>>> alert_contacts;  // channel, to
  std::optional<std::string> public_url;
  std::optional<std::int64_t> tracking_stall_hours;
  std::optional<std::map<std::string, std::int64_t>> tracking_stall_hours_by_carrier;
  ReportsPatch reports;
};

struct EventPage {
  std::vector<EventRecord> items;
  std::int64_t next_after_id = 0;
};

class MerchantService {
 public:
  MerchantService(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  MerchantSettings settings(const Actor& actor);
  void update_settings(const Actor& actor, SettingsPatch patch, Callback<MerchantSettings> done);
  Result<EventPage> events(const Actor& actor, std::int64_t after_id, int limit);

 private:
  Store& store_;
  Clock& clock_;
};

}  // namespace depot
