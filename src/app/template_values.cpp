// template_values(): what each template variable holds for one event, in one locale.

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <vector>

#include "app/templates.h"
#include "domain/carriers.h"
#include "domain/text.h"
#include "domain/tracking.h"

namespace depot {

namespace {

using Values = std::map<std::string, std::string>;

// One phrase in depot's two locales.
struct Words {
  std::string_view zh;
  std::string_view en;
  std::string in(bool english) const { return std::string(english ? en : zh); }
};

const EventValue* data_of(const DomainEvent& event, std::string_view name) {
  for (const auto& [key, value] : event.data) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string text_of(const DomainEvent& event, std::string_view name) {
  const EventValue* value = data_of(event, name);
  if (value == nullptr) return {};
  if (const auto* text = std::get_if<std::string>(value)) return *text;
  if (const auto* number = std::get_if<std::int64_t>(value)) return std::to_string(*number);
  return std::get<bool>(*value) ? "true" : "false";
}

std::optional<std::int64_t> number_of(const DomainEvent& event, std::string_view name) {
  const EventValue* value = data_of(event, name);
  const auto* number = value == nullptr ? nullptr : std::get_if<std::int64_t>(value);
  return number == nullptr ? std::nullopt : std::optional<std::int64_t>(*number);
}

bool flag_of(const DomainEvent& event, std::string_view name) {
  const EventValue* value = data_of(event, name);
  const auto* flag = value == nullptr ? nullptr : std::get_if<bool>(value);
  return flag != nullptr && *flag;
}

// The trimmed, non-empty parts of a list the event catalog wrote with `separator`.
std::vector<std::string_view> parts_of(std::string_view list, char separator) {
  std::vector<std::string_view> parts;
  while (!list.empty()) {
    std::size_t end = list.find(separator);
    std::string_view part = trimmed(list.substr(0, end));
    if (!part.empty()) parts.push_back(part);
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return parts;
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string text;
  for (const std::string& part : parts) {
    if (!text.empty()) text += separator;
    text += part;
  }
  return text;
}

std::string list_separator(bool english) { return english ? ", " : "、"; }

std::string money(std::int64_t minor, std::string_view currency) {
  std::uint64_t magnitude =
      minor < 0 ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  char amount[32];
  std::snprintf(amount, sizeof amount, "%llu.%02llu",
                static_cast<unsigned long long>(magnitude / 100),
                static_cast<unsigned long long>(magnitude % 100));
  std::string sign = minor < 0 ? "-" : "";
  if (currency == "CNY") return sign + "¥" + amount;
  if (currency.empty()) return sign + amount;
  return sign + amount + " " + std::string(currency);
}

// Customers and merchants are in mainland China: dates are shown in China Standard Time (UTC+8,
// no daylight saving).
constexpr std::chrono::hours kChinaOffset{8};

std::string china_date(Instant at, bool english) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(at + kChinaOffset)};
  unsigned month = static_cast<unsigned>(date.month());
  std::string day = std::to_string(static_cast<unsigned>(date.day()));
  if (english) return day + " " + std::string(kMonths[month - 1]);
  return std::to_string(month) + "月" + day + "日";
}

std::string china_date_time(Instant at, bool english) {
  auto local = at + kChinaOffset;
  std::chrono::hh_mm_ss clock{std::chrono::floor<std::chrono::minutes>(
      local - std::chrono::floor<std::chrono::days>(local))};
  char time[8];
  std::snprintf(time, sizeof time, "%02d:%02d", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()));
  return china_date(at, english) + " " + time;
}

Words status_words(OrderStatus status) {
  switch (status) {
    case OrderStatus::pending_payment:
      return {"待付款", "awaiting payment"};
    case OrderStatus::awaiting_shipment:
      return {"待发货", "awaiting shipment"};
    case OrderStatus::partially_shipped:
      return {"部分发货", "partially shipped"};
    case OrderStatus::shipped:
      return {"已发货", "shipped"};
    case OrderStatus::delivered:
      return {"已签收", "delivered"};
    case OrderStatus::completed:
      return {"已完成", "completed"};
    case OrderStatus::on_hold:
      return {"暂缓发货", "on hold"};
    case OrderStatus::cancelled:
      return {"已取消", "cancelled"};
  }
  return {};
}

std::string status_text(std::string_view name, bool english) {
  std::optional<OrderStatus> status = parse_order_status(name);
  return status ? status_words(*status).in(english) : std::string(name);
}

// What a message about each event is called: "the 发货 notice", "the shipping confirmation".
Words event_words(EventType type) {
  switch (type) {
    case EventType::order_created:
      return {"下单", "order confirmation"};
    case EventType::order_paid:
      return {"付款", "payment confirmation"};
    case EventType::order_edited:
      return {"订单修改", "order update"};
    case EventType::order_status_changed:
      return {"状态更新", "status update"};
    case EventType::order_cancelled:
      return {"订单取消", "cancellation"};
    case EventType::order_held:
      return {"暂缓发货", "on-hold notice"};
    case EventType::order_released:
      return {"恢复发货", "release notice"};
    case EventType::shipment_created:
      return {"发货", "shipping confirmation"};
    case EventType::shipment_due_soon:
      return {"即将超时发货", "due-soon reminder"};
    case EventType::shipment_overdue:
      return {"发货超时", "overdue alert"};
    case EventType::shipment_escalated:
      return {"发货超时升级", "escalation"};
    case EventType::product_created:
      return {"新商品", "new product"};
    case EventType::stock_received:
      return {"入库", "stock received"};
    case EventType::stock_adjusted:
      return {"库存调整", "stock adjusted"};
    case EventType::stock_transferred:
      return {"库存调拨", "stock transfer"};
    case EventType::stock_low:
      return {"库存不足", "low stock"};
    case EventType::stock_replenished:
      return {"库存恢复", "stock replenished"};
    case EventType::notification_dead:
      return {"通知失败", "failed notification"};
    case EventType::ticket_opened:
      return {"新工单", "ticket opened"};
    case EventType::order_delivered:
      return {"订单签收", "delivery confirmation"};
    case EventType::tracking_out_for_delivery:
      return {"派送提醒", "out-for-delivery notice"};
    case EventType::tracking_delivered:
      return {"签收通知", "delivery notice"};
    case EventType::tracking_exception:
      return {"物流异常", "delivery problem notice"};
    case EventType::tracking_stalled:
      return {"物流延迟", "tracking delay notice"};
    case EventType::return_requested:
      return {"退换货申请", "return request"};
    case EventType::return_approved:
      return {"退换货审核通过", "return approval"};
    case EventType::return_rejected:
      return {"退换货申请未通过", "return decision"};
    case EventType::return_received:
      return {"退货签收", "return receipt"};
    case EventType::refund_created:
      return {"退款申请", "refund notice"};
    case EventType::refund_completed:
      return {"退款到账", "refund confirmation"};
  }
  return {};
}

Words channel_words(ChannelKind channel) {
  switch (channel) {
    case ChannelKind::email:
      return {"邮件", "email"};
    case ChannelKind::sms:
      return {"短信", "SMS"};
    case ChannelKind::wechat:
      return {"微信", "WeChat"};
    case ChannelKind::push:
      return {"App推送", "push"};
    case ChannelKind::webhook:
      return {"Webhook", "webhook"};
    case ChannelKind::platform:
      return {"平台回传", "platform write-back"};
  }
  return {};
}

std::string channels_text(std::string_view list, bool english) {
  std::vector<std::string> names;
  for (std::string_view name : parts_of(list, ',')) {
    std::optional<ChannelKind> channel = parse_channel_kind(name);
    names.push_back(channel ? channel_words(*channel).in(english) : std::string(name));
  }
  return joined(names, list_separator(english));
}

// order.edited names the parts of the order that changed as the API names them.
std::string changed_text(std::string_view list, bool english) {
  static constexpr std::array<std::pair<std::string_view, Words>, 4> kParts = {{
      {"lines", {"商品", "items"}},
      {"shipping_address", {"收货地址", "shipping address"}},
      {"customer", {"联系人信息", "contact details"}},
      {"notes", {"备注", "notes"}},
  }};
  std::vector<std::string> names;
  for (std::string_view part : parts_of(list, ',')) {
    const auto* known = std::find_if(kParts.begin(), kParts.end(),
                                     [part](const auto& entry) { return entry.first == part; });
    names.push_back(known != kParts.end() ? known->second.in(english) : std::string(part));
  }
  return joined(names, list_separator(english));
}

// Payment methods are free text; the usual mainland ones are named for the customer.
std::string payment_method_text(std::string_view method, bool english) {
  static constexpr std::array<std::pair<std::string_view, Words>, 8> kMethods = {{
      {"alipay", {"支付宝", "Alipay"}},
      {"wechat", {"微信支付", "WeChat Pay"}},
      {"wechat_pay", {"微信支付", "WeChat Pay"}},
      {"wechatpay", {"微信支付", "WeChat Pay"}},
      {"unionpay", {"银联", "UnionPay"}},
      {"bank_transfer", {"银行转账", "bank transfer"}},
      {"card", {"银行卡", "card"}},
      {"cash", {"现金", "cash"}},
  }};
  std::string key = ascii_lower(trimmed(method));
  for (const auto& [name, words] : kMethods) {
    if (name == key) return words.in(english);
  }
  return std::string(trimmed(method));
}

// Hold reasons are written for staff ("the district is in another city") and may quote a
// merchant's rule; the customer is told only what kind of check stopped the parcel.
Words hold_words(std::string_view code) {
  if (code.starts_with("address.")) {
    return {"收货地址需要核实", "the shipping address needs checking"};
  }
  if (code.starts_with("customer.phone")) {
    return {"联系电话需要核实", "the contact phone number needs checking"};
  }
  if (code.starts_with("payment.")) return {"订单尚未付清", "the order is not paid in full"};
  if (code.starts_with("stock.")) return {"部分商品正在调货", "some items are being restocked"};
  return {"订单需要人工审核", "the order needs a manual review"};
}

std::string hold_text(const std::vector<std::string_view>& codes, bool english) {
  std::vector<std::string> phrases;
  for (std::string_view code : codes) {
    std::string phrase = hold_words(code).in(english);
    if (std::find(phrases.begin(), phrases.end(), phrase) == phrases.end()) {
      phrases.push_back(std::move(phrase));
    }
  }
  return joined(phrases, english ? "; " : "，");
}

struct Units {
  std::string_view sku;
  std::int64_t quantity = 0;
};

std::string items_text(const std::vector<Units>& lines, bool english) {
  constexpr std::size_t kShown = 3;  // enough to recognise an order, short enough for an SMS
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < lines.size() && i < kShown; ++i) {
    shown.push_back(std::string(lines[i].sku) + " ×" + std::to_string(lines[i].quantity));
  }
  std::string text = joined(shown, list_separator(english));
  if (lines.size() > kShown) {
    text += english ? ", and " + std::to_string(lines.size() - kShown) + " more"
                    : "等" + std::to_string(lines.size()) + "种商品";
  }
  return text;
}

