#include "app/notification_service.h"

#include "app/access_service.h"
#include "app/audit.h"
#include "app/notification_fallback.h"
#include "app/order_writes.h"
#include "app/paging.h"
#include "domain/event_catalog.h"

namespace depot {

namespace {

// "template:shipment.created/sms/zh-CN".
std::string template_object(EventType event, ChannelKind channel, const std::string& locale) {
  return audit_object("template", std::string(to_string(event)) + "/" +
                                      std::string(to_string(channel)) + "/" + locale);
}

// The event a preview stands for: built from the order as it is, with its latest parcel.
DomainEvent sample_event(ReadTx& tx, const Order& order, EventType type) {
  std::vector<Shipment> shipments = tx.shipments_of(order.id);
  switch (type) {
    case EventType::order_created:
      return events::order_created(order);
    case EventType::order_held:
      return events::order_held(order);
    case EventType::order_cancelled:
      return events::order_cancelled(order, "", false);
    case EventType::shipment_created:
      if (!shipments.empty()) return events::shipment_created(order, shipments.back());
      break;
    case EventType::shipment_due_soon:
      return events::shipment_reminder(order, ReminderLevel::due_soon);
    case EventType::shipment_overdue:
      return events::shipment_reminder(order, ReminderLevel::overdue);
    case EventType::shipment_escalated:
      return events::shipment_reminder(order, ReminderLevel::escalated);
    default:
      break;
  }
  return DomainEvent{type, order.id, {}, {{"order_no", order.order_no}}};
}

std::optional<Shipment> latest_shipment(ReadTx& tx, const DomainEvent& event) {
  std::vector<Shipment> shipments = tx.shipments_of(event.order_id);
  if (shipments.empty()) return std::nullopt;
  return shipments.back();
}

Status check_template_key(EventType, ChannelKind channel, const std::string& locale) {
  if (channel == ChannelKind::webhook) {
    return invalid_field("channel", "webhooks carry the event itself and have no template");
  }
  if (channel == ChannelKind::platform) {
    return invalid_field("channel", "write-backs carry the shipment itself and have no template");
  }
  if (!is_supported_locale(locale)) return invalid_field("locale", "must be zh-CN or en");
  return {};
}

}  // namespace

Result<std::vector<Notification>> NotificationService::list(const Actor& actor,
                                                            const NotificationQuery& query) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  if (Status size = check_page_size(query.limit); !size.ok()) return size.error();
  return store_.read(actor.tenant_id)->list_notifications(query);
}

Result<NotificationDetail> NotificationService::find(const Actor& actor, std::int64_t id) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  std::optional<Notification> found = tx->find_notification(id);
  if (!found) {
    return error(ErrorCode::not_found, "notification " + std::to_string(id) + " was not found");
  }
  composer_.complete(*tx, *found);
  return NotificationDetail{*found, tx->notification_attempts(id)};
}

void NotificationService::resend(const Actor& actor, std::int64_t id, Callback<Notification> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    done(allowed.error());
    return;
  }
  Instant now = clock_.now();
  run_write<Notification>(
      store_, actor.tenant_id,
      [actor, id, now](WriteTx& tx) -> Result<Notification> {
        std::optional<Notification> original = tx.find_notification(id);
        if (!original) {
          return error(ErrorCode::not_found,
                       "notification " + std::to_string(id) + " was not found");
        }
        // A delivery with a retry or a send still to come would go out twice.
        if (original->next_attempt_at) {
          return error(ErrorCode::conflict, "notification " + std::to_string(id) + " is still " +
                                                std::string(to_string(original->status)) +
                                                "; resend it once it is done");
        }
        std::int64_t source = original->resend_of != 0 ? original->resend_of : original->id;
        // Resends are numbered on the first delivery's key, whichever copy is resent.
        std::string source_key = original->key;
        if (source != original->id) {
          if (std::optional<Notification> first = tx.find_notification(source)) {
            source_key = first->key;
          }
        }
        Notification copy = *original;
        copy.id = 0;
        copy.key = resend_key(source_key, tx.count_resends(source) + 1);
        copy.message.key = copy.key;
        copy.resend_of = source;
        copy.status = DeliveryStatus::queued;
        copy.attempts = 0;
        copy.next_attempt_at = now;
        copy.last_error.clear();
        copy.provider_id.clear();
        copy.fallbacks.clear();
        copy.created_at = now;
        copy.updated_at = now;
        copy.sent_at.reset();
        copy.delivered_at.reset();
        if (!tx.insert_notification(copy)) {
          return error(ErrorCode::conflict, "a resend of notification " + std::to_string(id) +
                                                " was just made; try again");
        }
        record_audit(tx, actor.name, "notification.resend", audit_object("notification", id),
                     {{"resend", "", "notification:" + std::to_string(copy.id)}}, now);
        return copy;
      },
      std::move(done));
}

