#pragma once
// Customer notifications (SPEC NTF-1 … NTF-6) as domain rules: the channels, a delivery's states,
// which channel a customer is told on (preference, then history, then the merchant's order), when
// a failed send is tried again, and how a recipient is shown in logs. No I/O: the dispatcher
// (app/) applies these rules and the channel adapters do the sending.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.h"
#include "domain/order.h"
#include "domain/time.h"

namespace depot {

// `webhook` is the merchant's own endpoint; `platform` writes a shipment back to the platform an
// order came from (the order's connection is its account). Neither tells a person.
enum class ChannelKind { email, sms, wechat, push, webhook, platform };
inline constexpr ChannelKind kChannels[] = {ChannelKind::email,   ChannelKind::sms,
                                            ChannelKind::wechat,  ChannelKind::push,
                                            ChannelKind::webhook, ChannelKind::platform};
inline constexpr ChannelKind kCustomerChannels[] = {ChannelKind::sms, ChannelKind::wechat,
                                                    ChannelKind::push, ChannelKind::email};
// Whether people (customers, staff) are told on `channel`: one of kCustomerChannels.
bool is_customer_channel(ChannelKind channel);
// The languages depot writes notifications in; a customer without one reads zh-CN.
inline constexpr std::string_view kSupportedLocales[] = {"zh-CN", "en"};
bool is_supported_locale(std::string_view locale);

std::string_view to_string(ChannelKind kind);
std::optional<ChannelKind> parse_channel_kind(std::string_view text);

// queued → sending → sent (accepted by the provider) → delivered (the provider's receipt);
// a failed attempt is `failed` until its retry, and `dead` once no retry is left.
enum class DeliveryStatus { queued, sending, sent, delivered, failed, dead };
std::string_view to_string(DeliveryStatus status);
std::optional<DeliveryStatus> parse_delivery_status(std::string_view text);
// Sent, delivered and dead deliveries are done; queued, sending and failed ones still have work.
bool is_final(DeliveryStatus status);

// The address a customer has on a channel (phone, email, openid, device token), or "" when none.
std::string recipient_of(const Customer& customer, ChannelKind channel);

// A customer's record on one channel: deliveries that ended, and how many of them got through.
struct ChannelRecord {
  ChannelKind channel = ChannelKind::sms;
  std::int64_t attempted = 0;
  std::int64_t delivered = 0;
};

// The order in which to try a customer's channels (NTF-3): the channels the customer prefers, in
// their order; else the channel with the best record (delivered ÷ attempted, ties to the merchant's
// order); else the merchant's default order. The rest of the merchant's order follows as
// fallbacks. Channels the customer has no address for, or the merchant has not set up, are left
// out; an empty answer means the customer cannot be told.
std::vector<ChannelKind> choose_channels(const Customer& customer,
                                         std::span<const ChannelRecord> history,
                                         std::span<const ChannelKind> merchant_order,
                                         std::span<const ChannelKind> configured);

// Retries (NTF-5): one try and three retries.
inline constexpr int kMaxAttempts = 4;
// The wait before attempt `attempts_made + 1`: base × 2^(attempts_made − 1), with jitter
// (`jitter` in [0, 1) scales it between 80 % and 120 %, so retries of many deliveries that failed
// together spread out while each gap stays longer than the one before), and never sooner than
// the provider's Retry-After. Nothing when `attempts_made` used up the attempts.
std::optional<std::chrono::milliseconds> retry_delay(
    int attempts_made, std::chrono::milliseconds base, double jitter,
    std::optional<std::chrono::milliseconds> retry_after);

// The key a delivery is unique on: event, channel and recipient. Providers see it (webhook-id,
// Message-ID, OutId) so they can drop a repeat sent after a crash.
std::string delivery_key(std::int64_t tenant, std::int64_t event_id, ChannelKind channel,
                         std::string_view recipient);
// The key of the n-th manual resend of a delivery.
std::string resend_key(std::string_view original_key, int n);

// A recipient as logs and lists show it: "138****8000", "z***@example.com", "oAbc…", a URL's host.
std::string mask_recipient(ChannelKind channel, std::string_view recipient);

// Events a customer hears about unless the merchant says otherwise (NTF-1).
std::vector<EventType> default_customer_events();
// Events that are merchant alerts (NTF-7): streamed to the console, sent to the staff contacts.
bool is_alert_event(EventType type);

}  // namespace depot
