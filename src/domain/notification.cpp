#include "domain/notification.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "domain/masking.h"
#include "domain/text.h"

namespace depot {

namespace {

constexpr std::array<std::pair<ChannelKind, std::string_view>, 6> kChannelNames = {{
    {ChannelKind::email, "email"},
    {ChannelKind::sms, "sms"},
    {ChannelKind::wechat, "wechat"},
    {ChannelKind::push, "push"},
    {ChannelKind::webhook, "webhook"},
    {ChannelKind::platform, "platform"},
}};

constexpr std::array<std::pair<DeliveryStatus, std::string_view>, 6> kStatusNames = {{
    {DeliveryStatus::queued, "queued"},
    {DeliveryStatus::sending, "sending"},
    {DeliveryStatus::sent, "sent"},
    {DeliveryStatus::delivered, "delivered"},
    {DeliveryStatus::failed, "failed"},
    {DeliveryStatus::dead, "dead"},
}};

bool contains(std::span<const ChannelKind> channels, ChannelKind channel) {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

// FNV-1a: a short, stable fingerprint of a recipient for the dedupe key. Within one event and
// channel there are a handful of recipients, so 64 bits keep them apart.
std::uint64_t fingerprint(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

// A URL shows its scheme and host only: paths and queries may carry tokens.
std::string mask_url(std::string_view url) {
  auto scheme_end = url.find("://");
  std::size_t host_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  auto host_end = url.find_first_of("/?#", host_start);
  std::string_view shown = url.substr(0, host_end);
  // user:password@host never reaches a log.
  auto credentials = shown.find('@', host_start);
  if (credentials != std::string_view::npos) {
    return std::string(shown.substr(0, host_start)) + std::string(shown.substr(credentials + 1));
  }
  return std::string(shown);
}

}  // namespace

bool is_supported_locale(std::string_view locale) {
  return std::find(std::begin(kSupportedLocales), std::end(kSupportedLocales), locale) !=
         std::end(kSupportedLocales);
}

bool is_customer_channel(ChannelKind channel) { return contains(kCustomerChannels, channel); }

std::string_view to_string(ChannelKind kind) {
  for (const auto& [value, name] : kChannelNames) {
    if (value == kind) return name;
  }
  return "unknown";
}

std::optional<ChannelKind> parse_channel_kind(std::string_view text) {
  for (const auto& [value, name] : kChannelNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view to_string(DeliveryStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view text) {
  for (const auto& [value, name] : kStatusNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool is_final(DeliveryStatus status) {
  return status == DeliveryStatus::sent || status == DeliveryStatus::delivered ||
         status == DeliveryStatus::dead;
}

std::string recipient_of(const Customer& customer, ChannelKind channel) {
  switch (channel) {
    case ChannelKind::email:
      return customer.email;
    case ChannelKind::sms:
      return customer.phone;
    case ChannelKind::wechat:
      return customer.wechat_openid;
    case ChannelKind::push:
      return customer.device_token;
    case ChannelKind::webhook:
    case ChannelKind::platform:
      return {};
  }
  return {};
}

std::vector<ChannelKind> choose_channels(const Customer& customer,
                                         std::span<const ChannelRecord> history,
                                         std::span<const ChannelKind> merchant_order,
                                         std::span<const ChannelKind> configured) {
  std::vector<ChannelKind> order;
  auto add = [&](ChannelKind channel) {
    if (!is_customer_channel(channel) || contains(order, channel)) return;
    if (!contains(configured, channel) || recipient_of(customer, channel).empty()) return;
    order.push_back(channel);
  };
  for (const std::string& name : customer.preferred_channels) {
    if (std::optional<ChannelKind> channel = parse_channel_kind(name)) add(*channel);
  }
  if (order.empty()) {
    // The best record wins; among equals, the merchant's order decides.
    const ChannelRecord* best = nullptr;
    auto rank = [&](ChannelKind channel) {
      auto found = std::find(merchant_order.begin(), merchant_order.end(), channel);
      return found - merchant_order.begin();
    };
    for (const ChannelRecord& record : history) {
      if (record.attempted <= 0 || !contains(configured, record.channel) ||
          recipient_of(customer, record.channel).empty()) {
        continue;
      }
      if (best == nullptr) {
        best = &record;
        continue;
      }
      // delivered/attempted compared without division: a/b > c/d ⇔ a·d > c·b.
      std::int64_t left = record.delivered * best->attempted;
      std::int64_t right = best->delivered * record.attempted;
      if (left > right || (left == right && rank(record.channel) < rank(best->channel))) {
        best = &record;
      }
    }
    if (best != nullptr && best->delivered > 0) add(best->channel);
  }
  for (ChannelKind channel : merchant_order) add(channel);
  return order;
}

std::optional<std::chrono::milliseconds> retry_delay(
    int attempts_made, std::chrono::milliseconds base, double jitter,
    std::optional<std::chrono::milliseconds> retry_after) {
  if (attempts_made >= kMaxAttempts) return std::nullopt;
  int exponent = std::max(0, attempts_made - 1);
  double scale = 0.8 + 0.4 * std::clamp(jitter, 0.0, 1.0);
  auto delay = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(
      static_cast<double>(base.count()) * static_cast<double>(1LL << exponent) * scale)));
  if (retry_after && *retry_after > delay) delay = *retry_after;
  return delay;
}

std::string delivery_key(std::int64_t tenant, std::int64_t event_id, ChannelKind channel,
                         std::string_view recipient) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(fingerprint(recipient)));
  return "depot-" + std::to_string(tenant) + "-" + std::to_string(event_id) + "-" +
         std::string(to_string(channel)) + "-" + hash;
}

std::string resend_key(std::string_view original_key, int n) {
  return std::string(original_key) + "-r" + std::to_string(n);
}

std::string mask_recipient(ChannelKind channel, std::string_view recipient) {
  switch (channel) {
    case ChannelKind::sms:
      return mask_phone(recipient);
    case ChannelKind::email:
      return mask_email(recipient);
    case ChannelKind::webhook:
    case ChannelKind::platform:
      return mask_url(recipient);
    case ChannelKind::wechat:
    case ChannelKind::push:
      return std::string(utf8_prefix(recipient, 4)) + "…";
  }
  return "***";
}

std::vector<EventType> default_customer_events() {
  return {EventType::order_held,         EventType::shipment_created,
          EventType::order_cancelled,    EventType::tracking_out_for_delivery,
          EventType::tracking_delivered, EventType::tracking_exception,
          EventType::tracking_stalled};
}

bool is_alert_event(EventType type) {
  switch (type) {
    case EventType::stock_low:
    case EventType::order_held:
    case EventType::shipment_overdue:
    case EventType::shipment_escalated:
    case EventType::notification_dead:
    case EventType::tracking_stalled:
      return true;
    default:
      return false;
  }
}

}  // namespace depot
