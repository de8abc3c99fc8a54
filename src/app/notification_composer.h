#pragma once
// Turns an outbox event into deliveries (SPEC NTF-1, NTF-3, NTF-4, INT-3, NTF-7): which
// recipients hear about it, on which channel, in which words. Shared by the dispatcher, which
// plans an event's first deliveries, and the sender, which plans the next channel when one dies.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/ports.h"

namespace depot {

// The webhook body for an event (JSON, made by the HTTP edge so webhooks and the event feed agree).
using EventEncoder = std::function<std::string(const EventRecord&)>;

// What planning an event needs, read once per batch.
struct PlanningContext {
  TenantId tenant = 0;
  Instant now;
  NotificationPolicy policy;
  std::vector<ChannelAccount> accounts;  // usable ones: configured and not disabled
  const ChannelAccount* account(ChannelKind channel) const;
  std::vector<ChannelKind> customer_channels() const;  // usable channels for customers
};

PlanningContext planning_context(ReadTx& tx, TenantId tenant, Instant now);

class NotificationComposer {
 public:
  explicit NotificationComposer(EventEncoder encode_event)
      : encode_event_(std::move(encode_event)) {}

  // Every delivery `record` calls for: the customer's (on the first channel their preference,
  // history or the merchant's order chooses, the rest kept as fallbacks), the merchant's webhook
  // and the staff's alert contacts. Empty when nobody is to hear of it.
  std::vector<Notification> plan(ReadTx& tx, const PlanningContext& context,
                                 const EventRecord& record) const;

  // The customer's delivery of `record` on `channel`, with `fallbacks` still to try after it.
  Notification for_customer(ReadTx& tx, const PlanningContext& context, const EventRecord& record,
                            const Order& order, ChannelKind channel,
                            std::vector<ChannelKind> fallbacks) const;

 private:
  Notification compose(ReadTx& tx, const PlanningContext& context, const EventRecord& record,
                       const Order* order, ChannelKind channel, std::string recipient,
                       Audience audience, const std::string& locale) const;

  EventEncoder encode_event_;
};

}  // namespace depot