// shipment.created writes its lines as "SKU*2,SKU*1".
std::vector<Units> units_of(std::string_view lines) {
  std::vector<Units> units;
  for (std::string_view line : parts_of(lines, ',')) {
    std::size_t star = line.rfind('*');
    if (star == std::string_view::npos) continue;
    Units unit{line.substr(0, star)};
    std::string_view count = line.substr(star + 1);
    if (std::from_chars(count.data(), count.data() + count.size(), unit.quantity).ec ==
        std::errc{}) {
      units.push_back(unit);
    }
  }
  return units;
}

std::string address_text(const Address& address) {
  std::string text = address.province;
  if (address.city != address.province) text += address.city;  // 北京市北京市 reads as 北京市
  text += address.district;
  if (!text.empty() && !address.detail.empty()) text += " ";
  return text + address.detail;
}

void add_order_values(Values& values, const DomainEvent& event, const Order& order, bool english) {
  std::string order_no = text_of(event, "order_no");
  values.at("order_no") = order_no.empty() ? order.order_no : order_no;
  values.at("customer_name") = order.customer.name;
  bool has_order = order.id != 0 || !order.order_no.empty();
  if (!has_order) return;

  std::string status =
      text_of(event, event.type == EventType::order_status_changed ? "to" : "order_status");
  values.at("order_status") =
      status.empty() ? status_words(order.status).in(english) : status_text(status, english);
  values.at("total") = money(order.total, order.currency);
  std::vector<Units> lines;
  for (const OrderLine& line : order.lines) lines.push_back({line.sku, line.quantity});
  values.at("items") = items_text(lines, english);
  values.at("address") = address_text(order.shipping_address);

  std::int64_t paid = number_of(event, "paid_amount").value_or(order.paid_amount);
  bool cancelled =
      order.status == OrderStatus::cancelled || event.type == EventType::order_cancelled;
  if (order.total > paid && !cancelled) {
    values.at("balance_due") = money(order.total - paid, order.currency);
  }
  // A refund's events name the refund's own amount; other events the refund still owed.
  bool refund_event =
      event.type == EventType::refund_created || event.type == EventType::refund_completed;
  std::int64_t refund =
      number_of(event, refund_event ? "amount" : "refund_due").value_or(order.refund_due);
  if (refund > 0) values.at("refund_amount") = money(refund, order.currency);
  std::optional<std::int64_t> amount = number_of(event, "amount");
  if (amount && !refund_event) values.at("payment_amount") = money(*amount, order.currency);
}

