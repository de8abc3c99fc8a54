#include "app/templates.h"

#include <algorithm>
#include <array>
#include <kainjow/mustache.hpp>
#include <vector>

#include "app/template_html.h"
#include "domain/text.h"

namespace depot {

namespace {

namespace mustache = kainjow::mustache;
using Component = mustache::component<std::string>;
using Walk = Component::walk_control;

constexpr std::array kVariables = {
    TemplateVariable{"order_no", "the order number"},
    TemplateVariable{"customer_name", "the customer's name"},
    TemplateVariable{"order_status",
                     "the order's status in words (\"待发货\", \"awaiting shipment\"); for "
                     "order.status_changed the new status"},
    TemplateVariable{"previous_status", "order.status_changed: the status before, in words"},
    TemplateVariable{"total", "the order total as money (\"¥128.00\", \"128.00 USD\")"},
    TemplateVariable{"items",
                     "the order's lines, short (\"TSHIRT-RED ×2、MUG ×1\"; three lines at most, "
                     "then \"等5种商品\" / \"and 2 more\")"},
    TemplateVariable{"address", "the shipping address on one line"},
    TemplateVariable{"payment_amount", "order.paid: the amount of this payment, as money"},
    TemplateVariable{"payment_method",
                     "order.paid: how it was paid (支付宝, WeChat Pay, …; as recorded when depot "
                     "does not know the method)"},
    TemplateVariable{"balance_due", "what is still unpaid, as money; empty when paid in full"},
    TemplateVariable{"refund_amount",
                     "the refund due (refund.*: this refund), as money; empty when none"},
    TemplateVariable{"reason",
                     "why: the cancellation reason (\"超时未付款\" / \"not paid in time\" for an "
                     "automatic cancellation), the release reason, the status change's reason"},
    TemplateVariable{"changed",
                     "order.edited: what changed, in words (\"商品、收货地址\", \"items, "
                     "shipping address\")"},
    TemplateVariable{
        "hold_reason",
        "why the order is on hold, in words fit for the customer (\"收货地址需要核实\", "
        "\"the shipping address needs checking\")"},
    TemplateVariable{"hold_details", "the verification messages of the hold, verbatim, for staff"},
    TemplateVariable{"carrier_code", "the carrier's code (\"SF\")"},
    TemplateVariable{"carrier_name",
                     "the carrier's name in the locale (\"顺丰速运\", \"SF Express\")"},
    TemplateVariable{"tracking_no", "the parcel's tracking number"},
    TemplateVariable{"parcel_items", "shipment.created: what this parcel holds, like items"},
    TemplateVariable{"eta",
                     "the expected delivery date in China time (\"11月25日\", \"25 Nov\"); empty "
                     "when not known"},
    TemplateVariable{"tracking_link",
                     "the order's public tracking page (a signed link; empty without the "
                     "merchant's public_url)"},
    TemplateVariable{"tracking_status", "tracking.*: the parcel's status, in words"},
    TemplateVariable{"tracking_text", "tracking.*: the carrier's latest words, verbatim"},
    TemplateVariable{"tracking_location", "tracking.*: where the latest scan was, when given"},
    TemplateVariable{"tracking_at", "tracking.*: when the latest scan was"},
    TemplateVariable{"stall_hours", "tracking.stalled: the hours without news"},
    TemplateVariable{
        "due_at",
        "shipment reminders: the promised ship time in China time (\"11月25日 18:00\", "
        "\"25 Nov 18:00\")"},
    TemplateVariable{"sku", "stock and product events: the SKU"},
    TemplateVariable{"product_name", "product.created: the product's name"},
    TemplateVariable{"quantity", "stock.received, stock.transferred: the units moved"},
    TemplateVariable{"from_location", "stock.transferred: where the stock left"},
    TemplateVariable{"to_location", "stock.transferred: where the stock went"},
    TemplateVariable{"available", "stock.low, stock.replenished: the units available"},
    TemplateVariable{"threshold", "stock.low: the low-stock threshold"},
    TemplateVariable{"notified_event",
                     "notification.dead: the message the customer did not get, in words "
                     "(\"发货\", \"shipping confirmation\")"},
    TemplateVariable{"channels",
                     "notification.dead: the channels tried, in words (\"短信、邮件\", \"SMS, "
                     "email\")"},
    TemplateVariable{"ticket_id", "notification.dead, ticket.opened: the ticket's number"},
    TemplateVariable{"ticket_kind", "ticket.opened: the kind of ticket"},
    TemplateVariable{"ticket_subject", "ticket.opened: the ticket's subject"},
};

bool is_variable(std::string_view name) {
  return std::any_of(kVariables.begin(), kVariables.end(),
                     [name](const TemplateVariable& v) { return v.name == name; });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The variable a mistyped name most likely meant, for the error message; "" when none is close.
std::string_view closest_variable(std::string_view name) {
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 2) + 1;
  for (const TemplateVariable& variable : kVariables) {
    std::size_t distance = edit_distance(name, variable.name);
    if (distance < best_distance) {
      best = variable.name;
      best_distance = distance;
    }
  }
  return best;
}

std::string unknown_variable(const std::string& name) {
  std::string message = "unknown variable {{" + name + "}}";
  if (std::string_view near = closest_variable(name); !near.empty()) {
    message += " (did you mean {{" + std::string(near) + "}}?)";
  }
  return message;
}

// What is wrong with one Mustache text, or "" when nothing is. basic_mustache keeps its parsed
// tree private, so this runs kainjow's own parser (public in its namespace) and walks the same
// tree rendering walks: sections, inverted sections and set delimiters are read exactly as the
// renderer reads them. `unknown_names` says whether a variable depot does not provide is a
// problem (rendering leaves such a variable empty).
std::string mustache_problem(const std::string& text, bool unknown_names) {
  mustache::context<std::string> no_data;
  mustache::context_internal<std::string> context{no_data};
  Component root;
  std::string error;
  mustache::parser<std::string> parse{text, context, root, error};
  if (!error.empty()) return "syntax error: " + error;
  std::string problem;
  root.walk_children([&](Component& part) {
    const mustache::mstch_tag<std::string>& tag = part.tag;
    switch (tag.type) {
      case mustache::tag_type::partial:
        problem = "partials are not supported: {{> " + tag.name + "}}";
        return Walk::stop;
      case mustache::tag_type::variable:
      case mustache::tag_type::unescaped_variable:
      case mustache::tag_type::section_begin:
      case mustache::tag_type::section_begin_inverted:
        if (unknown_names && !is_variable(tag.name)) {
          problem = unknown_variable(tag.name);
          return Walk::stop;
        }
        return Walk::walk;
      default:
        return Walk::walk;
    }
  });
  return problem;
}

std::string subject_problem(const std::string& subject) {
  if (subject.find_first_of("\r\n") != std::string::npos) return "must be one line";
  if (utf8_length(subject) > kMaxSubjectChars) {
    return "is longer than " + std::to_string(kMaxSubjectChars) + " characters";
  }
  return mustache_problem(subject, true);
}

std::string body_problem(const std::string& body) {
  if (trimmed(body).empty()) return "must not be empty";
  if (body.size() > kMaxBodyBytes) {
    return "is longer than " + std::to_string(kMaxBodyBytes) + " bytes (" +
           std::to_string(body.size()) + ")";
  }
  return mustache_problem(body, true);
}

Status field_problems(const std::string& subject_issue, const std::string& body_issue) {
  std::vector<FieldError> fields;
  if (!subject_issue.empty()) fields.push_back({"subject", subject_issue});
  if (!body_issue.empty()) fields.push_back({"body", body_issue});
  if (fields.empty()) return {};
  return invalid_fields(std::move(fields));
}

// kainjow keeps the line break after a skipped standalone section tag, so a template with an
// optional paragraph can leave runs of blank lines; a message never needs more than one. Line
// ends become "\n" whatever the template used; channels write their own.
std::string tidy(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t newlines = 0;
  for (char c : text) {
    if (c == '\r') continue;
    newlines = c == '\n' ? newlines + 1 : 0;
    if (newlines <= 2) out += c;
  }
  return std::string(trimmed(out));
}

std::string one_line(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return std::string(trimmed(text));
}

std::string render_text(const std::string& text, const mustache::data& values) {
  mustache::mustache view{text};
  // Text goes to SMS, push and plain-text mail as it is; HTML is escaped later, as a whole.
  view.set_custom_escape([](const std::string& raw) { return raw; });
  return tidy(view.render(values));
}

}  // namespace

std::string_view template_locale(std::string_view requested) {
  std::string lower = ascii_lower(trimmed(requested));
  bool english = lower == "en" || lower.starts_with("en-") || lower.starts_with("en_");
  return english ? kSupportedLocales[1] : kSupportedLocales[0];
}

std::span<const TemplateVariable> template_variables() { return kVariables; }

Status validate_template(const MessageTemplate& message) {
  return field_problems(subject_problem(message.subject), body_problem(message.body));
}

Result<RenderedMessage> render_template(const MessageTemplate& message,
                                        const std::map<std::string, std::string>& values) {
  Status renderable = field_problems(mustache_problem(message.subject, false),
                                     mustache_problem(message.body, false));
  if (!renderable.ok()) return renderable.error();
  // An empty value is false, so {{#eta}}…{{/eta}} disappears when there is no ETA.
  mustache::data data;
  for (const auto& [name, value] : values) {
    data.set(name, value.empty() ? mustache::data(false) : mustache::data(value));
  }
  RenderedMessage rendered;
  rendered.subject = one_line(render_text(message.subject, data));
  rendered.text = render_text(message.body, data);
  rendered.html = text_to_html(rendered.subject, rendered.text);
  return rendered;
}

}  // namespace depot
