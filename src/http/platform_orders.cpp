#include "http/platform_orders.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <variant>

#include "domain/divisions.h"
#include "domain/order_rules.h"
#include "domain/text.h"
#include "http/json_input.h"
#include "http/order_input.h"

namespace depot::http {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxText = 1000;

// The delivery's order object: the body itself, or the body's `key` when it wraps it.
const json::object& unwrapped(const json::object& body, std::string_view key) {
  const json::value* inner = body.if_contains(key);
  return inner != nullptr && inner->is_object() ? inner->get_object() : body;
}

// A platform's identifier, which it may send as a JSON number or as text.
std::optional<std::string> id_text(Fields& f, const json::object& object, std::string_view key,
                                   bool required) {
  const json::value* value = object.if_contains(key);
  if (value != nullptr && value->is_int64()) return std::to_string(value->get_int64());
  if (value != nullptr && value->is_uint64()) return std::to_string(value->get_uint64());
  return f.text(key, required, 64);
}

// An amount of money sent as decimal text ("199.00") or as a number.
std::optional<std::int64_t> money(Fields& f, const json::object& object, std::string_view key,
                                  bool required) {
  const json::value* value = object.if_contains(key);
  std::optional<std::int64_t> minor;
  if (value == nullptr || value->is_null()) {
    if (required) f.fail(key, "is required");
    return std::nullopt;
  }
  if (value->is_string()) {
    minor = parse_minor_units(std::string_view(value->get_string()));
  } else if (value->is_int64() && value->get_int64() >= 0 &&
             value->get_int64() <= INT64_MAX / 100) {
    minor = value->get_int64() * 100;
  } else if (value->is_double() && value->get_double() >= 0 && value->get_double() < 1e15) {
    double cents = value->get_double() * 100;
    if (std::fabs(cents - std::round(cents)) < 1e-6) minor = std::llround(cents);
  }
  if (!minor) f.fail(key, "must be an amount such as \"199.00\" (at most two decimals)");
  return minor;
}

std::string joined(std::initializer_list<std::string_view> parts, std::string_view separator) {
  std::string text;
  for (std::string_view part : parts) {
    part = trimmed(part);
    if (part.empty()) continue;
    if (!text.empty()) text += separator;
    text += part;
  }
  return text;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x80; });
}

// A person's name from its parts: Chinese names family name first and unspaced (张 + 三 → 张三),
// others given name first ("Steve Shipper").
std::string person_name(std::string_view first, std::string_view last) {
  first = trimmed(first);
  last = trimmed(last);
  if (!is_ascii(first) || !is_ascii(last)) return std::string(last) + std::string(first);
  return joined({first, last}, " ");
}

// A phone as platforms write it ("+86 138 0013 8000"), without the spaces.
std::string compact_phone(std::string_view phone) {
  std::string compact;
  for (char c : trimmed(phone)) {
    if (c != ' ') compact += c;
  }
  return compact;
}

// When a Chinese street address starts with its county (西湖区文三路90号), that county as the
// district and the rest as the street: platforms with one street line do not keep the district
// apart. Only a county of the city counts, never a town of a city without counties.
std::optional<std::pair<std::string, std::string>> leading_district(std::string_view province,
                                                                    std::string_view city,
                                                                    std::string_view street) {
  static constexpr std::string_view kCountyEnds[] = {"区", "县", "市", "旗"};
  street = trimmed(street);
  std::size_t at = 0;
  for (int chars = 0; chars < 12 && at < street.size(); ++chars) {
    auto end = std::find_if(std::begin(kCountyEnds), std::end(kCountyEnds),
                            [&](std::string_view e) { return street.substr(at).starts_with(e); });
    at += end != std::end(kCountyEnds) ? end->size() : utf8_prefix(street.substr(at), 1).size();
    if (end == std::end(kCountyEnds) || chars == 0) continue;
    std::string_view district = street.substr(0, at);
    auto found = match_division(province, city, district);
    const DivisionMatch* match = std::get_if<DivisionMatch>(&found);
    if (match != nullptr && match->district_code != match->city_code) {
      return std::pair{std::string(district), std::string(trimmed(street.substr(at)))};
    }
  }
  return std::nullopt;
}

// ---- generic: depot's own order input ----

