// Channel accounts, templates, the dispatcher's position and deliveries with their attempts.
#include <boost/json.hpp>

#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace json = boost::json;

namespace {

std::string encode_map(const std::map<std::string, std::string>& map) {
  json::object object;
  for (const auto& [key, value] : map) object[key] = value;
  return json::serialize(object);
}

std::map<std::string, std::string> decode_map(const std::string& text) {
  std::map<std::string, std::string> map;
  json::value parsed = json::parse(text);
  for (const auto& [key, value] : parsed.as_object()) {
    map.emplace(std::string(key), std::string(value.as_string()));
  }
  return map;
}

std::string encode_channels(const std::vector<ChannelKind>& channels) {
  std::string text;
  for (ChannelKind channel : channels) {
    if (!text.empty()) text += ',';
    text += to_string(channel);
  }
  return text;
}

std::vector<ChannelKind> decode_channels(std::string_view text) {
  std::vector<ChannelKind> channels;
  while (!text.empty()) {
    std::string_view name = text.substr(0, text.find(','));
    text.remove_prefix(std::min(text.size(), name.size() + 1));
    if (std::optional<ChannelKind> channel = parse_channel_kind(name)) channels.push_back(*channel);
  }
  return channels;
}

std::optional<std::int64_t> millis_or_null(const std::optional<Instant>& at) {
  if (!at) return std::nullopt;
  return to_millis(*at);
}

std::optional<Instant> instant_or_null(const Query& q, int column) {
  if (q.is_null(column)) return std::nullopt;
  return from_millis(q.integer(column));
}

constexpr const char* kNotificationColumns =
    "SELECT id, dedupe_key, event_id, event, order_id, channel, recipient, audience, "
    "customer_phone, locale, template, subject, body, html, link, variables, payload, status, "
    "attempts, next_attempt_at, last_error, provider_id, fallbacks, resend_of, created_at, "
    "updated_at, sent_at, delivered_at, claimed_by FROM notifications ";

Notification notification_from(const Query& q) {
  Notification n;
  n.id = q.integer(0);
  n.key = q.text(1);
  n.event_id = q.integer(2);
  n.event = parse_event_type(q.text(3)).value_or(EventType::order_created);
  n.order_id = q.integer(4);
  n.channel = parse_channel_kind(q.text(5)).value_or(ChannelKind::sms);
  n.recipient = q.text(6);
  n.audience = parse_audience(q.text(7)).value_or(Audience::customer);
  n.customer_phone = q.text(8);
  n.locale = q.text(9);
  n.template_source = q.text(10);
  n.message.key = n.key;
  n.message.event = q.text(3);
  n.message.recipient = n.recipient;
  n.message.subject = q.text(11);
  n.message.text = q.text(12);
  n.message.html = q.text(13);
  n.message.link = q.text(14);
  n.message.variables = decode_map(q.text(15));
  n.message.payload = q.text(16);
  n.status = parse_delivery_status(q.text(17)).value_or(DeliveryStatus::queued);
  n.attempts = static_cast<int>(q.integer(18));
  n.next_attempt_at = instant_or_null(q, 19);
  n.last_error = q.text(20);
  n.provider_id = q.text(21);
  n.fallbacks = decode_channels(q.text(22));
  n.resend_of = q.integer(23);
  n.created_at = from_millis(q.integer(24));
  n.updated_at = from_millis(q.integer(25));
  n.sent_at = instant_or_null(q, 26);
  n.delivered_at = instant_or_null(q, 27);
  n.claimed_by = q.text(28);
  return n;
}

ChannelAccount account_from(const Query& q) {
  ChannelAccount account;
  account.kind = parse_channel_kind(q.text(0)).value_or(ChannelKind::email);
  account.url = q.text(1);
  account.settings = decode_map(q.text(2));
  account.templates = decode_map(q.text(3));
  account.sandbox = q.integer(4) != 0;
  account.disabled = q.integer(5) != 0;
  return account;
}

constexpr const char* kAccountColumns =
    "SELECT channel, url, settings, templates, sandbox, disabled FROM channel_accounts ";

StoredTemplate template_from(const Query& q) {
  StoredTemplate t;
  t.event = parse_event_type(q.text(0)).value_or(EventType::shipment_created);
  t.channel = parse_channel_kind(q.text(1)).value_or(ChannelKind::sms);
  t.locale = q.text(2);
  t.subject = q.text(3);
  t.body = q.text(4);
  t.updated_at = from_millis(q.integer(5));
  return t;
}

constexpr const char* kTemplateColumns =
    "SELECT event, channel, locale, subject, body, updated_at FROM notification_templates ";

}  // namespace

