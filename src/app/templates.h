#pragma once
// Notification templates (SPEC NTF-4): per merchant, event, channel and locale, in Mustache
// (kainjow-mustache). depot ships a default for every event in zh-CN and en; a merchant's own
// template replaces one default. Templates are checked when saved: a syntax error, a partial or a
// variable depot does not provide is refused, naming it.
//
// Pure functions of their arguments (no clock, no I/O); safe to call from any thread.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "domain/event.h"
#include "domain/notification.h"
#include "domain/order.h"
#include "domain/result.h"
#include "domain/shipment.h"
#include "domain/tracking.h"

namespace depot {

// The locale of kSupportedLocales (domain/notification.h) depot writes in for a requested one:
// "en" for any English tag ("en", "en-US", "EN_gb"), else "zh-CN" (depot's customers are in
// mainland China).
std::string_view template_locale(std::string_view requested);

// A template as stored: the subject (email subject, push title; unused for SMS and WeChat) and
// the body. Both are Mustache text.
struct MessageTemplate {
  std::string subject;
  std::string body;
};

inline constexpr std::size_t kMaxSubjectChars = 200;  // Unicode characters, one line
inline constexpr std::size_t kMaxBodyBytes = 4000;    // UTF-8 bytes

struct TemplateVariable {
  std::string_view name;   // "order_no"
  std::string_view about;  // what it holds, for the API document and the console
};
// Every variable a template may use, in the order the API lists them. Every one is a plain
// string: {{x}} prints it, {{#x}}…{{/x}} shows a part only when it is not empty, {{^x}}…{{/x}}
// only when it is.
std::span<const TemplateVariable> template_variables();

// Checks a template: 422 `invalid` naming "subject" and/or "body" for a Mustache syntax error
// (the parser's message), a partial ({{> name}}), a variable depot does not provide ("unknown
// variable {{order_number}} (did you mean {{order_no}}?)"), an empty body, a subject over
// kMaxSubjectChars or on more than one line, or a body over kMaxBodyBytes.
Status validate_template(const MessageTemplate& message);

// depot's own template for an event on a channel in a locale (zh-CN when the locale is not one
// depot has; see template_locale). Every event type has one for every customer channel; webhooks
// carry the event itself, so their template is empty. SMS and WeChat templates have no subject.
MessageTemplate default_template(EventType event, ChannelKind channel, std::string_view locale);

// What the variables hold for one event about one order, in `locale`: a value for every variable
// of template_variables() (empty when the event and order do not have it). `order` may be a
// default Order for events about no order (stock, products). Shipment fields come from `shipment`
// when given, else from the event's data. `tracking_link` is the order's signed public tracking
// page (NotificationComposer::tracking_link), empty when there is none.
std::map<std::string, std::string> template_values(const DomainEvent& event, const Order& order,
                                                   const std::optional<Shipment>& shipment,
                                                   std::string_view locale,
                                                   std::string_view tracking_link);

// Words customers read, in `locale` (zh-CN or en): a parcel's and an order's status, and a time
// in China time ("11月25日 18:00", "25 Nov 18:00").
std::string parcel_status_text(ParcelStatus status, std::string_view locale);
std::string order_status_text(OrderStatus status, std::string_view locale);
std::string local_date_time(Instant at, std::string_view locale);

struct RenderedMessage {
  std::string subject;  // one line
  std::string text;     // not HTML-escaped: for SMS, push, WeChat and the email's text part
  std::string html;     // the text as a small HTML document (escaped, paragraphs, links)
};
// Renders a template with the values; variables the values lack, or hold empty, render empty and
// count as false in sections. Refuses (as validate_template does, naming the field) only what
// cannot be rendered: a syntax error or a partial. Values are inserted as text, never parsed as
// Mustache.
Result<RenderedMessage> render_template(const MessageTemplate& message,
                                        const std::map<std::string, std::string>& values);

}  // namespace depot
