// Channel accounts, the notification log and resends, provider delivery reports, templates and
// their preview, and the sandbox inbox.
#include <boost/asio/awaitable.hpp>

#include <charconv>

#include "http/await.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/json_output_notifications.h"
#include "http/problem.h"
#include "http/routes.h"
#include "http/sms_reports.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

Result<ChannelKind> channel_param(const Request& request) {
  const std::string& name = request.params.at("channel");
  std::optional<ChannelKind> channel = parse_channel_kind(name);
  if (!channel) return error(ErrorCode::not_found, "there is no channel called " + name);
  if (*channel == ChannelKind::platform) {
    return error(ErrorCode::not_found,
                 "the platform channel has no account of its own: write-backs go to each "
                 "connection's callback_url (PATCH /api/v1/integrations/{id})");
  }
  return *channel;
}

// A channel's account fields as text, each read by its kind.
ChannelAccountInput read_account(ChannelKind channel, const json::object& body,
                                 std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  ChannelAccountInput input;
  for (const auto& [key, value] : body) {
    bool known = key == "templates" || key == "sandbox";
    for (const ChannelField& field : channel_fields(channel)) known = known || field.name == key;
    if (!known)
      f.fail(key, "is not a field of the " + std::string(to_string(channel)) + " channel");
  }
  for (const ChannelField& field : channel_fields(channel)) {
    if (!f.has(field.name)) continue;
    if (field.kind == FieldKind::port) {
      if (auto port = f.integer(field.name))
        input.fields[std::string(field.name)] = std::to_string(*port);
    } else if (field.kind == FieldKind::boolean) {
      if (auto flag = f.boolean(field.name)) {
        input.fields[std::string(field.name)] = *flag ? "true" : "false";
      }
    } else if (auto text = f.text(field.name, false, 2048)) {
      input.fields[std::string(field.name)] = *text;
    }
  }
  input.sandbox = f.boolean("sandbox").value_or(false);
  if (const json::object* templates = f.object("templates")) {
    Fields codes(*templates, "templates", errors);
    std::map<std::string, std::string> map;
    for (const auto& [event, code] : *templates) {
      if (auto text = codes.text(event, true, 128)) map[event] = *text;
    }
    input.templates = std::move(map);
  }
  return input;
}

Result<NotificationQuery> notification_query(const Request& req) {
  Result<OrderIdPage> paged = order_id_page(req);
  if (!paged.ok()) return paged.error();
  NotificationQuery query;
  query.order_id = paged->order_id;
  query.before_id = paged->before_id;
  query.limit = paged->limit;
  query.phone = query_text(req, "phone");
  if (std::string status = query_text(req, "status"); !status.empty()) {
    query.status = parse_delivery_status(status);
    if (!query.status) {
      return invalid_field("status", "must be queued, sending, sent, delivered, failed or dead");
    }
  }
  if (std::string channel = query_text(req, "channel"); !channel.empty()) {
    query.channel = parse_channel_kind(channel);
    if (!query.channel)
      return invalid_field("channel", "must be sms, wechat, push, email, webhook or platform");
  }
  return query;
}

struct TemplateKey {
  EventType event;
  ChannelKind channel;
  std::string locale;
};

Result<TemplateKey> template_key(const Request& req) {
  std::optional<EventType> event = parse_event_type(req.params.at("event"));
  if (!event) {
    return error(ErrorCode::not_found, "there is no event called " + req.params.at("event"));
  }
  Result<ChannelKind> channel = channel_param(req);
  if (!channel.ok()) return channel.error();
  return TemplateKey{*event, *channel, req.params.at("locale")};
}

}  // namespace

