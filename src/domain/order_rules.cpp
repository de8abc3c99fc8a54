#include "domain/order_rules.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "domain/fingerprint.h"
#include "domain/notification.h"
#include "domain/order_state_machine.h"
#include "domain/text.h"
#include "domain/time.h"

namespace depot {

namespace {

std::string line_field(std::size_t index, const char* name) {
  return "lines[" + std::to_string(index) + "]." + name;
}

void require(std::vector<FieldError>& errors, const std::string& value, const char* field) {
  if (trimmed(value).empty()) errors.push_back({field, "is required"});
}

void limit_length(std::vector<FieldError>& errors, const std::string& value, const char* field,
                  std::size_t max_chars) {
  if (utf8_length(value) > max_chars) {
    errors.push_back({field, "must be at most " + std::to_string(max_chars) + " characters"});
  }
}

}  // namespace

std::vector<FieldError> validate_lines(const std::vector<OrderLine>& lines) {
  std::vector<FieldError> errors;
  if (lines.empty()) errors.push_back({"lines", "must hold at least one line"});
  if (lines.size() > kMaxOrderLines) {
    errors.push_back({"lines", "must hold at most " + std::to_string(kMaxOrderLines) + " lines"});
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const OrderLine& line = lines[i];
    if (!is_valid_sku(line.sku)) {
      errors.push_back({line_field(i, "sku"), "must be 1-64 letters, digits, '-', '_' or '.'"});
    }
    if (line.quantity <= 0) {
      errors.push_back({line_field(i, "quantity"), "must be greater than 0"});
    } else if (line.quantity > kMaxLineQuantity) {
      errors.push_back(
          {line_field(i, "quantity"), "must be at most " + std::to_string(kMaxLineQuantity)});
    }
    if (line.unit_price < 0) {
      errors.push_back({line_field(i, "unit_price"), "must not be negative"});
    } else if (line.unit_price > kMaxUnitPrice) {
      errors.push_back({line_field(i, "unit_price"), "is too large"});
    }
  }
  if (errors.empty()) {
    // Each line is bounded, but many large lines could still overflow the total.
    std::int64_t total = 0;
    for (const OrderLine& line : lines) {
      std::int64_t amount = 0;
      if (__builtin_mul_overflow(line.quantity, line.unit_price, &amount) ||
          __builtin_add_overflow(total, amount, &total) || total > kMaxOrderTotal) {
        errors.push_back({"lines", "the order total is too large"});
        break;
      }
    }
  }
  return errors;
}

std::vector<FieldError> validate_customer(const Customer& customer) {
  std::vector<FieldError> errors;
  require(errors, customer.name, "customer.name");
  limit_length(errors, customer.name, "customer.name", 100);
  // A phone that is missing or malformed does not refuse the order: verification holds it.
  limit_length(errors, customer.phone, "customer.phone", 32);
  if (!customer.email.empty() && !is_valid_email(customer.email)) {
    errors.push_back({"customer.email", "must be an email address"});
  }
  for (std::size_t i = 0; i < customer.preferred_channels.size(); ++i) {
    std::optional<ChannelKind> channel = parse_channel_kind(customer.preferred_channels[i]);
    if (!channel || !is_customer_channel(*channel)) {
      errors.push_back({"customer.preferred_channels[" + std::to_string(i) + "]",
                        "must be one of sms, email, push, wechat"});
    }
  }
  if (!is_supported_locale(customer.locale)) {
    errors.push_back({"customer.locale", "must be zh-CN or en"});
  }
  return errors;
}

std::vector<FieldError> validate_address(const Address& address) {
  // Only what cannot be stored is refused here; an incomplete or unknown address is recorded and
  // held by verification (SHP-1).
  std::vector<FieldError> errors;
  limit_length(errors, address.province, "shipping_address.province", 32);
  limit_length(errors, address.city, "shipping_address.city", 32);
  limit_length(errors, address.district, "shipping_address.district", 32);
  limit_length(errors, address.detail, "shipping_address.detail", 200);
  limit_length(errors, address.postcode, "shipping_address.postcode", 16);
  return errors;
}

std::vector<FieldError> validate_draft(const OrderDraft& draft) {
  std::vector<FieldError> errors = validate_lines(draft.lines);
  for (auto& e : validate_customer(draft.customer)) errors.push_back(std::move(e));
  for (auto& e : validate_address(draft.shipping_address)) errors.push_back(std::move(e));
  if (draft.external_no.empty() != draft.platform.empty()) {
    errors.push_back({draft.platform.empty() ? "platform" : "external_no",
                      "platform and external_no go together"});
  }
  limit_length(errors, draft.platform, "platform", 32);
  limit_length(errors, draft.external_no, "external_no", 64);
  limit_length(errors, draft.notes, "notes", 500);
  return errors;
}

bool is_valid_email(const std::string& email) {
  auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at != email.rfind('@')) return false;
  auto dot = email.find('.', at + 2);
  return dot != std::string::npos && dot + 1 < email.size() &&
         email.find(' ') == std::string::npos && email.size() <= 254;
}

std::optional<MailboxParts> split_mailbox(std::string_view text) {
  text = trimmed(text);
  auto open = text.find('<');
  if (open == std::string_view::npos) return MailboxParts{{}, text};
  if (!text.ends_with('>') || text.find('>') != text.size() - 1) return std::nullopt;
  std::string_view name = trimmed(text.substr(0, open));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  return MailboxParts{name, text.substr(open + 1, text.size() - open - 2)};
}

bool is_valid_mailbox(const std::string& mailbox) {
  if (mailbox.find_first_of("\r\n") != std::string::npos) return false;
  std::optional<MailboxParts> parts = split_mailbox(mailbox);
  return parts && is_valid_email(std::string(parts->address));
}

