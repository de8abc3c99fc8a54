#include "app/notification_fallback.h"

#include "app/audit.h"
#include "app/platform_writeback.h"
#include "app/ticket_service.h"
#include "domain/event_catalog.h"

namespace depot {

namespace {

// The channels tried for an event, in the order they were planned: "sms, email".
std::string channels_tried(ReadTx& tx, const Notification& last) {
  NotificationQuery query;
  query.order_id = last.order_id;
  query.limit = 200;
  std::vector<std::string> names;
  for (const Notification& n : tx.list_notifications(query)) {
    if (n.event_id != last.event_id || n.audience != Audience::customer) continue;
    names.insert(names.begin(), std::string(to_string(n.channel)));
  }
  std::string text;
  for (const std::string& name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

// Opens the ticket of a write-back that died, once per event.
void write_back_failed(WriteTx& tx, const Notification& dead, Instant now) {
  std::optional<Order> order = tx.find_order(dead.order_id);
  if (!order) return;
  Ticket ticket;
  ticket.kind = kWritebackFailed;
  ticket.order_id = order->id;
  ticket.event_id = dead.event_id;
  ticket.notification_id = dead.id;
  ticket.subject = "The platform was not told that order " + order->order_no + " (" +
                   order->platform + " " + order->external_no + ") shipped: " + dead.last_error;
  ticket.created_by = "system";
  ticket.created_at = now;
  ticket.updated_at = now;
  if (!tx.insert_ticket(ticket)) return;
  tx.append_event(events::ticket_opened(*order, ticket.id, ticket.kind, ticket.subject), now);
  record_audit(tx, "system", "ticket.open", audit_object("ticket", ticket.id),
               {{"kind", "", ticket.kind},
                {"order_id", "", std::to_string(ticket.order_id)},
                {"subject", "", ticket.subject}},
               now);
}

}  // namespace

void fall_back(WriteTx& tx, const NotificationComposer& composer, TenantId tenant,
               const Notification& dead, Instant now) {
  if (dead.channel == ChannelKind::platform) return write_back_failed(tx, dead, now);
  if (dead.audience != Audience::customer || dead.resend_of != 0) return;
  std::optional<Order> order = tx.find_order(dead.order_id);
  std::optional<EventRecord> record = find_event(tx, dead.event_id);
  if (!order || !record) return;
  PlanningContext context = planning_context(tx, tenant, now);
  std::vector<ChannelKind> remaining = dead.fallbacks;
  while (!remaining.empty()) {
    ChannelKind next = remaining.front();
    remaining.erase(remaining.begin());
    if (context.account(next) == nullptr || recipient_of(order->customer, next).empty()) continue;
    Notification fallback = composer.for_customer(tx, context, *record, *order, next, remaining);
    tx.insert_notification(fallback);
    return;
  }
  Ticket ticket;
  ticket.kind = kNotificationFailed;
  ticket.order_id = order->id;
  ticket.event_id = dead.event_id;
  ticket.notification_id = dead.id;
  std::string tried = channels_tried(tx, dead);
  ticket.subject = "The customer of order " + order->order_no + " was not told of " +
                   std::string(to_string(dead.event)) + ": every channel failed (" + tried + ")";
  ticket.created_by = "system";
  ticket.created_at = now;
  ticket.updated_at = now;
  if (!tx.insert_ticket(ticket)) return;
  tx.append_event(events::notification_dead(*order, dead.id, std::string(to_string(dead.event)),
                                            tried, ticket.id),
                  now);
  tx.append_event(events::ticket_opened(*order, ticket.id, ticket.kind, ticket.subject), now);
  record_audit(tx, "system", "ticket.open", audit_object("ticket", ticket.id),
               {{"kind", "", ticket.kind},
                {"order_id", "", std::to_string(ticket.order_id)},
                {"subject", "", ticket.subject}},
               now);
}

}  // namespace depot
