#include "app/notification_composer.h"

#include <algorithm>

#include "app/template_html.h"
#include "app/templates.h"
#include "app/tracking_links.h"
#include "domain/carriers.h"

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
    if (is_customer_channel(account.kind)) channels.push_back(account.kind);
  }
  return channels;
}

PlanningContext planning_context(ReadTx& tx, TenantId tenant, Instant now) {
  PlanningContext context;
  context.tenant = tenant;
  context.now = now;
  context.policy = tx.settings().notify;
  context.link_key = tx.link_key();
  for (ChannelAccount& account : tx.channel_accounts()) {
    if (!account.disabled) context.accounts.push_back(std::move(account));
  }
  return context;
}

std::optional<EventRecord> find_event(ReadTx& tx, std::int64_t event_id) {
  std::vector<EventRecord> found = tx.events_after(event_id - 1, 1);
  if (found.empty() || found.front().id != event_id) return std::nullopt;
  return std::move(found.front());
}

void NotificationComposer::complete(ReadTx& tx, Notification& n) const {
  if (n.channel == ChannelKind::webhook) {
    if (!n.message.payload.empty()) return;
    if (std::optional<EventRecord> record = find_event(tx, n.event_id)) {
      n.message.payload = encode_event_(*record);
    }
    return;
  }
  if (n.message.html.empty() && !n.message.text.empty()) {
    n.message.html = text_to_html(n.message.subject, n.message.text);
  }
}

std::vector<Notification> NotificationComposer::plan(ReadTx& tx, const PlanningContext& context,
                                                     const EventRecord& record) const {
  std::vector<Notification> planned;
  const DomainEvent& event = record.event;
  bool to_customer = notifies_customer(context.policy, event.type);
  bool to_staff = is_alert_event(event.type) && !context.policy.alert_contacts.empty();
  // Most events only go to the merchant's webhook, which needs no more of the order than its
  // customer's phone (read on its own below): the whole order is loaded only for a message.
  std::optional<Order> order;
  if (event.order_id != 0 && (to_customer || to_staff)) order = tx.find_order(event.order_id);

  if (order && to_customer) {
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
    Notification n = compose(tx, context, record, order ? &*order : nullptr, ChannelKind::webhook,
                             webhook->url, Audience::merchant, "zh-CN");
    if (!order && event.order_id != 0) n.customer_phone = tx.customer_phone_of(event.order_id);
    planned.push_back(std::move(n));
  }
  if (event.type == EventType::shipment_created && encode_write_back_) {
    if (std::optional<Notification> n =
            write_back(tx, context, record, order ? &*order : nullptr)) {
      planned.push_back(std::move(*n));
    }
  }
  if (to_staff) {
    for (const AlertContact& contact : context.policy.alert_contacts) {
      if (context.account(contact.channel) == nullptr) continue;
      planned.push_back(compose(tx, context, record, order ? &*order : nullptr, contact.channel,
                                contact.recipient, Audience::staff, "zh-CN"));
    }
  }
  return planned;
}

std::optional<Notification> NotificationComposer::write_back(ReadTx& tx,
                                                             const PlanningContext& context,
                                                             const EventRecord& record,
                                                             const Order* order) const {
  const DomainEvent& event = record.event;
  if (event.order_id == 0) return std::nullopt;
  // One point read, answered from the small table of orders connections created: most shipments
  // are of orders no connection made.
  std::optional<Integration> connection = tx.integration_of_order(event.order_id);
  if (!connection || connection->callback_url.empty()) return std::nullopt;
  std::optional<Order> read;
  if (order == nullptr) {
    read = tx.find_order(event.order_id);
    if (!read) return std::nullopt;
    order = &*read;
  }
  std::optional<Shipment> shipment = shipment_of(tx, event);
  if (!shipment) return std::nullopt;

  WriteBack parcel;
  parcel.platform = connection->platform;
  parcel.external_no = order->external_no;
  if (connection->platform == "shopify") parcel.platform_order_id = tx.platform_order_id(order->id);
  parcel.order_no = order->order_no;
  parcel.carrier = shipment->carrier;
  if (const Carrier* carrier = find_carrier(shipment->carrier)) {
    parcel.carrier = std::string(carrier->code);
    parcel.carrier_kuaidi100 = std::string(carrier->kuaidi100);
    parcel.carrier_name = std::string(carrier->name_zh);
  }
  parcel.tracking_no = shipment->tracking_no;
  parcel.shipped_at = shipment->shipped_at;
  parcel.lines = shipment->lines;
  parcel.tracking_url = tracking_link(context.tenant, context.policy, context.link_key, order->id);

  Notification n = compose(tx, context, record, order, ChannelKind::platform,
                           connection->callback_url, Audience::merchant, "zh-CN");
  // Stored as planned: the platform is told what shipped then, whatever changes later.
  n.message.payload = encode_write_back_(parcel);
  return n;
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

std::string NotificationComposer::tracking_link(TenantId tenant, const NotificationPolicy& policy,
                                                const std::string& link_key,
                                                std::int64_t order_id) const {
  std::string site =
      site_ != nullptr ? site_->of(policy.public_url) : std::string(trimmed(policy.public_url));
  if (site.empty() || order_id == 0 || link_key.empty()) return {};
  return tracking_url(site, tracking_token(link_key, tenant, order_id));
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
    n.template_source = "event";  // the payload is the event, encoded when sent: complete()
    return n;
  }
  if (channel == ChannelKind::platform) {
    n.template_source = "write-back";  // the payload is the shipment: write_back()
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
  std::string link =
      order != nullptr ? tracking_link(context.tenant, context.policy, context.link_key, order->id)
                       : std::string();
  std::map<std::string, std::string> values =
      template_values(record.event, order != nullptr ? *order : kNoOrder,
                      shipment_of(tx, record.event), n.locale, link);
  Result<RenderedMessage> own = render_template(message_template, values);
  // A merchant's template was checked when saved; should it still not render, the customer gets
  // depot's default rather than nothing.
  RenderedMessage rendered;
  if (own.ok()) {
    rendered = std::move(own).value();
  } else {
    rendered = render_template(default_template(n.event, channel, n.locale), values).value();
    n.template_source = "default";
  }
  n.message.subject = std::move(rendered.subject);
  n.message.text = std::move(rendered.text);
  // The HTML part is the text's, made again by complete() when it is needed.
  n.message.link = link;
  // Only the providers that render their own templates (Aliyun, WeChat) are sent the variables.
  if (channel == ChannelKind::sms || channel == ChannelKind::wechat) {
    n.message.variables = std::move(values);
  }
  return n;
}

}  // namespace depot