void NotificationService::record_reports(TenantId tenant, const std::string& token,
                                         std::vector<DeliveryReport> reports, Callback<int> done) {
  Instant now = clock_.now();
  run_write<int>(
      store_, tenant,
      [this, tenant, token, reports = std::move(reports), now](WriteTx& tx) -> Result<int> {
        std::optional<ChannelAccount> account = tx.find_channel_account(ChannelKind::sms);
        std::string expected = account ? account->setting("report_token") : std::string();
        if (expected.empty() || !constant_time_equal(expected, token)) {
          return error(ErrorCode::not_found, "no such report address");
        }
        int matched = 0;
        for (const DeliveryReport& report : reports) {
          std::optional<Notification> n = tx.find_notification_by_key(report.key);
          if (!n || n->channel != ChannelKind::sms) continue;
          ++matched;
          std::string said = report.code + (report.message.empty() ? "" : ": " + report.message);
          tx.add_notification_attempt(
              n->id, {n->attempts, now, now, report.delivered ? "delivered" : "undelivered",
                      "delivery report: " + said});
          if (n->status == DeliveryStatus::delivered || n->status == DeliveryStatus::dead) {
            continue;  // a repeated or late report changes nothing
          }
          n->updated_at = now;
          n->next_attempt_at.reset();
          if (report.delivered) {
            n->status = DeliveryStatus::delivered;
            n->delivered_at = now;
            tx.update_notification(*n);
          } else {
            n->status = DeliveryStatus::failed;
            n->last_error = "not delivered: " + said;
            tx.update_notification(*n);
            fall_back(tx, composer_, tenant, *n, now);
          }
        }
        return matched;
      },
      std::move(done));
}

Result<std::vector<StoredTemplate>> NotificationService::templates(const Actor& actor) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  return store_.read(actor.tenant_id)->stored_templates();
}

Result<std::pair<StoredTemplate, std::string>> NotificationService::effective_template(
    const Actor& actor, EventType event, ChannelKind channel, const std::string& locale) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  if (Status key = check_template_key(event, channel, locale); !key.ok()) return key.error();
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  if (std::optional<StoredTemplate> own = tx->find_template(event, channel, locale)) {
    return std::pair{*own, std::string("merchant")};
  }
  MessageTemplate fallback = default_template(event, channel, locale);
  StoredTemplate stored{event, channel, locale, fallback.subject, fallback.body, Instant{}};
  return std::pair{stored, std::string("default")};
}

void NotificationService::save_template(const Actor& actor, StoredTemplate stored,
                                        Callback<bool> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    done(allowed.error());
    return;
  }
  if (Status key = check_template_key(stored.event, stored.channel, stored.locale); !key.ok()) {
    done(key.error());
    return;
  }
  if (Status valid = validate_template({stored.subject, stored.body}); !valid.ok()) {
    done(valid.error());
    return;
  }
  stored.updated_at = clock_.now();
  run_write<bool>(
      store_, actor.tenant_id,
      [actor, stored = std::move(stored)](WriteTx& tx) -> Result<bool> {
        std::optional<StoredTemplate> before =
            tx.find_template(stored.event, stored.channel, stored.locale);
        tx.save_template(stored);
        std::vector<FieldChange> changes;
        add_change(changes, "subject", before ? before->subject : "", stored.subject);
        add_change(changes, "body", before ? before->body : "", stored.body);
        record_audit(tx, actor.name, before ? "template.update" : "template.create",
                     template_object(stored.event, stored.channel, stored.locale),
                     std::move(changes), stored.updated_at);
        return !before.has_value();
      },
      std::move(done));
}

void NotificationService::delete_template(const Actor& actor, EventType event, ChannelKind channel,
                                          const std::string& locale, Callback<bool> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    done(allowed.error());
    return;
  }
  if (Status key = check_template_key(event, channel, locale); !key.ok()) {
    done(key.error());
    return;
  }
  run_write<bool>(
      store_, actor.tenant_id,
      [this, actor, event, channel, locale](WriteTx& tx) -> Result<bool> {
        std::optional<StoredTemplate> before = tx.find_template(event, channel, locale);
        if (!before || !tx.delete_template(event, channel, locale)) {
          return error(ErrorCode::not_found, "this merchant has no own template for " +
                                                 std::string(to_string(event)) + " by " +
                                                 std::string(to_string(channel)) + " in " + locale);
        }
        std::vector<FieldChange> changes;
        add_change(changes, "subject", before->subject, "");
        add_change(changes, "body", before->body, "");
        record_audit(tx, actor.name, "template.delete", template_object(event, channel, locale),
                     std::move(changes), clock_.now());
        return true;
      },
      std::move(done));
}

Result<TemplatePreview> NotificationService::preview(const Actor& actor,
                                                     const PreviewRequest& request) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  if (request.draft) {
    if (Status valid = validate_template(*request.draft); !valid.ok()) return valid.error();
  }
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  std::optional<Order> order = tx->find_order(request.order_id);
  if (!order) return order_not_found(request.order_id);
  std::string locale = request.locale.empty() ? order->customer.locale : request.locale;
  if (Status key = check_template_key(request.event, request.channel, locale); !key.ok()) {
    return key.error();
  }
  TemplatePreview preview;
  MessageTemplate chosen;
  if (request.draft) {
    chosen = *request.draft;
    preview.template_source = "draft";
  } else if (std::optional<StoredTemplate> own =
                 tx->find_template(request.event, request.channel, locale)) {
    chosen = {own->subject, own->body};
    preview.template_source = "merchant";
  } else {
    chosen = default_template(request.event, request.channel, locale);
    preview.template_source = "default";
  }
  DomainEvent event = sample_event(*tx, *order, request.event);
  preview.values = template_values(
      event, *order, latest_shipment(*tx, event), locale,
      composer_.tracking_link(actor.tenant_id, tx->settings().notify, tx->link_key(), order->id));
  Result<RenderedMessage> rendered = render_template(chosen, preview.values);
  if (!rendered.ok()) return rendered.error();
  preview.rendered = std::move(*rendered);
  return preview;
}

Result<std::vector<SandboxMessage>> NotificationService::sandbox_messages(const Actor& actor,
                                                                          std::int64_t order_id,
                                                                          std::int64_t before_id,
                                                                          int limit) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  if (Status size = check_page_size(limit); !size.ok()) return size.error();
  return store_.read(actor.tenant_id)->sandbox_messages(order_id, before_id, limit);
}

}  // namespace depot
