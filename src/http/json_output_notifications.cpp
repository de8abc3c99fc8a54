#include "http/json_output_notifications.h"

#include "http/json_input.h"
#include "http/json_output.h"

namespace depot::http {

namespace json = boost::json;

namespace {

json::object text_map(const std::map<std::string, std::string>& map) {
  json::object object;
  for (const auto& [key, value] : map) object[key] = value;
  return object;
}

}  // namespace

json::object to_json(const Notification& n) {
  json::object out{
      {"id", n.id},
      {"event", to_string(n.event)},
      {"event_id", n.event_id},
      {"order_id", id_or_null(n.order_id)},
      {"channel", to_string(n.channel)},
      {"recipient", mask_recipient(n.channel, n.recipient)},
      {"audience", to_string(n.audience)},
      {"locale", n.locale},
      {"template", n.template_source},
      {"status", to_string(n.status)},
      {"attempts", n.attempts},
      {"key", n.key},
      {"provider_id", n.provider_id.empty() ? json::value(nullptr) : json::value(n.provider_id)},
      {"next_attempt_at", n.status == DeliveryStatus::sending ? json::value(nullptr)
                                                              : instant_or_null(n.next_attempt_at)},
      {"resend_of", id_or_null(n.resend_of)},
      {"created_at", format_instant(n.created_at)},
      {"updated_at", format_instant(n.updated_at)},
      {"sent_at", instant_or_null(n.sent_at)},
      {"delivered_at", instant_or_null(n.delivered_at)}};
  if (!n.last_error.empty()) out["last_error"] = n.last_error;
  json::array fallbacks;
  for (ChannelKind channel : n.fallbacks) fallbacks.emplace_back(to_string(channel));
  out["fallbacks"] = std::move(fallbacks);
  return out;
}

json::object to_json(const NotificationDetail& detail) {
  json::object out = to_json(detail.notification);
  const OutgoingMessage& m = detail.notification.message;
  json::object message{{"subject", m.subject}, {"text", m.text}};
  if (!m.html.empty()) message["html"] = m.html;
  if (!m.link.empty()) message["link"] = m.link;
  if (!m.payload.empty()) message["payload"] = m.payload;
  out["message"] = std::move(message);
  json::array attempts;
  for (const NotificationAttempt& a : detail.attempts) {
    attempts.push_back(
        json::object{{"n", a.n},
                     {"started_at", format_instant(a.started_at)},
                     {"finished_at", format_instant(a.finished_at)},
                     {"duration_ms", to_millis(a.finished_at) - to_millis(a.started_at)},
                     {"outcome", a.outcome},
                     {"response", a.response}});
  }
  out["attempt_log"] = std::move(attempts);
  return out;
}

json::object to_json(const ChannelAccountView& view) {
  const ChannelAccount& a = view.account;
  json::object settings = text_map(a.settings);
  json::array secrets;
  for (const std::string& name : view.secrets_set) secrets.emplace_back(name);
  json::object out{{"channel", to_string(a.kind)},
                   {"url", a.url},
                   {"settings", std::move(settings)},
                   {"secrets_set", std::move(secrets)},
                   {"templates", text_map(a.templates)},
                   {"sandbox", a.sandbox},
                   {"disabled", a.disabled}};
  if (!view.report_path.empty()) out["report_path"] = view.report_path;
  return out;
}

json::object to_json(const StoredTemplate& t) {
  return {{"event", to_string(t.event)},
          {"channel", to_string(t.channel)},
          {"locale", t.locale},
          {"subject", t.subject},
          {"body", t.body},
          {"updated_at", format_instant(t.updated_at)}};
}

json::object to_json(const Ticket& t) {
  json::object out{
      {"id", t.id},
      {"kind", t.kind},
      {"status", to_string(t.status)},
      {"order_id", t.order_id},
      {"subject", t.subject},
      {"assignee", t.assignee.empty() ? json::value(nullptr) : json::value(t.assignee)},
      {"event_id", id_or_null(t.event_id)},
      {"notification_id", id_or_null(t.notification_id)},
      {"created_by", t.created_by},
      {"created_at", format_instant(t.created_at)},
      {"updated_at", format_instant(t.updated_at)}};
  json::array comments;
  for (const TicketComment& c : t.comments) {
    comments.push_back(json::object{
        {"id", c.id}, {"author", c.author}, {"text", c.text}, {"at", format_instant(c.at)}});
  }
  out["comments"] = std::move(comments);
  return out;
}

json::object to_json(const SandboxMessage& m) {
  return {{"id", m.id},
          {"notification_id", m.notification_id},
          {"order_id", id_or_null(m.order_id)},
          {"channel", to_string(m.channel)},
          {"recipient", mask_recipient(m.channel, m.recipient)},
          {"subject", m.subject},
          {"text", m.body},
          {"html", m.html},
          {"created_at", format_instant(m.created_at)}};
}

json::object to_json(const TemplatePreview& p) {
  return {{"template", p.template_source},
          {"subject", p.rendered.subject},
          {"text", p.rendered.text},
          {"html", p.rendered.html},
          {"values", text_map(p.values)}};
}

std::string webhook_payload(const EventRecord& record) {
  json::object body{{"type", to_string(record.event.type)},
                    {"timestamp", format_instant(record.at)},
                    {"data", to_json(record)}};
  return json::serialize(body);
}

}  // namespace depot::http
