#pragma once
// The store's interfaces for notifications (SPEC NTF-1 … NTF-7, AFS-4): channel accounts,
// templates, the dispatcher's place in the outbox, deliveries and their attempts, tickets and the
// sandbox inbox. ReadTx and WriteTx (app/ports.h) include them, so planning a delivery and moving
// the dispatcher's position commit together.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/channel.h"
#include "domain/event.h"
#include "domain/notification.h"
#include "domain/time.h"

namespace depot {

// Who a delivery is for: the order's customer, the merchant's systems (webhooks) or its staff
// (alerts by a channel).
enum class Audience { customer, merchant, staff };
std::string_view to_string(Audience audience);
std::optional<Audience> parse_audience(std::string_view text);

struct Notification {
  std::int64_t id = 0;
  std::string key;  // unique per merchant: event + channel + recipient (or a resend of one)
  std::int64_t event_id = 0;
  EventType event = EventType::order_created;
  std::int64_t order_id = 0;
  ChannelKind channel = ChannelKind::sms;
  std::string recipient;
  Audience audience = Audience::customer;
  std::string customer_phone;  // the customer it is about: history and search
  std::string locale;
  std::string template_source;  // "default" or "merchant"
  // Rendered when planned; its key is `key`. What can be derived again is not stored: a
  // webhook's payload (from its event) and the HTML part (from the subject and text) are filled
  // in by NotificationComposer::complete() when the delivery is sent or shown.
  OutgoingMessage message;
  DeliveryStatus status = DeliveryStatus::queued;
  int attempts = 0;
  // When the sender should next look at it: due for a first try or a retry, or the end of the
  // lease of a send in flight. Nothing once the delivery is done.
  std::optional<Instant> next_attempt_at;
  // The depot node whose claim last moved it to `sending` (its name: `depot serve --node`).
  std::string claimed_by;
  std::string last_error;
  std::string provider_id;
  std::vector<ChannelKind> fallbacks;  // customer channels still to try if this one dies
  std::int64_t resend_of = 0;
  Instant created_at;
  Instant updated_at;
  std::optional<Instant> sent_at;
  std::optional<Instant> delivered_at;
};

struct NotificationAttempt {
  int n = 0;
  Instant started_at;
  Instant finished_at;
  // sent, retry_later, permanent; interrupted (a stop came first); delivered or undelivered (a
  // provider's receipt)
  std::string outcome;
  std::string response;  // what the provider said
};

// Filters are ANDed; empty and nullopt mean "any". Newest first, after the cursor.
struct NotificationQuery {
  std::int64_t order_id = 0;
  std::string phone;
  std::optional<DeliveryStatus> status;
  std::optional<ChannelKind> channel;
  std::int64_t before_id = 0;  // cursor: the last id of the previous page, 0 for the first
  int limit = 50;
};

struct StoredTemplate {
  EventType event = EventType::shipment_created;
  ChannelKind channel = ChannelKind::sms;
  std::string locale;
  std::string subject;
  std::string body;
  Instant updated_at;
};

enum class TicketStatus { open, in_progress, resolved, closed };
std::string_view to_string(TicketStatus status);
std::optional<TicketStatus> parse_ticket_status(std::string_view text);

struct TicketComment {
  std::int64_t id = 0;
  std::string author;
  std::string text;
  Instant at;
};

struct Ticket {
  std::int64_t id = 0;
  std::string kind;  // "notification_failed", "complaint", "held_order"
  TicketStatus status = TicketStatus::open;
  std::int64_t order_id = 0;
  std::int64_t event_id = 0;  // the event it is about, 0 for none
  std::int64_t notification_id = 0;
  std::string subject;
  std::string assignee;
  std::string created_by;
  Instant created_at;
  Instant updated_at;
  std::vector<TicketComment> comments;  // filled by find_ticket only
};

struct TicketQuery {
  std::int64_t order_id = 0;
  std::optional<TicketStatus> status;
  std::string kind;
  std::int64_t before_id = 0;
  int limit = 50;
};

struct SandboxMessage {
  std::int64_t id = 0;
  std::int64_t notification_id = 0;
  std::int64_t order_id = 0;
  ChannelKind channel = ChannelKind::sms;
  std::string recipient;
  std::string subject;
  std::string body;
  std::string html;
  Instant created_at;
};

class NotificationReads {
 public:
  virtual ~NotificationReads() = default;
  virtual std::vector<ChannelAccount> channel_accounts() = 0;
  virtual std::optional<ChannelAccount> find_channel_account(ChannelKind channel) = 0;
  virtual std::vector<StoredTemplate> stored_templates() = 0;
  virtual std::optional<StoredTemplate> find_template(EventType event, ChannelKind channel,
                                                      const std::string& locale) = 0;
  virtual std::int64_t dispatch_position() = 0;
  // The customer's record per channel: deliveries that ended, and those that got through.
  virtual std::vector<ChannelRecord> channel_records(const std::string& phone) = 0;
  // The phone of the order's customer, empty when there is no such order: what a delivery about
  // the order is searched by, read without loading the whole order.
  virtual std::string customer_phone_of(std::int64_t order_id) = 0;
  virtual std::optional<Notification> find_notification(std::int64_t id) = 0;
  virtual std::optional<Notification> find_notification_by_key(const std::string& key) = 0;
  virtual std::vector<Notification> list_notifications(const NotificationQuery& query) = 0;
  virtual std::vector<NotificationAttempt> notification_attempts(std::int64_t id) = 0;
  // Deliveries on `channel` whose next_attempt_at is at or before `now`, soonest first.
  virtual std::vector<Notification> due_notifications(ChannelKind channel, Instant now,
                                                      int limit) = 0;
  // When the next delivery falls due, if any has work left.
  virtual std::optional<Instant> next_due() = 0;
  virtual int count_resends(std::int64_t notification_id) = 0;
  virtual std::vector<Ticket> list_tickets(const TicketQuery& query) = 0;
  virtual std::optional<Ticket> find_ticket(std::int64_t id) = 0;
  virtual std::vector<SandboxMessage> sandbox_messages(std::int64_t order_id,
                                                       std::int64_t before_id, int limit) = 0;
};

class NotificationWrites {
 public:
  virtual ~NotificationWrites() = default;
  virtual void save_channel_account(const ChannelAccount& account, Instant at) = 0;
  virtual bool delete_channel_account(ChannelKind channel) = 0;
  virtual void save_template(const StoredTemplate& stored) = 0;
  virtual bool delete_template(EventType event, ChannelKind channel, const std::string& locale) = 0;
  virtual void set_dispatch_position(std::int64_t after_event_id) = 0;
  // Stores a new delivery and fills in its id; false (and nothing stored) when its key exists.
  virtual bool insert_notification(Notification& notification) = 0;
  // Writes the delivery's state: status, attempts, next_attempt_at, claimed_by, last_error,
  // provider_id and its times.
  virtual void update_notification(const Notification& notification) = 0;
  // Writes the delivery's state as update_notification() does, but only while the stored
  // delivery is still as it was read: in status `was` and due at `was_due`. Answers whether it
  // was (and so was written).
  virtual bool update_notification_if(const Notification& notification, DeliveryStatus was,
                                      std::optional<Instant> was_due) = 0;
  virtual void add_notification_attempt(std::int64_t notification_id,
                                        const NotificationAttempt& attempt) = 0;
  // Makes every delivery that node `node` left in flight when it stopped due at `now`, and those
  // claimed before claims named their node; answers how many. Other nodes' sends are theirs to
  // finish, or to lose with their lease.
  virtual int release_interrupted(const std::string& node, Instant now) = 0;
  // Stores a ticket and fills in its id; false when one of its kind exists for its event.
  virtual bool insert_ticket(Ticket& ticket) = 0;
  virtual void update_ticket(const Ticket& ticket) = 0;
  virtual std::int64_t add_ticket_comment(std::int64_t ticket_id, const TicketComment& comment) = 0;
  virtual void insert_sandbox_message(SandboxMessage& message) = 0;
};

}  // namespace depot