void add_event_values(Values& values, const DomainEvent& event, const Order& order, bool english) {
  if (std::string from = text_of(event, "from");
      !from.empty() && event.type == EventType::order_status_changed) {
    values.at("previous_status") = status_text(from, english);
  }
  values.at("payment_method") = payment_method_text(text_of(event, "method"), english);
  // An automatic cancellation's reason is written for the log, not the customer.
  values.at("reason") = event.type == EventType::order_cancelled && flag_of(event, "automatic")
                            ? Words{"超时未付款", "not paid in time"}.in(english)
                            : text_of(event, "reason");
  values.at("changed") = changed_text(text_of(event, "changed"), english);

  std::string codes, details;
  if (event.type == EventType::order_held) {
    codes = text_of(event, "codes");
    details = text_of(event, "messages");
  } else {
    for (const HoldReason& reason : order.hold_reasons) {
      codes += (codes.empty() ? "" : ",") + reason.code;
      details += (details.empty() ? "" : "; ") + reason.message;
    }
  }
  std::vector<std::string_view> hold_codes = parts_of(codes, ',');
  // A hold without codes still has a reason the customer can be told.
  if (hold_codes.empty() && !details.empty()) hold_codes.push_back("");
  values.at("hold_reason") = hold_text(hold_codes, english);
  values.at("hold_details") = details;
}