Result<PlatformReading> read_generic(const json::object& body) {
  std::vector<FieldError> errors;
  json::object order_fields = body;
  order_fields.erase("payment");
  order_fields.erase("cancellation");
  PlatformReading reading;
  reading.lines_path = "lines";
  PlatformOrder& order = reading.order;
  order.draft = read_order_draft(order_fields, errors);
  Fields f(body, "", errors);
  if (const json::object* payment = f.object("payment")) {
    Fields p(*payment, "payment", errors);
    p.reject_unknown({"amount", "method", "reference", "paid_at"});
    PlatformPayment reported;
    reported.amount = p.integer("amount");
    reported.method = p.text("method", false, 32).value_or("");
    reported.transaction = p.text("reference", false, 64).value_or("");
    reported.paid_at = p.instant("paid_at").value_or(Instant{});
    order.payment = std::move(reported);
  }
  if (const json::object* cancellation = f.object("cancellation")) {
    Fields c(*cancellation, "cancellation", errors);
    c.reject_unknown({"reason"});
    order.cancellation = c.text("reason", false, 500).value_or("cancelled on the platform");
  }
  bool named = std::any_of(errors.begin(), errors.end(),
                           [](const FieldError& e) { return e.field == "external_no"; });
  if (trimmed(order.draft.external_no).empty() && !named) {
    errors.push_back({"external_no", "is required: it identifies the platform's order"});
  }
  if (order.draft.platform.empty()) order.draft.platform = "generic";
  if (!errors.empty()) add_rule_errors(errors, validate_draft(order.draft));
  if (auto failed = field_errors(std::move(errors))) return *failed;
  for (std::size_t i = 0; i < order.draft.lines.size(); ++i) reading.line_sources.push_back(i);
  return reading;
}

// ---- Shopify's order JSON ----

// Shopify's codes of China's provinces (its own, close to ISO 3166-2:CN) and their full names.
const std::map<std::string_view, std::string_view>& shopify_provinces() {
  static const std::map<std::string_view, std::string_view> provinces = {
      {"AH", "安徽省"},           {"BJ", "北京市"},         {"CQ", "重庆市"},
      {"FJ", "福建省"},           {"GS", "甘肃省"},         {"GD", "广东省"},
      {"GX", "广西壮族自治区"},   {"GZ", "贵州省"},         {"HI", "海南省"},
      {"HE", "河北省"},           {"HL", "黑龙江省"},       {"HA", "河南省"},
      {"HB", "湖北省"},           {"HN", "湖南省"},         {"JS", "江苏省"},
      {"JX", "江西省"},           {"JL", "吉林省"},         {"LN", "辽宁省"},
      {"NM", "内蒙古自治区"},     {"NX", "宁夏回族自治区"}, {"QH", "青海省"},
      {"SN", "陕西省"},           {"SD", "山东省"},         {"SH", "上海市"},
      {"SX", "山西省"},           {"SC", "四川省"},         {"TJ", "天津市"},
      {"XJ", "新疆维吾尔自治区"}, {"YZ", "西藏自治区"},     {"XZ", "西藏自治区"},
      {"YN", "云南省"},           {"ZJ", "浙江省"},
  };
  return provinces;
}

struct ShopifyAddress {
  std::string first_name, last_name, name, phone;
  Address address;
};

ShopifyAddress read_shopify_address(const json::object& object, const std::string& path,
                                    std::vector<FieldError>& errors) {
  Fields f(object, path, errors);
  ShopifyAddress read;
  read.first_name = f.text("first_name", false, 200).value_or("");
  read.last_name = f.text("last_name", false, 200).value_or("");
  read.name = f.text("name", false, 400).value_or("");
  read.phone = compact_phone(f.text("phone", false, 64).value_or(""));
  std::string country = ascii_lower(f.text("country_code", false, 8).value_or(""));
  std::string province_code = f.text("province_code", false, 16).value_or("");
  std::string address1 = f.text("address1", false, kMaxText).value_or("");
  std::string address2 = f.text("address2", false, kMaxText).value_or("");
  Address& a = read.address;
  a.province = f.text("province", false, 200).value_or("");
  a.city = f.text("city", false, 200).value_or("");
  a.postcode = f.text("zip", false, 32).value_or("");
  a.detail = joined({address1, address2}, " ");
  if (country == "cn") {
    if (province_code.starts_with("CN-")) province_code = province_code.substr(3);
    auto known = shopify_provinces().find(province_code);
    if (known != shopify_provinces().end()) a.province = std::string(known->second);
    if (auto split = leading_district(a.province, a.city, a.detail)) {
      a.district = std::move(split->first);
      a.detail = std::move(split->second);
    }
  }
  return read;
}

