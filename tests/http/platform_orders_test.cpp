// Platforms' order shapes read into depot's (INT-2): Shopify's order JSON, a Taobao trade, the
// generic shape, and bulk order files.
#include "http/platform_orders.h"

#include <gtest/gtest.h>

#include <string>

#include "http/order_csv.h"

namespace depot::http {
namespace {

namespace json = boost::json;

json::object parse(std::string_view text) { return json::parse(text).as_object(); }

Result<PlatformReading> read(std::string_view platform, std::string_view body) {
  return read_platform_order(platform, parse(body));
}

std::vector<std::string> fields_of(const Error& e) {
  std::vector<std::string> fields;
  for (const FieldError& f : e.fields) fields.push_back(f.field);
  return fields;
}

// A Shopify orders/create body as Shopify sends it (trimmed of fields depot does not read, but
// with their shapes: nulls, nested prices, a tip line that needs no shipping).
constexpr std::string_view kShopifyOrder = R"({
  "id": 5882468925498, "admin_graphql_api_id": "gid://shopify/Order/5882468925498",
  "name": "#1001", "order_number": 1001, "number": 1,
  "email": "zhang.san@example.com", "contact_email": "zhang.san@example.com",
  "phone": null, "note": "请周末送货", "currency": "CNY", "presentment_currency": "CNY",
  "financial_status": "paid", "fulfillment_status": null,
  "cancelled_at": null, "cancel_reason": null, "customer_locale": "zh-CN",
  "total_price": "257.00", "subtotal_price": "257.00", "total_tax": "0.00",
  "payment_gateway_names": ["alipay"],
  "total_price_set": {"shop_money": {"amount": "257.00", "currency_code": "CNY"}},
  "line_items": [
    {"id": 13589498528058, "title": "Ceramic mug", "sku": "MUG-RED", "quantity": 2,
     "price": "39.50", "requires_shipping": true, "gift_card": false, "variant_id": 45,
     "price_set": {"shop_money": {"amount": "39.50", "currency_code": "CNY"}},
     "total_discount": "0.00", "tax_lines": [], "properties": []},
    {"id": 13589498528059, "title": "Tip", "sku": null, "quantity": 1, "price": "10.00",
     "requires_shipping": false, "gift_card": false},
    {"id": 13589498528060, "title": "Longjing tea 250g", "sku": "TEA-LJ-250", "quantity": 1,
     "price": "168", "requires_shipping": true}
  ],
  "shipping_address": {"first_name": "三", "last_name": "张", "name": "三 张",
    "address1": "西湖区文三路 90 号", "address2": "东部软件园 2 号楼", "city": "杭州市",
    "province": "Zhejiang", "province_code": "ZJ", "country": "China", "country_code": "CN",
    "zip": "310012", "phone": "+86 138 0013 8000", "company": null,
    "latitude": null, "longitude": null},
  "billing_address": {"first_name": "三", "last_name": "张", "phone": null},
  "customer": {"id": 7, "email": "zhang.san@example.com", "first_name": "三",
    "last_name": "张", "phone": null, "tags": "", "currency": "CNY"}
})";

