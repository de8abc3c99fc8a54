#include "http/order_input.h"

#include <algorithm>

namespace depot::http {

namespace json = boost::json;

namespace {

std::vector<OrderLine> read_lines(const json::array& items, std::vector<FieldError>& errors) {
  std::vector<OrderLine> lines;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string prefix = "lines[" + std::to_string(i) + "]";
    if (!items[i].is_object()) {
      errors.push_back({prefix, "must be an object"});
      continue;
    }
    Fields line(items[i].get_object(), prefix, errors);
    line.reject_unknown({"sku", "quantity", "unit_price"});
    OrderLine parsed;
    parsed.sku = line.text("sku", true, 64).value_or("");
    parsed.quantity = line.integer("quantity", true).value_or(0);
    parsed.unit_price = line.integer("unit_price", true).value_or(0);
    lines.push_back(std::move(parsed));
  }
  return lines;
}

Customer read_customer(const json::object& object, std::vector<FieldError>& errors) {
  Fields f(object, "customer", errors);
  f.reject_unknown(
      {"name", "phone", "email", "wechat_openid", "device_token", "preferred_channels", "locale"});
  Customer c;
  c.name = f.text("name", true, 400).value_or("");
  // A missing phone or address part is the platform's data as sold: verification holds it.
  c.phone = f.text("phone", false, 32).value_or("");
  c.email = f.text("email", false, 254).value_or("");
  c.wechat_openid = f.text("wechat_openid", false, 128).value_or("");
  c.device_token = f.text("device_token", false, 512).value_or("");
  c.preferred_channels = f.text_list("preferred_channels").value_or(std::vector<std::string>{});
  c.locale = f.text("locale", false, 16).value_or("zh-CN");
  return c;
}

Address read_address(const json::object& object, std::vector<FieldError>& errors) {
  Fields f(object, "shipping_address", errors);
  f.reject_unknown({"province", "city", "district", "detail", "postcode"});
  Address a;
  a.province = f.text("province", false, 64).value_or("");
  a.city = f.text("city", false, 64).value_or("");
  a.district = f.text("district", false, 64).value_or("");
  a.detail = f.text("detail", false, 800).value_or("");
  a.postcode = f.text("postcode", false, 16).value_or("");
  return a;
}

}  // namespace

OrderDraft read_order_draft(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown(
      {"lines", "currency", "customer", "shipping_address", "platform", "external_no", "notes"});
  OrderDraft draft;
  if (const json::array* lines = f.array("lines", true)) draft.lines = read_lines(*lines, errors);
  draft.currency = f.text("currency", false, 3).value_or("");
  if (const json::object* customer = f.object("customer", true)) {
    draft.customer = read_customer(*customer, errors);
  }
  if (const json::object* address = f.object("shipping_address", true)) {
    draft.shipping_address = read_address(*address, errors);
  }
  draft.platform = f.text("platform", false, 128).value_or("");
  draft.external_no = f.text("external_no", false, 256).value_or("");
  draft.notes = f.text("notes", false, 2000).value_or("");
  return draft;
}

OrderPatch read_order_patch(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"lines", "shipping_address", "customer", "notes"});
  OrderPatch patch;
  if (const json::array* lines = f.array("lines")) patch.lines = read_lines(*lines, errors);
  if (const json::object* customer = f.object("customer")) {
    patch.customer = read_customer(*customer, errors);
  }
  if (const json::object* address = f.object("shipping_address")) {
    patch.shipping_address = read_address(*address, errors);
  }
  patch.notes = f.text("notes", false, 2000);
  if (body.empty()) errors.push_back({"body", "names nothing to change"});
  return patch;
}

void add_rule_errors(std::vector<FieldError>& errors, std::vector<FieldError> rule_errors) {
  for (FieldError& rule_error : rule_errors) {
    bool named = std::any_of(errors.begin(), errors.end(),
                             [&](const FieldError& e) { return e.field == rule_error.field; });
    if (!named) errors.push_back(std::move(rule_error));
  }
}

}  // namespace depot::http