std::vector<ChannelAccount> SqlTx::channel_accounts() {
  Query q = db_.query(std::string(kAccountColumns) + "WHERE tenant_id = ? ORDER BY channel");
  q.bind_all(tenant_);
  std::vector<ChannelAccount> accounts;
  while (q.step()) accounts.push_back(account_from(q));
  return accounts;
}

std::optional<ChannelAccount> SqlTx::find_channel_account(ChannelKind channel) {
  Query q = db_.query(std::string(kAccountColumns) + "WHERE tenant_id = ? AND channel = ?");
  q.bind_all(tenant_, to_string(channel));
  if (!q.step()) return std::nullopt;
  return account_from(q);
}

void SqlTx::save_channel_account(const ChannelAccount& a, Instant at) {
  db_.query(
         "INSERT INTO channel_accounts (tenant_id, channel, url, settings, templates, sandbox, "
         "disabled, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
         "ON CONFLICT (tenant_id, channel) DO UPDATE SET url = excluded.url, "
         "settings = excluded.settings, templates = excluded.templates, "
         "sandbox = excluded.sandbox, disabled = excluded.disabled, "
         "updated_at = excluded.updated_at")
      .bind_all(tenant_, to_string(a.kind), a.url, encode_map(a.settings), encode_map(a.templates),
                a.sandbox, a.disabled, to_millis(at))
      .run();
}

bool SqlTx::delete_channel_account(ChannelKind channel) {
  db_.query("DELETE FROM channel_accounts WHERE tenant_id = ? AND channel = ?")
      .bind_all(tenant_, to_string(channel))
      .run();
  return db_.changes() > 0;
}

std::vector<StoredTemplate> SqlTx::stored_templates() {
  Query q = db_.query(std::string(kTemplateColumns) +
                      "WHERE tenant_id = ? ORDER BY event, channel, locale");
  q.bind_all(tenant_);
  std::vector<StoredTemplate> templates;
  while (q.step()) templates.push_back(template_from(q));
  return templates;
}

std::optional<StoredTemplate> SqlTx::find_template(EventType event, ChannelKind channel,
                                                   const std::string& locale) {
  Query q = db_.query(std::string(kTemplateColumns) +
                      "WHERE tenant_id = ? AND event = ? AND channel = ? AND locale = ?");
  q.bind_all(tenant_, to_string(event), to_string(channel), locale);
  if (!q.step()) return std::nullopt;
  return template_from(q);
}

void SqlTx::save_template(const StoredTemplate& t) {
  db_.query(
         "INSERT INTO notification_templates (tenant_id, event, channel, locale, subject, body, "
         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
         "ON CONFLICT (tenant_id, event, channel, locale) DO UPDATE SET "
         "subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at")
      .bind_all(tenant_, to_string(t.event), to_string(t.channel), t.locale, t.subject, t.body,
                to_millis(t.updated_at))
      .run();
}

bool SqlTx::delete_template(EventType event, ChannelKind channel, const std::string& locale) {
  db_.query(
         "DELETE FROM notification_templates WHERE tenant_id = ? AND event = ? AND channel = ? "
         "AND locale = ?")
      .bind_all(tenant_, to_string(event), to_string(channel), locale)
      .run();
  return db_.changes() > 0;
}

std::int64_t SqlTx::dispatch_position() {
  Query q = db_.query("SELECT after_event_id FROM dispatch_positions WHERE tenant_id = ?");
  q.bind_all(tenant_);
  return q.step() ? q.integer(0) : 0;
}

void SqlTx::set_dispatch_position(std::int64_t after_event_id) {
  db_.query(
         "INSERT INTO dispatch_positions (tenant_id, after_event_id) VALUES (?, ?) "
         "ON CONFLICT (tenant_id) DO UPDATE SET after_event_id = excluded.after_event_id")
      .bind_all(tenant_, after_event_id)
      .run();
}