TEST(ShopifyOrder, BecomesDepotsOrder) {
  Result<PlatformReading> reading = read("shopify", kShopifyOrder);
  ASSERT_TRUE(reading.ok()) << reading.error().message;
  const OrderDraft& draft = reading->order.draft;
  EXPECT_EQ(draft.platform, "shopify");
  EXPECT_EQ(draft.external_no, "#1001");
  EXPECT_EQ(draft.currency, "CNY");
  EXPECT_EQ(draft.notes, "请周末送货");
  // The tip leaves no warehouse; prices are decimal text in yuan.
  EXPECT_EQ(draft.lines, (std::vector<OrderLine>{{"MUG-RED", 2, 3950}, {"TEA-LJ-250", 1, 16800}}));
  EXPECT_EQ(reading->line_sources, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(draft.customer.name, "张三");
  EXPECT_EQ(draft.customer.phone, "+8613800138000");
  EXPECT_EQ(draft.customer.email, "zhang.san@example.com");
  EXPECT_EQ(draft.customer.locale, "zh-CN");
  const Address& a = draft.shipping_address;
  EXPECT_EQ(a.province, "浙江省");
  EXPECT_EQ(a.city, "杭州市");
  EXPECT_EQ(a.district, "西湖区");
  EXPECT_EQ(a.detail, "文三路 90 号 东部软件园 2 号楼");
  EXPECT_EQ(a.postcode, "310012");
  ASSERT_TRUE(reading->order.payment.has_value());
  EXPECT_FALSE(reading->order.payment->amount.has_value());  // paid in full
  EXPECT_EQ(reading->order.payment->method, "alipay");
  EXPECT_FALSE(reading->order.cancellation.has_value());
  // The Admin API's name of the order, which the fulfillment call needs.
  EXPECT_EQ(reading->order.platform_order_id, "5882468925498");
}

TEST(ShopifyOrder, ForeignAddressesAndEnglishNamesStayAsWritten) {
  Result<PlatformReading> reading = read("shopify", R"({
    "name": "#2", "currency": "USD", "financial_status": "pending", "customer_locale": "en",
    "line_items": [{"sku": "A-1", "quantity": 1, "price": "5.5"}],
    "shipping_address": {"first_name": "Steve", "last_name": "Shipper", "address1": "123 Street",
      "address2": null, "city": "Louisville", "province": "Kentucky", "province_code": "KY",
      "country_code": "US", "zip": "40003", "phone": "555-555-SHIP"}})");
  ASSERT_TRUE(reading.ok()) << reading.error().message;
  EXPECT_EQ(reading->order.platform_order_id, "");  // no id given
  const OrderDraft& draft = reading->order.draft;
  EXPECT_EQ(draft.customer.name, "Steve Shipper");
  EXPECT_EQ(draft.customer.locale, "en");
  EXPECT_EQ(draft.shipping_address.province, "Kentucky");
  EXPECT_EQ(draft.shipping_address.district, "");
  EXPECT_EQ(draft.shipping_address.detail, "123 Street");
  EXPECT_EQ(draft.lines.front().unit_price, 550);
  EXPECT_FALSE(reading->order.payment.has_value());
}

TEST(ShopifyOrder, ACancelledOrderSaysWhy) {
  Result<PlatformReading> reading = read("shopify", R"({
    "name": "#3", "cancelled_at": "2026-11-22T10:00:00+08:00", "cancel_reason": "customer",
    "financial_status": "voided", "line_items": [{"sku": "A-1", "quantity": 1, "price": "1"}],
    "shipping_address": {"first_name": "A", "last_name": "B"}})");
  ASSERT_TRUE(reading.ok()) << reading.error().message;
  ASSERT_TRUE(reading->order.cancellation.has_value());
  EXPECT_EQ(*reading->order.cancellation, "cancelled on Shopify: customer");
  EXPECT_FALSE(reading->order.payment.has_value());
}

TEST(ShopifyOrder, FaultsNameShopifysFields) {
  Result<PlatformReading> reading = read("shopify", R"({
    "line_items": [{"sku": "", "quantity": "two", "price": "1.234"}]})");
  ASSERT_FALSE(reading.ok());
  EXPECT_EQ(reading.error().code, ErrorCode::invalid);
  EXPECT_EQ(fields_of(reading.error()),
            (std::vector<std::string>{"name", "line_items[0].sku", "line_items[0].quantity",
                                      "line_items[0].price"}));
}

TEST(ShopifyOrder, TheUseCasesErrorsAreRenamedToShopifysFields) {
  Result<PlatformReading> reading = read("shopify", kShopifyOrder);
  ASSERT_TRUE(reading.ok());
  Error e{ErrorCode::invalid,
          "unknown SKU",
          {{"lines[1].sku", "unknown SKU TEA-LJ-250"},
           {"lines[0].unit_price", "is too large"},
           {"customer.name", "is required"},
           {"shipping_address.postcode", "x"},
           {"external_no", "y"}}};
  EXPECT_EQ(
      fields_of(in_platform_terms("shopify", *reading, e)),
      (std::vector<std::string>{"line_items[2].sku", "line_items[0].price",
                                "shipping_address.first_name", "shipping_address.zip", "name"}));
}