std::int64_t order_total(const std::vector<OrderLine>& lines) {
  std::int64_t total = 0;
  for (const OrderLine& line : lines) total += line.quantity * line.unit_price;
  return total;
}

std::vector<OrderLine> merge_lines(const std::vector<OrderLine>& lines) {
  std::vector<OrderLine> merged;
  for (const OrderLine& line : lines) {
    auto same = std::find_if(merged.begin(), merged.end(),
                             [&](const OrderLine& m) { return m.sku == line.sku; });
    if (same == merged.end()) {
      merged.push_back(line);
    } else {
      same->quantity += line.quantity;
    }
  }
  return merged;
}

Order open_order(std::int64_t id, const OrderDraft& draft, const std::string& default_currency,
                 const std::string& actor, Instant now, int utc_offset_minutes) {
  Order order;
  order.id = id;
  order.order_no = make_order_no(id, now, utc_offset_minutes);
  order.currency = draft.currency.empty() ? default_currency : draft.currency;
  order.lines = draft.lines;
  order.total = order_total(draft.lines);
  order.customer = draft.customer;
  order.shipping_address = draft.shipping_address;
  order.platform = draft.platform;
  order.external_no = draft.external_no;
  order.notes = draft.notes;
  order.created_at = order.updated_at = now;
  order.history.push_back(
      HistoryEntry{std::nullopt, OrderStatus::pending_payment, actor, "created", now});
  return order;
}

std::string make_order_no(std::int64_t id, Instant created_at, int utc_offset_minutes) {
  std::chrono::year_month_day date{local_today(created_at, utc_offset_minutes)};
  char text[48];
  std::snprintf(text, sizeof text, "D%04d%02u%02u%08lld", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long long>(id));
  return text;
}

Status check_editable(const Order& order, Instant now, Seconds edit_window) {
  if (!is_before_shipment(order.status)) {
    return error(ErrorCode::conflict, "an order that is " + std::string(to_string(order.status)) +
                                          " can no longer be edited");
  }
  if (now - order.created_at > edit_window) {
    return error(ErrorCode::conflict, "the edit window of " + std::to_string(edit_window.count()) +
                                          " seconds after creation has passed");
  }
  return {};
}

Status apply_payment(Order& order, std::int64_t amount, const std::string& actor, Instant now) {
  if (amount <= 0) return invalid_field("amount", "must be greater than 0");
  if (order.status != OrderStatus::pending_payment && order.status != OrderStatus::on_hold) {
    return error(ErrorCode::conflict,
                 "an order that is " + std::string(to_string(order.status)) + " takes no payment");
  }
  std::int64_t due = order.total - order.paid_amount;
  if (amount > due) {
    return invalid_field("amount", "is more than the " + std::to_string(due) + " still due");
  }
  order.paid_amount += amount;
  if (order.paid_amount == order.total && order.status == OrderStatus::pending_payment) {
    return transition(order, OrderStatus::awaiting_shipment, actor, "paid in full", now);
  }
  return {};
}

Status cancel_order(Order& order, const std::string& actor, const std::string& reason,
                    Instant now) {
  if (order.status == OrderStatus::cancelled) {
    return error(ErrorCode::conflict, "the order is already cancelled");
  }
  if (!is_before_shipment(order.status)) {
    return error(ErrorCode::conflict, "an order that is " + std::string(to_string(order.status)) +
                                          " cannot be cancelled; open an after-sales case");
  }
  Status moved = transition(order, OrderStatus::cancelled, actor, reason, now);
  if (moved.ok()) order.refund_due = order.paid_amount;
  return moved;
}

bool is_payment_overdue(const Order& order, Instant now, Seconds unpaid_timeout) {
  return order.status == OrderStatus::pending_payment && order.paid_amount == 0 &&
         now - order.created_at >= unpaid_timeout;
}

}  // namespace depot

namespace depot {

std::string draft_fingerprint(const OrderDraft& draft) {
  Fingerprint h;
  h.add(static_cast<std::int64_t>(draft.lines.size()));
  for (const OrderLine& line : draft.lines) {
    h.add(line.sku);
    h.add(line.quantity);
    h.add(line.unit_price);
  }
  const Customer& c = draft.customer;
  for (const std::string* s :
       {&draft.currency, &c.name, &c.phone, &c.email, &c.wechat_openid, &c.device_token}) {
    h.add(*s);
  }
  h.add(static_cast<std::int64_t>(c.preferred_channels.size()));
  for (const std::string& channel : c.preferred_channels) h.add(channel);
  const Address& a = draft.shipping_address;
  for (const std::string* s : {&a.province, &a.city, &a.district, &a.detail, &a.postcode,
                               &draft.platform, &draft.external_no, &draft.notes}) {
    h.add(*s);
  }
  return h.hex();
}

Status change_lines(Order& order, std::vector<OrderLine> lines, const std::string& actor,
                    Instant now) {
  std::int64_t total = order_total(lines);
  if (order.paid_amount > 0 && total > order.paid_amount) {
    return Error{
        ErrorCode::conflict,
        "a paid order cannot grow beyond the " + std::to_string(order.paid_amount) + " paid",
        {{"lines", "total " + std::to_string(total) + " exceeds what was paid"}}};
  }
  order.lines = std::move(lines);
  order.total = total;
  order.refund_due = order.paid_amount > total ? order.paid_amount - total : 0;
  if (order.status == OrderStatus::pending_payment && order.paid_amount > 0 &&
      order.paid_amount >= total) {
    return transition(order, OrderStatus::awaiting_shipment, actor, "paid in full", now);
  }
  return {};
}

}  // namespace depot
