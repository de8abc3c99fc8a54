#include "app/notification_composer.h"

#include <algorithm>

#include "app/templates.h"

namespace depot {

namespace {

std::optional<std::int64_t> int_value(const DomainEvent& event, std::string_view name) {
  for (const auto& [key, value] : event.data) {
    if (key == name) {
      if (const auto* number = std::get_if<std::int64_t>(&value)) return *number;
    }
  }
  return std::nullopt;
}

bool notifies_customer(const NotificationPolicy& policy, EventType type) {
  return std::find(policy.customer_events.begin(), policy.customer_events.end(), type) !=
         policy.customer_events.end();
}

// The parcel a shipment event is about, so messages can name its carrier and tracking number.
std::optional<Shipment> shipment_of(ReadTx& tx, const DomainEvent& event) {
  std::optional<std::int64_t> id = int_value(event, "shipment_id");
  if (!id || event.order_id == 0) return std::nullopt;
  for (Shipment& shipment : tx.shipments_of(event.order_id)) {
    if (shipment.id == *id) return std::move(shipment);
  }
  return std::nullopt;
}

}  // namespace

const ChannelAccount* PlanningContext::account(ChannelKind channel) const {
  for (const ChannelAccount& account : accounts) {
    if (account.kind == channel) return &account;
  }
  return nullptr;
}

std::vector<ChannelKind> PlanningContext::customer_channels() const {
  std::vector<ChannelKind> channels;
  for (const ChannelAccount& account : accounts) {
    if (account.kind != ChannelKind::webhook) channels.push_back(account.kind);
  }
  return channels;
}

PlanningContext planning_context(ReadTx& tx, TenantId tenant, Instant now) {
  PlanningContext context;
  context.tenant = tenant;
  context.now = now;
  context.policy = tx.settings().notify;
  for (ChannelAccount& account : tx.channel_accounts()) {
    if (!account.disabled) context.accounts.push_back(std::move(account));
  }
  return context;
}

std::vector<Notification> NotificationComposer::plan(ReadTx& tx, const PlanningContext& context,
                                                     const EventRecord& record) const {
  std::vector<Notification> planned;
  const DomainEvent& event = record.event;
  std::optional<Order> order;
  if (event.order_id != 0) order = tx.find_order(event.order_id);

  if (order && notifies_customer(context.policy, event.type)) {
    std::vector<ChannelKind> usable = context.customer_channels();
    std::vector<ChannelKind> channels =
        choose_channels(order->customer, tx.channel_records(order->customer.phone),
                        context.policy.default_channels, usable);
    if (!channels.empty()) {
      ChannelKind first = channels.front();
      channels.erase(channels.begin());
      planned.push_back(for_customer(tx, context, record, *order, first, std::move(channels)));
    }
  }
  if (const ChannelAccount* webhook = context.account(ChannelKind::webhook)) {
    planned.push_back(compose(tx, context, record, order ? &*order : nullptr, ChannelKind::webhook,
                              webhook->url, Audience::merchant, "zh-CN"));
  }
  if (is_alert_event(event.type)) {
    for (const AlertContact& contact : context.policy.alert_contacts) {
      if (context.account(contact.channel) == nullptr) continue;
      planned.push_back(compose(tx, context, record, order ? &*order : nullptr, contact.channel,
                                contact.recipient, Audience::staff, "zh-CN"));
    }
  }
  return planned;
}

Notification NotificationComposer::for_customer(ReadTx& tx, const PlanningContext& context,
                                                const EventRecord& record, const Order& order,
                                                ChannelKind channel,
                                                std::vector<ChannelKind> fallbacks) const {
  Notification n =
      compose(tx, context, record, &order, channel, recipient_of(order.customer, channel),
              Audience::customer, order.customer.locale);
  n.fallbacks = std::move(fallbacks);
  return n;
}

Notification NotificationComposer::compose(ReadTx& tx, const PlanningContext& context,
                                           const EventRecord& record, const Order* order,
                                           ChannelKind channel, std::string recipient,
                                           Audience audience, const std::string& locale) const {
  Notification n;
  n.key = delivery_key(context.tenant, record.id, channel, recipient);
  n.event_id = record.id;
  n.event = record.event.type;
  n.order_id = record.event.order_id;
  n.channel = channel;
  n.audience = audience;
  n.customer_phone = order != nullptr ? order->customer.phone : std::string();
  n.locale = is_supported_locale(locale) ? locale : std::string(kSupportedLocales[0]);
  n.status = DeliveryStatus::queued;
  n.next_attempt_at = context.now;
  n.created_at = context.now;
  n.updated_at = context.now;
  n.message.key = n.key;
  n.message.event = std::string(to_string(record.event.type));
  n.message.recipient = recipient;
  n.recipient = std::move(recipient);
  if (channel == ChannelKind::webhook) {
    n.template_source = "event";
    n.message.payload = encode_event_(record);
    return n;
  }
  MessageTemplate message_template;
  if (std::optional<StoredTemplate> own = tx.find_template(n.event, channel, n.locale)) {
    message_template = {own->subject, own->body};
    n.template_source = "merchant";
  } else {
    message_template = default_template(n.event, channel, n.locale);
    n.template_source = "default";
  }
  static const Order kNoOrder;
  std::map<std::string, std::string> values =
      template_values(record.event, order != nullptr ? *order : kNoOrder,
                      shipment_of(tx, record.event), n.locale, context.policy.public_url);
  Result<RenderedMessage> own = render_template(message_template, values);
  // A merchant's template was checked when saved; should it still not render, the customer gets
  // depot's default rather than nothing.
  RenderedMessage rendered =
      own.ok() ? std::move(*own)
               : *render_template(default_template(n.event, channel, n.locale), values);
  if (!own.ok()) n.template_source = "default";
  n.message.subject = std::move(rendered.subject);
  n.message.text = std::move(rendered.text);
  n.message.html = std::move(rendered.html);
  auto link = values.find("tracking_link");
  if (link != values.end()) n.message.link = link->second;
  n.message.variables = std::move(values);
  return n;
}

}  // namespace depot