// A trade as taobao.trade.fullinfo.get answers it, under "trade".
constexpr std::string_view kTaobaoTrade = R"({"trade": {
  "tid": 3378562291845623456, "tid_str": "3378562291845623456",
  "status": "WAIT_SELLER_SEND_GOODS", "type": "fixed",
  "payment": "218.00", "total_fee": "208.00", "post_fee": "10.00",
  "created": "2026-11-22 10:01:02", "pay_time": "2026-11-22 10:02:03",
  "alipay_no": "2026112222001100501234567890", "buyer_nick": "t**1",
  "buyer_message": "不要放快递柜",
  "receiver_name": "李四", "receiver_mobile": "13912345678", "receiver_phone": "",
  "receiver_state": "广东省", "receiver_city": "深圳市", "receiver_district": "南山区",
  "receiver_town": "粤海街道", "receiver_address": "科技园南区 深南大道 9988 号",
  "receiver_zip": "518057",
  "orders": {"order": [
    {"oid": 3378562291845623456, "num_iid": 6001, "outer_iid": "MUG", "outer_sku_id": "MUG-RED",
     "title": "马克杯", "num": 2, "price": "39.00", "total_fee": "78.00", "status": "WAIT_SELLER_SEND_GOODS"},
    {"oid": 3378562291845623457, "num_iid": 6002, "outer_iid": "TEA-LJ-250", "outer_sku_id": "",
     "title": "龙井", "num": 1, "price": "130.00", "status": "WAIT_SELLER_SEND_GOODS"}
  ]}
}})";

TEST(TaobaoTrade, BecomesDepotsOrder) {
  Result<PlatformReading> reading = read("taobao", kTaobaoTrade);
  ASSERT_TRUE(reading.ok()) << reading.error().message;
  const OrderDraft& draft = reading->order.draft;
  EXPECT_EQ(draft.platform, "taobao");
  EXPECT_EQ(draft.external_no, "3378562291845623456");
  EXPECT_EQ(draft.currency, "CNY");
  EXPECT_EQ(draft.notes, "不要放快递柜");
  // A SKU's merchant code, or the item's when the item has no SKUs.
  EXPECT_EQ(draft.lines, (std::vector<OrderLine>{{"MUG-RED", 2, 3900}, {"TEA-LJ-250", 1, 13000}}));
  EXPECT_EQ(draft.customer.name, "李四");
  EXPECT_EQ(draft.customer.phone, "13912345678");
  const Address& a = draft.shipping_address;
  EXPECT_EQ(a.province, "广东省");
  EXPECT_EQ(a.city, "深圳市");
  EXPECT_EQ(a.district, "南山区");
  EXPECT_EQ(a.detail, "粤海街道科技园南区 深南大道 9988 号");
  EXPECT_EQ(a.postcode, "518057");
  ASSERT_TRUE(reading->order.payment.has_value());
  EXPECT_EQ(reading->order.payment->transaction, "2026112222001100501234567890");
  EXPECT_EQ(reading->order.payment->method, "alipay");
  EXPECT_FALSE(reading->order.cancellation.has_value());
}