Result<PlatformReading> read_shopify(const json::object& body) {
  const json::object& shop_order = unwrapped(body, "order");
  std::vector<FieldError> errors;
  Fields f(shop_order, "", errors);
  PlatformReading reading;
  reading.lines_path = "line_items";
  PlatformOrder& order = reading.order;
  OrderDraft& draft = order.draft;
  draft.external_no = f.text("name", true, 64).value_or("");
  // The Admin API names the order by its numeric id, not its name: the fulfillment call needs it.
  if (std::optional<std::int64_t> id = f.integer("id")) {
    order.platform_order_id = std::to_string(*id);
  }
  draft.currency = f.text("currency", false, 8).value_or("");
  draft.notes = f.text("note", false, 2000).value_or("");

  if (const json::array* items = f.array("line_items", true)) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      std::string path = "line_items[" + std::to_string(i) + "]";
      if (!(*items)[i].is_object()) {
        errors.push_back({path, "must be an object"});
        continue;
      }
      const json::object& item = (*items)[i].get_object();
      Fields line(item, path, errors);
      // Tips, gift cards and digital goods leave no warehouse.
      if (line.boolean("requires_shipping") == false) continue;
      OrderLine parsed;
      parsed.sku = line.text("sku", false, 64).value_or("");
      if (parsed.sku.empty()) line.fail("sku", "is empty: depot ships by the variant's SKU");
      parsed.quantity = line.integer("quantity", true).value_or(0);
      parsed.unit_price = money(line, item, "price", true).value_or(0);
      draft.lines.push_back(std::move(parsed));
      reading.line_sources.push_back(i);
    }
    if (draft.lines.empty() && !items->empty()) {
      errors.push_back({"line_items", "holds nothing that ships"});
    }
  }

  const json::object* shipping = f.object("shipping_address");
  const json::object* billing = f.object("billing_address");
  const json::object* customer = f.object("customer");
  ShopifyAddress ship;
  if (shipping != nullptr) ship = read_shopify_address(*shipping, "shipping_address", errors);
  draft.shipping_address = ship.address;
  std::string name = person_name(ship.first_name, ship.last_name);
  if (name.empty()) name = std::string(trimmed(ship.name));
  std::string phone = ship.phone;
  std::string email = f.text("email", false, 254).value_or("");
  if (email.empty()) email = f.text("contact_email", false, 254).value_or("");
  if (customer != nullptr) {
    Fields c(*customer, "customer", errors);
    if (name.empty()) {
      name = person_name(c.text("first_name", false, 200).value_or(""),
                         c.text("last_name", false, 200).value_or(""));
    }
    if (phone.empty()) phone = compact_phone(c.text("phone", false, 64).value_or(""));
    if (email.empty()) email = c.text("email", false, 254).value_or("");
  }
  if (billing != nullptr && (name.empty() || phone.empty())) {
    ShopifyAddress bill = read_shopify_address(*billing, "billing_address", errors);
    if (name.empty()) name = person_name(bill.first_name, bill.last_name);
    if (phone.empty()) phone = bill.phone;
  }
  if (phone.empty()) phone = compact_phone(f.text("phone", false, 64).value_or(""));
  draft.customer.name = std::move(name);
  draft.customer.phone = std::move(phone);
  draft.customer.email = std::move(email);
  std::string locale = ascii_lower(f.text("customer_locale", false, 16).value_or("zh-CN"));
  draft.customer.locale = locale.starts_with("zh") ? "zh-CN" : "en";

  std::string financial = f.text("financial_status", false, 32).value_or("");
  if (financial == "paid") {
    std::string gateway = "shopify";
    if (const json::array* gateways = f.array("payment_gateway_names")) {
      if (!gateways->empty() && (*gateways)[0].is_string()) {
        gateway = std::string((*gateways)[0].get_string());
      }
    }
    order.payment = PlatformPayment{std::nullopt, gateway.substr(0, 32), "paid", {}};
  }
  if (f.text("cancelled_at", false, 64)) {
    std::string reason = f.text("cancel_reason", false, 64).value_or("");
    order.cancellation = "cancelled on Shopify" + (reason.empty() ? "" : ": " + reason);
  }
  if (auto failed = field_errors(std::move(errors))) return *failed;
  return reading;
}

// ---- a Taobao trade ----

