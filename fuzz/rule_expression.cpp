// Rule expressions (POST /api/v1/rules, PATCH /api/v1/rules/{id}): compiled and type-checked by the
// sandboxed Lua engine with its production budgets, then evaluated against an order when they
// compile.
#include "fuzz_input.h"
#include "rules/lua/lua_rule_engine.h"

using namespace depot;

namespace {

Order sample_order() {
  Order order;
  order.currency = "CNY";
  order.platform = "taobao";
  order.lines = {{"PHONE-X", 2, 250000}, {"CASE-Y", 3, 1000}};
  order.total = 503000;
  order.customer.name = "王五";
  order.customer.phone = "13912345678";
  order.customer.email = "wang.wu@example.com";
  order.shipping_address.province = "新疆维吾尔自治区";
  order.shipping_address.city = "乌鲁木齐市";
  order.shipping_address.district = "天山区";
  order.shipping_address.detail = "解放北路 88 号";
  return order;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static rules::LuaRuleEngine engine;
  static const Order order = sample_order();
  auto rule = engine.compile(fuzz::text_of(data, size));
  if (!rule.ok()) return 0;
  RuleFacts facts{
      order, [](std::int64_t minutes) { return minutes % 7; },
      [](std::string_view list, std::string_view value) { return list.size() == value.size(); }};
  (void)engine.evaluate(**rule, facts);
  return 0;
}