TEST(TaobaoTrade, StatusSaysPaidOrClosed) {
  auto trade = [](std::string_view status) {
    return std::string(R"({"tid": "1", "status": ")") + std::string(status) +
           R"(", "orders": [{"outer_sku_id": "A", "num": 1, "price": "1.00"}]})";
  };
  Result<PlatformReading> waiting = read("taobao", trade("WAIT_BUYER_PAY"));
  ASSERT_TRUE(waiting.ok()) << waiting.error().message;
  EXPECT_FALSE(waiting->order.payment.has_value());
  EXPECT_FALSE(waiting->order.cancellation.has_value());
  EXPECT_EQ(waiting->lines_path, "orders");

  Result<PlatformReading> closed = read("taobao", trade("TRADE_CLOSED_BY_TAOBAO"));
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->order.cancellation.value_or(""), "closed on Taobao (TRADE_CLOSED_BY_TAOBAO)");
  EXPECT_FALSE(closed->order.payment.has_value());

  Result<PlatformReading> finished = read("taobao", trade("TRADE_FINISHED"));
  ASSERT_TRUE(finished.ok());
  ASSERT_TRUE(finished->order.payment.has_value());
  EXPECT_EQ(finished->order.payment->transaction, "paid");  // no alipay_no

  Result<PlatformReading> unknown = read("taobao", trade("SOMETHING_ELSE"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(fields_of(unknown.error()), std::vector<std::string>{"status"});
}

TEST(TaobaoTrade, ACountyTheProvinceAdministersIsTheCity) {
  Result<PlatformReading> reading = read("taobao", R"({"tid": 9, "status": "WAIT_BUYER_PAY",
    "receiver_state": "河南省", "receiver_city": "", "receiver_district": "济源市",
    "receiver_address": "天坛路 1 号", "orders": [{"outer_sku_id": "A", "num": 1, "price": "1"}]})");
  ASSERT_TRUE(reading.ok()) << reading.error().message;
  EXPECT_EQ(reading->order.draft.shipping_address.city, "济源市");
  EXPECT_EQ(reading->order.draft.shipping_address.district, "");
}

TEST(TaobaoTrade, FaultsAndUseCaseErrorsNameTaobaosFields) {
  Result<PlatformReading> bad = read("taobao", R"({"status": "WAIT_BUYER_PAY",
    "orders": {"order": [{"outer_sku_id": "", "num": "x", "price": "abc"}]}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(fields_of(bad.error()),
            (std::vector<std::string>{"tid", "orders.order[0].outer_sku_id", "orders.order[0].num",
                                      "orders.order[0].price"}));
  Result<PlatformReading> reading = read("taobao", kTaobaoTrade);
  ASSERT_TRUE(reading.ok());
  Error e{ErrorCode::invalid,
          "x",
          {{"lines[1].quantity", "q"}, {"customer.phone", "p"}, {"shipping_address.city", "c"}}};
  EXPECT_EQ(fields_of(in_platform_terms("taobao", *reading, e)),
            (std::vector<std::string>{"orders.order[1].num", "receiver_mobile", "receiver_city"}));
}

TEST(GenericOrder, IsDepotsOrderInputWithPaymentAndCancellation) {
  Result<PlatformReading> reading = read("generic", R"({
    "platform": "jd", "external_no": "JD-77",
    "lines": [{"sku": "MUG-RED", "quantity": 1, "unit_price": 1990}],
    "customer": {"name": "王芳", "phone": "13912345678"},
    "shipping_address": {"province": "上海市", "city": "上海市", "district": "浦东新区",
                         "detail": "世纪大道 1 号"},
    "payment": {"amount": 1990, "method": "wechat", "reference": "WX-1"},
    "cancellation": {"reason": "buyer asked"}})");
  ASSERT_TRUE(reading.ok()) << reading.error().message;
  const PlatformOrder& order = reading->order;
  EXPECT_EQ(order.draft.platform, "jd");
  EXPECT_EQ(order.draft.external_no, "JD-77");
  ASSERT_TRUE(order.payment.has_value());
  EXPECT_EQ(order.payment->amount, 1990);
  EXPECT_EQ(order.payment->transaction, "WX-1");
  EXPECT_EQ(order.cancellation.value_or(""), "buyer asked");
}

TEST(GenericOrder, NeedsExternalNoAndRefusesUnknownFields) {
  Result<PlatformReading> reading = read("generic", R"({
    "lines": [{"sku": "MUG-RED", "quantity": 0, "unit_price": 1990}],
    "customer": {"name": "王芳"}, "shipping_address": {}, "colour": "red"})");
  ASSERT_FALSE(reading.ok());
  std::vector<std::string> fields = fields_of(reading.error());
  for (const char* expected : {"external_no", "colour", "lines[0].quantity"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), expected), fields.end()) << expected;
  }
  // Without a platform of its own, a generic order is the connection's.
  Result<PlatformReading> plain = read("generic", R"({"external_no": "G-1",
    "lines": [{"sku": "A", "quantity": 1, "unit_price": 1}], "customer": {"name": "X"},
    "shipping_address": {}})");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->order.draft.platform, "generic");
}