// What a trade's status says of its payment and whether it is closed.
struct TaobaoStatus {
  std::string_view status;
  bool paid;
  bool closed;
};
constexpr TaobaoStatus kTaobaoStatuses[] = {
    {"TRADE_NO_CREATE_PAY", false, false},   {"WAIT_BUYER_PAY", false, false},
    {"PAY_PENDING", false, false},           {"WAIT_PRE_AUTH_CONFIRM", false, false},
    {"WAIT_SELLER_SEND_GOODS", true, false}, {"PAID_FORBID_CONSIGN", true, false},
    {"SELLER_CONSIGNED_PART", true, false},  {"WAIT_BUYER_CONFIRM_GOODS", true, false},
    {"TRADE_BUYER_SIGNED", true, false},     {"TRADE_FINISHED", true, false},
    {"TRADE_CLOSED", false, true},           {"TRADE_CLOSED_BY_TAOBAO", false, true},
};

Result<PlatformReading> read_taobao(const json::object& body) {
  const json::object& trade = unwrapped(body, "trade");
  std::vector<FieldError> errors;
  Fields f(trade, "", errors);
  PlatformReading reading;
  PlatformOrder& order = reading.order;
  OrderDraft& draft = order.draft;
  draft.external_no = id_text(f, trade, "tid", true).value_or("");
  draft.currency = "CNY";
  draft.notes = f.text("buyer_message", false, 2000).value_or("");

  // The open platform's JSON wraps the list ({"orders": {"order": [...]}}); plain arrays are read
  // too.
  const json::array* items = nullptr;
  reading.lines_path = "orders";
  if (const json::value* orders = trade.if_contains("orders")) {
    if (orders->is_object()) {
      Fields wrapper(orders->get_object(), "orders", errors);
      items = wrapper.array("order", true);
      reading.lines_path = "orders.order";
    } else {
      items = f.array("orders", true);
    }
  } else {
    f.fail("orders", "is required");
  }
  if (items != nullptr) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      std::string path = reading.lines_path + "[" + std::to_string(i) + "]";
      if (!(*items)[i].is_object()) {
        errors.push_back({path, "must be an object"});
        continue;
      }
      const json::object& item = (*items)[i].get_object();
      Fields line(item, path, errors);
      OrderLine parsed;
      // The merchant's code of the SKU, or of the item when it has no SKUs.
      parsed.sku = line.text("outer_sku_id", false, 64).value_or("");
      if (parsed.sku.empty()) parsed.sku = line.text("outer_iid", false, 64).value_or("");
      if (parsed.sku.empty()) {
        line.fail("outer_sku_id", "is empty: depot ships by the merchant's SKU code (商家编码)");
      }
      parsed.quantity = line.integer("num", true).value_or(0);
      parsed.unit_price = money(line, item, "price", true).value_or(0);
      draft.lines.push_back(std::move(parsed));
      reading.line_sources.push_back(i);
    }
  }

  Customer& c = draft.customer;
  c.name = f.text("receiver_name", false, 400).value_or("");
  c.phone = compact_phone(f.text("receiver_mobile", false, 64).value_or(""));
  if (c.phone.empty()) c.phone = compact_phone(f.text("receiver_phone", false, 64).value_or(""));
  c.email = f.text("buyer_email", false, 254).value_or("");
  Address& a = draft.shipping_address;
  a.province = f.text("receiver_state", false, 200).value_or("");
  a.city = f.text("receiver_city", false, 200).value_or("");
  a.district = f.text("receiver_district", false, 200).value_or("");
  // A county-level unit the province administers directly comes as a district without a city.
  if (trimmed(a.city).empty()) std::swap(a.city, a.district);
  std::string town = f.text("receiver_town", false, 200).value_or("");
  std::string street = f.text("receiver_address", false, kMaxText).value_or("");
  a.detail = street.starts_with(town) ? street : joined({town, street}, "");
  a.postcode = f.text("receiver_zip", false, 32).value_or("");

  std::string status = f.text("status", true, 64).value_or("");
  auto known = std::find_if(std::begin(kTaobaoStatuses), std::end(kTaobaoStatuses),
                            [&](const TaobaoStatus& s) { return s.status == status; });
  if (known == std::end(kTaobaoStatuses)) {
    if (!status.empty()) f.fail("status", "is not a Taobao trade status depot knows");
  } else {
    if (known->paid) {
      std::string alipay_no = id_text(f, trade, "alipay_no", false).value_or("");
      order.payment =
          PlatformPayment{std::nullopt, "alipay", alipay_no.empty() ? "paid" : alipay_no, {}};
    }
    if (known->closed) order.cancellation = "closed on Taobao (" + status + ")";
  }
  if (auto failed = field_errors(std::move(errors))) return *failed;
  return reading;
}

// Depot's name of an order's own field → the platform's.
using FieldNames = std::map<std::string_view, std::string_view>;