void add_notification_routes(Router& router, ChannelAccounts& accounts,
                             NotificationService& notifications) {
  router.add(Method::get, "/api/v1/channels", Permission::manage,
             [&accounts](Request& req) -> asio::awaitable<Response> {
               Result<std::vector<ChannelAccountView>> found = accounts.list(req.actor);
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const ChannelAccountView& view : *found) items.push_back(to_json(view));
               co_return json_response(200, json::object{{"items", std::move(items)}});
             });

  router.add(Method::put, "/api/v1/channels/{channel}", Permission::manage,
             [&accounts](Request& req) -> asio::awaitable<Response> {
               Result<ChannelKind> channel = channel_param(req);
               if (!channel.ok()) co_return problem(channel.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               ChannelAccountInput input = read_account(*channel, *body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               auto saved =
                   co_await await_result<std::pair<ChannelAccountView, bool>>([&](auto done) {
                     accounts.put(req.actor, *channel, std::move(input), std::move(done));
                   });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(saved->second ? 201 : 200, to_json(saved->first));
             });

  router.add(Method::del, "/api/v1/channels/{channel}", Permission::manage,
             [&accounts](Request& req) -> asio::awaitable<Response> {
               Result<ChannelKind> channel = channel_param(req);
               if (!channel.ok()) co_return problem(channel.error());
               Result<bool> removed = co_await await_result<bool>(
                   [&](auto done) { accounts.remove(req.actor, *channel, std::move(done)); });
               if (!removed.ok()) co_return problem(removed.error());
               co_return no_content();
             });

  // Where Aliyun posts SMS delivery reports: no API key (the provider has none); the path's
  // token, shown once the SMS channel is set up, is the credential.
  router.add(
      Method::post, "/api/v1/hooks/sms/{tenant}/{token}",
      [&notifications](Request& req) -> asio::awaitable<Response> {
        const std::string& tenant_text = req.params.at("tenant");
        TenantId tenant = 0;
        auto [end, ec] =
            std::from_chars(tenant_text.data(), tenant_text.data() + tenant_text.size(), tenant);
        if (ec != std::errc() || end != tenant_text.data() + tenant_text.size() || tenant <= 0) {
          co_return problem(error(ErrorCode::not_found, "no such report address"));
        }
        Result<std::vector<SmsReport>> reports = parse_sms_reports(req.body);
        if (!reports.ok()) co_return problem(reports.error());
        std::vector<DeliveryReport> receipts;
        for (const SmsReport& r : *reports) {
          receipts.push_back({r.out_id, r.success, r.err_code, r.err_msg});
        }
        Result<int> stored = co_await await_result<int>([&](auto done) {
          notifications.record_reports(tenant, req.params.at("token"), std::move(receipts),
                                       std::move(done));
        });
        if (!stored.ok()) co_return problem(stored.error());
        co_return Response{200, "application/json", std::string(kSmsReportAnswer), {}};
      },
      Access::public_);

  router.add(Method::get, "/api/v1/notifications",
             [&notifications](Request& req) -> asio::awaitable<Response> {
               Result<NotificationQuery> query = notification_query(req);
               if (!query.ok()) co_return problem(query.error());
               Result<std::vector<Notification>> found = notifications.list(req.actor, *query);
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const Notification& n : *found) items.push_back(to_json(n));
               co_return json_response(200,
                                       page(std::move(items), next_cursor(*found, query->limit)));
             });

  router.add(Method::get, "/api/v1/notifications/{id}",
             [&notifications](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "notification");
               if (!id.ok()) co_return problem(id.error());
               Result<NotificationDetail> found = notifications.find(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(*found));
             });

  router.add(Method::post, "/api/v1/notifications/{id}/resend", Permission::change_orders,
             [&notifications](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "notification");
               if (!id.ok()) co_return problem(id.error());
               Result<Notification> created = co_await await_result<Notification>(
                   [&](auto done) { notifications.resend(req.actor, *id, std::move(done)); });
               if (!created.ok()) co_return problem(created.error());
               co_return json_response(201, to_json(*created))
                   .with_header("Location", "/api/v1/notifications/" + std::to_string(created->id));
             });

  router.add(Method::get, "/api/v1/templates",
             [&notifications](Request& req) -> asio::awaitable<Response> {
               Result<std::vector<StoredTemplate>> found = notifications.templates(req.actor);
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const StoredTemplate& t : *found) items.push_back(to_json(t));
               json::array variables;
               for (const TemplateVariable& v : template_variables()) {
                 variables.push_back(json::object{{"name", v.name}, {"about", v.about}});
               }
               co_return json_response(200, json::object{{"items", std::move(items)},
                                                         {"variables", std::move(variables)}});
             });

  router.add(Method::get, "/api/v1/templates/{event}/{channel}/{locale}",
             [&notifications](Request& req) -> asio::awaitable<Response> {
               Result<TemplateKey> key = template_key(req);
               if (!key.ok()) co_return problem(key.error());
               auto found = notifications.effective_template(req.actor, key->event, key->channel,
                                                             key->locale);
               if (!found.ok()) co_return problem(found.error());
               json::object out = to_json(found->first);
               out["template"] = found->second;
               if (found->second == "default") out["updated_at"] = nullptr;
               co_return json_response(200, out);
             });

  router.add(Method::put, "/api/v1/templates/{event}/{channel}/{locale}", Permission::manage,
             [&notifications](Request& req) -> asio::awaitable<Response> {
               Result<TemplateKey> key = template_key(req);
               if (!key.ok()) co_return problem(key.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"subject", "body"});
               StoredTemplate stored;
               stored.event = key->event;
               stored.channel = key->channel;
               stored.locale = key->locale;
               stored.subject = f.text("subject", false, 4000).value_or("");
               stored.body = f.text("body", true, 16000).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<bool> created = co_await await_result<bool>([&](auto done) {
                 notifications.save_template(req.actor, stored, std::move(done));
               });
               if (!created.ok()) co_return problem(created.error());
               auto saved = notifications.effective_template(req.actor, key->event, key->channel,
                                                             key->locale);
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(*created ? 201 : 200, to_json(saved->first));
             });

  router.add(Method::del, "/api/v1/templates/{event}/{channel}/{locale}", Permission::manage,
             [&notifications](Request& req) -> asio::awaitable<Response> {
               Result<TemplateKey> key = template_key(req);
               if (!key.ok()) co_return problem(key.error());
               Result<bool> removed = co_await await_result<bool>([&](auto done) {
                 notifications.delete_template(req.actor, key->event, key->channel, key->locale,
                                               std::move(done));
               });
               if (!removed.ok()) co_return problem(removed.error());
               co_return no_content();
             });

  router.add(Method::post, "/api/v1/templates/preview",
             [&notifications](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"order_id", "event", "channel", "locale", "subject", "body"});
               PreviewRequest request;
               request.order_id = f.integer("order_id", true).value_or(0);
               std::string event = f.text("event", true, 64).value_or("");
               std::string channel = f.text("channel", true, 16).value_or("");
               request.locale = f.text("locale", false, 16).value_or("");
               std::optional<std::string> subject = f.text("subject", false, 4000);
               std::optional<std::string> text = f.text("body", false, 16000);
               if (auto type = parse_event_type(event)) {
                 request.event = *type;
               } else if (!event.empty()) {
                 errors.push_back({"event", "is not an event depot emits"});
               }
               if (auto kind = parse_channel_kind(channel)) {
                 request.channel = *kind;
               } else if (!channel.empty()) {
                 errors.push_back({"channel", "must be sms, wechat, push or email"});
               }
               if (text) request.draft = MessageTemplate{subject.value_or(""), *text};
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<TemplatePreview> preview = notifications.preview(req.actor, request);
               if (!preview.ok()) co_return problem(preview.error());
               co_return json_response(200, to_json(*preview));
             });

  router.add(Method::get, "/api/v1/sandbox/messages",
             [&notifications](Request& req) -> asio::awaitable<Response> {
               Result<OrderIdPage> paged = order_id_page(req);
               if (!paged.ok()) co_return problem(paged.error());
               Result<std::vector<SandboxMessage>> found = notifications.sandbox_messages(
                   req.actor, paged->order_id, paged->before_id, paged->limit);
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const SandboxMessage& m : *found) items.push_back(to_json(m));
               co_return json_response(200,
                                       page(std::move(items), next_cursor(*found, paged->limit)));
             });
}

}  // namespace depot::http