TEST(MinorUnits, ReadDecimalYuan) {
  EXPECT_EQ(parse_minor_units("199"), 19900);
  EXPECT_EQ(parse_minor_units("199.5"), 19950);
  EXPECT_EQ(parse_minor_units("199.05"), 19905);
  EXPECT_EQ(parse_minor_units("0.01"), 1);
  for (std::string_view bad : {"", "-1", "1.234", "1.", ".5", "1e3", "１", "1,000.00", " 1"}) {
    EXPECT_FALSE(parse_minor_units(bad).has_value()) << bad;
  }
}

std::vector<CsvRow> records(std::initializer_list<std::vector<std::string>> lines) {
  std::vector<CsvRow> out;
  std::size_t line = 0;
  for (const auto& fields : lines) out.push_back({++line, fields});
  return out;
}

TEST(OrderFile, ColumnsByEnglishOrChineseNameInAnyOrder) {
  Result<std::vector<OrderImportRow>> rows = read_order_rows(records({
      {"数量", "外部订单号", "收货人", "SKU", "单价", "已付款", "省", "市", "区", "详细地址"},
      {"2", "T-1", "李四", "MUG-RED", "39.90", "是", "上海市", "上海市", "浦东新区",
       "世纪大道 1 号"},
      {"1", "T-1", "", "TEA-1", "168", "", "", "", "", ""},
  }));
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  const OrderImportRow& first = (*rows)[0];
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.platform, "csv");
  EXPECT_EQ(first.external_no, "T-1");
  EXPECT_EQ(first.customer_name, "李四");
  EXPECT_EQ(first.sku, "MUG-RED");
  EXPECT_EQ(first.quantity, 2);
  EXPECT_EQ(first.unit_price, 3990);
  EXPECT_TRUE(first.paid);
  EXPECT_EQ(first.district, "浦东新区");
  EXPECT_EQ(first.outcome, RowOutcome::pending);
  EXPECT_FALSE((*rows)[1].paid);
}

TEST(OrderFile, BadCellsFailTheirRowNamingTheColumn) {
  Result<std::vector<OrderImportRow>> rows = read_order_rows(records({
      {"external_no", "customer_name", "sku", "quantity", "unit_price", "paid"},
      {"T-1", "A", "MUG", "0", "1", "yes"},
      {"T-2", "A", "MUG", "1", "1.999", "yes"},
      {"T-3", "A", "bad sku!", "1", "1", "yes"},
      {"T-4", "A", "MUG", "1", "1", "maybe"},
      {"", "A", "MUG", "1", "1", "no"},
      {"T-6", "A", "MUG", "1"},
      {"", "", "", "", "", ""},
  }));
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  std::vector<std::string> columns;
  for (const OrderImportRow& row : *rows) {
    EXPECT_EQ(row.outcome, RowOutcome::failed) << row.line;
    columns.push_back(row.column);
  }
  EXPECT_EQ(columns,
            (std::vector<std::string>{"quantity", "unit_price", "sku", "paid", "external_no", ""}));
}

TEST(OrderFile, AHeaderWithoutARequiredColumnOrWithAnUnknownOneRefusesTheFile) {
  Result<std::vector<OrderImportRow>> missing =
      read_order_rows(records({{"external_no", "customer_name", "sku", "quantity"}, {"1"}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(fields_of(missing.error()), std::vector<std::string>{"unit_price"});
  Result<std::vector<OrderImportRow>> unknown = read_order_rows(records(
      {{"external_no", "customer_name", "sku", "quantity", "unit_price", "colour"}, {"1"}}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(fields_of(unknown.error()), std::vector<std::string>{"colour"});
}

}  // namespace
}  // namespace depot::http