const FieldNames& order_fields_of(std::string_view platform) {
  static const FieldNames shopify = {
      {"external_no", "name"},
      {"currency", "currency"},
      {"notes", "note"},
      {"lines", "line_items"},
      {"customer.name", "shipping_address.first_name"},
      {"customer.phone", "shipping_address.phone"},
      {"customer.email", "email"},
      {"customer.locale", "customer_locale"},
      {"shipping_address.province", "shipping_address.province_code"},
      {"shipping_address.city", "shipping_address.city"},
      {"shipping_address.district", "shipping_address.address1"},
      {"shipping_address.detail", "shipping_address.address1"},
      {"shipping_address.postcode", "shipping_address.zip"},
      {"payment.amount", "total_price"},
  };
  static const FieldNames taobao = {
      {"external_no", "tid"},
      {"notes", "buyer_message"},
      {"lines", "orders"},
      {"customer.name", "receiver_name"},
      {"customer.phone", "receiver_mobile"},
      {"customer.email", "buyer_email"},
      {"shipping_address.province", "receiver_state"},
      {"shipping_address.city", "receiver_city"},
      {"shipping_address.district", "receiver_district"},
      {"shipping_address.detail", "receiver_address"},
      {"shipping_address.postcode", "receiver_zip"},
      {"payment.amount", "payment"},
  };
  static const FieldNames none;
  if (platform == "shopify") return shopify;
  if (platform == "taobao") return taobao;
  return none;
}

// The platform's name of a line's field.
std::string_view line_field_of(std::string_view platform, std::string_view field) {
  if (platform == "shopify" && field == "unit_price") return "price";
  if (platform == "taobao") {
    if (field == "sku") return "outer_sku_id";
    if (field == "quantity") return "num";
    if (field == "unit_price") return "price";
  }
  return field;
}

std::string platform_path(std::string_view platform, const PlatformReading& reading,
                          std::string_view field) {
  if (field.starts_with("lines[")) {
    std::size_t close = field.find(']');
    std::size_t index = 0;
    for (char c : field.substr(6, close == std::string_view::npos ? 0 : close - 6)) {
      index = index * 10 + static_cast<std::size_t>(c - '0');
    }
    std::size_t source = index < reading.line_sources.size() ? reading.line_sources[index] : index;
    std::string path = reading.lines_path + "[" + std::to_string(source) + "]";
    if (close != std::string_view::npos && close + 1 < field.size()) {
      path += "." + std::string(line_field_of(platform, field.substr(close + 2)));
    }
    return path;
  }
  const FieldNames& names = order_fields_of(platform);
  auto found = names.find(field);
  return found == names.end() ? std::string(field) : std::string(found->second);
}

}  // namespace

Result<PlatformTopic> read_topic(const Request& request) {
  std::string topic = std::string(trimmed(request.header("x-depot-topic")));
  std::string header = "X-Depot-Topic";
  if (topic.empty()) {
    topic = std::string(trimmed(request.header("x-shopify-topic")));
    header = "X-Shopify-Topic";
  }
  if (topic.empty() || topic == "orders/updated") return PlatformTopic::updated;
  if (topic == "orders/create") return PlatformTopic::created;
  if (topic == "orders/paid") return PlatformTopic::paid;
  if (topic == "orders/cancelled") return PlatformTopic::cancelled;
  return invalid_field(header,
                       "must be orders/create, orders/updated, orders/paid or orders/cancelled");
}

Result<PlatformReading> read_platform_order(std::string_view platform, const json::object& body) {
  Result<PlatformReading> reading = platform == "shopify"  ? read_shopify(body)
                                    : platform == "taobao" ? read_taobao(body)
                                                           : read_generic(body);
  if (reading.ok() && reading->order.draft.platform.empty()) {
    reading->order.draft.platform = std::string(platform);
  }
  return reading;
}

Error in_platform_terms(std::string_view platform, const PlatformReading& reading, Error e) {
  for (FieldError& field : e.fields) field.field = platform_path(platform, reading, field.field);
  return e;
}

std::optional<std::int64_t> parse_minor_units(std::string_view text) {
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view cents = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 15 || !digits(whole) || !digits(cents) || cents.size() > 2 ||
      (dot != std::string_view::npos && cents.empty())) {
    return std::nullopt;
  }
  std::int64_t minor = 0;
  for (char c : whole) minor = minor * 10 + (c - '0');
  std::int64_t fraction = 0;
  for (std::size_t i = 0; i < 2; ++i)
    fraction = fraction * 10 + (i < cents.size() ? cents[i] - '0' : 0);
  return minor * 100 + fraction;
}

}  // namespace depot::http
