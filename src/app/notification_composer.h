#pragma once
// Turns an outbox event into deliveries (SPEC NTF-1, NTF-3, NTF-4, INT-3, NTF-7): which
// recipients hear about it, on which channel, in which words. Shared by the dispatcher, which
// plans an event's first deliveries, and the sender, which plans the next channel when one dies.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/platform_writeback.h"
#include "app/ports.h"
#include "app/site_address.h"

namespace depot {

// The webhook body for an event (JSON, made by the HTTP edge so webhooks and the event feed agree).
using EventEncoder = std::function<std::string(const EventRecord&)>;

// What planning an event needs, read once per batch.
struct PlanningContext {
  TenantId tenant = 0;
  Instant now;
  NotificationPolicy policy;
  std::string link_key;                  // signs the tracking links messages carry
  std::vector<ChannelAccount> accounts;  // usable ones: configured and not disabled
  const ChannelAccount* account(ChannelKind channel) const;
  std::vector<ChannelKind> customer_channels() const;  // usable channels for customers
};

PlanningContext planning_context(ReadTx& tx, TenantId tenant, Instant now);

// The outbox's event with this id, if the merchant has it.
std::optional<EventRecord> find_event(ReadTx& tx, std::int64_t event_id);

class NotificationComposer {
 public:
  // `site` says where the public tracking page is; without it, messages carry a tracking link
  // only when the merchant set public_url. Without `encode_write_back` no shipment is written
  // back to a platform.
  explicit NotificationComposer(EventEncoder encode_event, const SiteAddress* site = nullptr,
                                WriteBackEncoder encode_write_back = {})
      : encode_event_(std::move(encode_event)),
        encode_write_back_(std::move(encode_write_back)),
        site_(site) {}

  // Every delivery `record` calls for: the customer's (on the first channel their preference,
  // history or the merchant's order chooses, the rest kept as fallbacks), the merchant's webhook,
  // the staff's alert contacts, and for a shipment of an order a platform connection created, the
  // write-back to that platform (when the connection has a callback URL). Empty when nobody is to
  // hear of it.
  std::vector<Notification> plan(ReadTx& tx, const PlanningContext& context,
                                 const EventRecord& record) const;

  // The customer's delivery of `record` on `channel`, with `fallbacks` still to try after it.
  Notification for_customer(ReadTx& tx, const PlanningContext& context, const EventRecord& record,
                            const Order& order, ChannelKind channel,
                            std::vector<ChannelKind> fallbacks) const;

  // Fills in the parts of a stored delivery's message that are derived rather than stored, so
  // the store's single writer writes narrow rows: a webhook's payload (from its event, encoded
  // when it is sent) and the HTML part (from the subject and text). A part already stored (by a
  // depot that stored them) is kept. A webhook whose event cannot be found keeps no payload.
  void complete(ReadTx& tx, Notification& notification) const;

  // The signed link to the order's public tracking page; empty when depot's address is not known.
  std::string tracking_link(TenantId tenant, const NotificationPolicy& policy,
                            const std::string& link_key, std::int64_t order_id) const;

 private:
  // The write-back of the shipment `record` is about, if its order came through a connection
  // with a callback URL.
  // `order` is the event's order when the caller has read it already.
  std::optional<Notification> write_back(ReadTx& tx, const PlanningContext& context,
                                         const EventRecord& record, const Order* order) const;
  Notification compose(ReadTx& tx, const PlanningContext& context, const EventRecord& record,
                       const Order* order, ChannelKind channel, std::string recipient,
                       Audience audience, const std::string& locale) const;

  EventEncoder encode_event_;
  WriteBackEncoder encode_write_back_;
  const SiteAddress* site_;
};

}  // namespace depot