std::vector<ChannelRecord> SqlTx::channel_records(const std::string& phone) {
  // A delivery has ended when it got through, died, or failed with no retry left (a delivery
  // report saying the message never arrived); a failed one still retrying has not.
  Query q = db_.query(
      "SELECT channel, SUM(CASE WHEN status IN ('sent', 'delivered') THEN 1 ELSE 0 END), COUNT(*) "
      "FROM notifications "
      "WHERE tenant_id = ? AND customer_phone = ? AND audience = 'customer' "
      "AND (status IN ('sent', 'delivered', 'dead') "
      "OR (status = 'failed' AND next_attempt_at IS NULL)) GROUP BY channel");
  q.bind_all(tenant_, phone);
  std::vector<ChannelRecord> records;
  while (q.step()) {
    std::optional<ChannelKind> channel = parse_channel_kind(q.text(0));
    if (!channel) continue;
    records.push_back({*channel, q.integer(2), q.integer(1)});
  }
  return records;
}

std::string SqlTx::customer_phone_of(std::int64_t order_id) {
  Query q = db_.query("SELECT customer_phone FROM orders WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, order_id);
  return q.step() ? q.text(0) : std::string();
}

std::optional<Notification> SqlTx::find_notification(std::int64_t id) {
  Query q = db_.query(std::string(kNotificationColumns) + "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  return notification_from(q);
}

std::optional<Notification> SqlTx::find_notification_by_key(const std::string& key) {
  Query q = db_.query(std::string(kNotificationColumns) + "WHERE tenant_id = ? AND dedupe_key = ?");
  q.bind_all(tenant_, key);
  if (!q.step()) return std::nullopt;
  return notification_from(q);
}

std::vector<Notification> SqlTx::list_notifications(const NotificationQuery& query) {
  std::string sql = std::string(kNotificationColumns) + "WHERE tenant_id = ?";
  if (query.order_id != 0) sql += " AND order_id = ?";
  if (!query.phone.empty()) sql += " AND customer_phone = ?";
  if (query.status) sql += " AND status = ?";
  if (query.channel) sql += " AND channel = ?";
  if (query.before_id != 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  Query q = db_.query(sql);
  int index = 1;
  q.bind(index++, tenant_);
  if (query.order_id != 0) q.bind(index++, query.order_id);
  if (!query.phone.empty()) q.bind(index++, query.phone);
  if (query.status) q.bind(index++, to_string(*query.status));
  if (query.channel) q.bind(index++, to_string(*query.channel));
  if (query.before_id != 0) q.bind(index++, query.before_id);
  q.bind(index, query.limit);
  std::vector<Notification> items;
  while (q.step()) items.push_back(notification_from(q));
  return items;
}

std::vector<NotificationAttempt> SqlTx::notification_attempts(std::int64_t id) {
  Query q = db_.query(
      "SELECT n, started_at, finished_at, outcome, response FROM notification_attempts "
      "WHERE tenant_id = ? AND notification_id = ? ORDER BY id");
  q.bind_all(tenant_, id);
  std::vector<NotificationAttempt> attempts;
  while (q.step()) {
    attempts.push_back({static_cast<int>(q.integer(0)), from_millis(q.integer(1)),
                        from_millis(q.integer(2)), q.text(3), q.text(4)});
  }
  return attempts;
}

std::vector<Notification> SqlTx::due_notifications(ChannelKind channel, Instant now, int limit) {
  Query q = db_.query(std::string(kNotificationColumns) +
                      "WHERE tenant_id = ? AND channel = ? AND next_attempt_at IS NOT NULL "
                      "AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?");
  q.bind_all(tenant_, to_string(channel), to_millis(now), limit);
  std::vector<Notification> due;
  while (q.step()) due.push_back(notification_from(q));
  return due;
}

std::optional<Instant> SqlTx::next_due() {
  // One look per channel: each is the first entry of its part of notifications_due_by_channel.
  std::optional<std::int64_t> soonest;
  for (ChannelKind channel : kChannels) {
    Query q = db_.query(
        "SELECT MIN(next_attempt_at) FROM notifications WHERE tenant_id = ? AND channel = ? "
        "AND next_attempt_at IS NOT NULL");
    q.bind_all(tenant_, to_string(channel));
    if (!q.step() || q.is_null(0)) continue;
    if (!soonest || q.integer(0) < *soonest) soonest = q.integer(0);
  }
  if (!soonest) return std::nullopt;
  return from_millis(*soonest);
}

int SqlTx::count_resends(std::int64_t notification_id) {
  Query q = db_.query("SELECT COUNT(*) FROM notifications WHERE tenant_id = ? AND resend_of = ?");
  q.bind_all(tenant_, notification_id);
  return q.step() ? static_cast<int>(q.integer(0)) : 0;
}

bool SqlTx::insert_notification(Notification& n) {
  std::int64_t id = next_id("notifications");
  Query q = db_.query(
      "INSERT INTO notifications (tenant_id, id, dedupe_key, event_id, event, order_id, "
      "channel, recipient, audience, customer_phone, locale, template, subject, body, html, "
      "link, variables, payload, status, attempts, next_attempt_at, last_error, provider_id, "
      "fallbacks, resend_of, created_at, updated_at, sent_at, delivered_at) VALUES (?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (tenant_id, dedupe_key) DO NOTHING");
  q.bind_all(tenant_, id, n.key, n.event_id, to_string(n.event), n.order_id, to_string(n.channel),
             n.recipient, to_string(n.audience), n.customer_phone, n.locale, n.template_source,
             n.message.subject, n.message.text, n.message.html, n.message.link,
             encode_map(n.message.variables), n.message.payload, to_string(n.status), n.attempts);
  q.bind_or_null(21, millis_or_null(n.next_attempt_at));
  q.bind(22, n.last_error).bind(23, n.provider_id).bind(24, encode_channels(n.fallbacks));
  q.bind(25, n.resend_of).bind(26, to_millis(n.created_at)).bind(27, to_millis(n.updated_at));
  q.bind_or_null(28, millis_or_null(n.sent_at)).bind_or_null(29, millis_or_null(n.delivered_at));
  q.run();
  if (db_.changes() == 0) return false;
  n.id = id;
  roll_up_notification(n, DeliveryOutcome::pending);
  return true;
}

void SqlTx::update_notification(const Notification& n) {
  DeliveryOutcome before = stored_outcome(n.id);
  Query q = db_.query(
      "UPDATE notifications SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
      "provider_id = ?, updated_at = ?, sent_at = ?, delivered_at = ?, claimed_by = ? "
      "WHERE tenant_id = ? AND id = ?");
  q.bind_all(to_string(n.status), n.attempts);
  q.bind_or_null(3, millis_or_null(n.next_attempt_at));
  q.bind(4, n.last_error).bind(5, n.provider_id).bind(6, to_millis(n.updated_at));
  q.bind_or_null(7, millis_or_null(n.sent_at)).bind_or_null(8, millis_or_null(n.delivered_at));
  q.bind_or_null(9, n.claimed_by).bind(10, tenant_).bind(11, n.id);
  q.run();
  roll_up_notification(n, before);
}

bool SqlTx::update_notification_if(const Notification& n, DeliveryStatus was,
                                   std::optional<Instant> was_due) {
  Query q = db_.query(
      "UPDATE notifications SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
      "provider_id = ?, updated_at = ?, sent_at = ?, delivered_at = ?, claimed_by = ? "
      "WHERE tenant_id = ? AND id = ? AND status = ? AND next_attempt_at IS NOT DISTINCT FROM ?");
  q.bind_all(to_string(n.status), n.attempts);
  q.bind_or_null(3, millis_or_null(n.next_attempt_at));
  q.bind(4, n.last_error).bind(5, n.provider_id).bind(6, to_millis(n.updated_at));
  q.bind_or_null(7, millis_or_null(n.sent_at)).bind_or_null(8, millis_or_null(n.delivered_at));
  q.bind_or_null(9, n.claimed_by).bind(10, tenant_).bind(11, n.id);
  q.bind(12, to_string(was)).bind_or_null(13, millis_or_null(was_due));
  q.run();
  if (db_.changes() == 0) return false;
  roll_up_notification(n, delivery_outcome(was, was_due.has_value()));
  return true;
}

void SqlTx::add_notification_attempt(std::int64_t notification_id, const NotificationAttempt& a) {
  db_.query(
         "INSERT INTO notification_attempts (tenant_id, notification_id, id, n, started_at, "
         "finished_at, outcome, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, notification_id, next_id("notification_attempts"), a.n,
                to_millis(a.started_at), to_millis(a.finished_at), a.outcome, a.response)
      .run();
}

int SqlTx::release_interrupted(const std::string& node, Instant now) {
  db_.query(
         "UPDATE notifications SET next_attempt_at = ?, updated_at = ? WHERE tenant_id = ? "
         "AND next_attempt_at IS NOT NULL AND status = 'sending' "
         "AND (claimed_by = ? OR claimed_by IS NULL)")
      .bind_all(to_millis(now), to_millis(now), tenant_, node)
      .run();
  return db_.changes();
}

}  // namespace depot::sql