void add_shipping_values(Values& values, const DomainEvent& event, const Order& order,
                         const std::optional<Shipment>& shipment, bool english,
                         std::string_view tracking_link) {
  std::string code = shipment ? shipment->carrier : text_of(event, "carrier");
  if (!trimmed(code).empty()) {
    const Carrier* carrier = find_carrier(code);
    values.at("carrier_code") = carrier ? std::string(carrier->code) : code;
    values.at("carrier_name") =
        carrier ? std::string(english ? carrier->name_en : carrier->name_zh) : code;
  }
  values.at("tracking_no") = shipment ? shipment->tracking_no : text_of(event, "tracking_no");
  // Without the shipment, the parcel's lines are read from the event ("SKU*2,SKU*1"); `listed`
  // holds the text the units point into.
  std::string listed = shipment ? std::string() : text_of(event, "lines");
  std::vector<Units> parcel = units_of(listed);
  if (shipment) {
    for (const ShipmentLine& line : shipment->lines) parcel.push_back({line.sku, line.quantity});
  }
  values.at("parcel_items") = items_text(parcel, english);

  if (std::optional<std::int64_t> eta = number_of(event, "eta")) {
    values.at("eta") = china_date(from_millis(*eta), english);
  } else {
    values.at("eta") = text_of(event, "eta");
  }
  std::optional<std::int64_t> due = number_of(event, "due_at");
  if (due && *due > 0) {
    values.at("due_at") = china_date_time(from_millis(*due), english);
  } else if (order.ship_due_at) {
    values.at("due_at") = china_date_time(*order.ship_due_at, english);
  }

  values.at("tracking_link") = std::string(tracking_link);
}

Words parcel_status_words(std::string_view name) {
  std::optional<ParcelStatus> status = parse_parcel_status(name);
  if (!status) return {};
  switch (*status) {
    case ParcelStatus::info_received:
      return {"已揽收", "picked up"};
    case ParcelStatus::in_transit:
      return {"运输中", "in transit"};
    case ParcelStatus::out_for_delivery:
      return {"派送中", "out for delivery"};
    case ParcelStatus::delivered:
      return {"已签收", "delivered"};
    case ParcelStatus::exception:
      return {"异常", "delivery problem"};
    case ParcelStatus::returned:
      return {"已退回", "returned"};
  }
  return {};
}

void add_tracking_values(Values& values, const DomainEvent& event, bool english) {
  values.at("tracking_status") = parcel_status_words(text_of(event, "status")).in(english);
  values.at("tracking_text") = text_of(event, "text");
  values.at("tracking_location") = text_of(event, "location");
  if (std::optional<std::int64_t> at = number_of(event, "at"); at && *at > 0) {
    values.at("tracking_at") = china_date_time(from_millis(*at), english);
  } else if (std::optional<std::int64_t> last = number_of(event, "last_update_at")) {
    values.at("tracking_at") = china_date_time(from_millis(*last), english);
  }
  values.at("stall_hours") = text_of(event, "stall_hours");
}

void add_stock_values(Values& values, const DomainEvent& event) {
  values.at("sku") = event.sku;
  values.at("product_name") = text_of(event, "name");
  values.at("quantity") = text_of(event, "quantity");
  if (event.type == EventType::stock_transferred) {
    values.at("from_location") = text_of(event, "from");
    values.at("to_location") = text_of(event, "to");
  }
  values.at("available") = text_of(event, "available");
  values.at("threshold") = text_of(event, "threshold");
}

void add_ticket_values(Values& values, const DomainEvent& event, bool english) {
  std::string notified = text_of(event, "notified_event");
  std::optional<EventType> notified_type = parse_event_type(notified);
  values.at("notified_event") = notified_type ? event_words(*notified_type).in(english) : notified;
  values.at("channels") = channels_text(text_of(event, "channels"), english);
  if (std::optional<std::int64_t> ticket = number_of(event, "ticket_id"); ticket && *ticket > 0) {
    values.at("ticket_id") = std::to_string(*ticket);
  }
  values.at("ticket_kind") = text_of(event, "kind");
  values.at("ticket_subject") = text_of(event, "subject");
}

}  // namespace

std::string parcel_status_text(ParcelStatus status, std::string_view locale) {
  return parcel_status_words(to_string(status)).in(template_locale(locale) == "en");
}

std::string order_status_text(OrderStatus status, std::string_view locale) {
  return status_words(status).in(template_locale(locale) == "en");
}

std::string local_date_time(Instant at, std::string_view locale) {
  return china_date_time(at, template_locale(locale) == "en");
}

std::map<std::string, std::string> template_values(const DomainEvent& event, const Order& order,
                                                   const std::optional<Shipment>& shipment,
                                                   std::string_view locale,
                                                   std::string_view tracking_link) {
  bool english = template_locale(locale) == "en";
  Values values;
  for (const TemplateVariable& variable : template_variables()) {
    values.emplace(std::string(variable.name), std::string());
  }
  // Each part fills its variables through at(): a name missing from template_variables() is a
  // bug caught by the tests, not a value silently nobody can use.
  add_order_values(values, event, order, english);
  add_event_values(values, event, order, english);
  add_shipping_values(values, event, order, shipment, english, tracking_link);
  add_tracking_values(values, event, english);
  add_stock_values(values, event);
  add_ticket_values(values, event, english);
  return values;
}

}  // namespace depot
