// template_values(): what the variables hold, from events built by the event catalog.

#include <gtest/gtest.h>

#include <set>

#include "app/templates.h"
#include "domain/event_catalog.h"

namespace depot {
namespace {

constexpr const char* kLink = "https://shop.example.com/t/1.7.0123456789abcdef0123456789abcdef";

using namespace std::chrono_literals;

Instant at_utc(std::chrono::year_month_day day, std::chrono::minutes time_of_day) {
  return Instant{std::chrono::sys_days{day} + time_of_day};
}

Order shipped_order() {
  Order order;
  order.id = 7;
  order.order_no = "D20241125001";
  order.status = OrderStatus::shipped;
  order.currency = "CNY";
  order.total = 12800;
  order.paid_amount = 12800;
  order.lines = {{"TSHIRT-RED", 2, 4900}, {"MUG", 1, 3000}};
  order.customer.name = "张三";
  order.customer.phone = "13800138000";
  order.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路90号", "310012", "", "", ""};
  return order;
}

Shipment sf_parcel() {
  Shipment shipment;
  shipment.id = 3;
  shipment.order_id = 7;
  shipment.carrier = "sf";
  shipment.tracking_no = "SF1234567890123";
  shipment.lines = {{"TSHIRT-RED", 2}};
  return shipment;
}

TEST(TemplateValues, EveryVariableHasAValueAndNothingElseDoes) {
  std::set<std::string> names;
  for (const TemplateVariable& variable : template_variables()) {
    EXPECT_TRUE(names.insert(std::string(variable.name)).second) << variable.name;
    EXPECT_FALSE(variable.about.empty()) << variable.name;
  }
  for (const EventTypeInfo& info : event_catalog()) {
    DomainEvent event{info.type, 7, "", {}};
    std::set<std::string> keys;
    for (const auto& [name, value] : template_values(event, shipped_order(), {}, "zh-CN", "")) {
      keys.insert(name);
    }
    EXPECT_EQ(keys, names) << info.name;
  }
}

TEST(TemplateValues, ShipmentCreatedWithAnSfParcel) {
  Order order = shipped_order();
  Shipment parcel = sf_parcel();
  DomainEvent event = events::shipment_created(order, parcel);

  auto zh = template_values(event, order, parcel, "zh-CN", kLink);
  EXPECT_EQ(zh.at("order_no"), "D20241125001");
  EXPECT_EQ(zh.at("customer_name"), "张三");
  EXPECT_EQ(zh.at("carrier_code"), "SF");
  EXPECT_EQ(zh.at("carrier_name"), "顺丰速运");
  EXPECT_EQ(zh.at("tracking_no"), "SF1234567890123");
  EXPECT_EQ(zh.at("tracking_link"), kLink);
  EXPECT_EQ(zh.at("eta"), "");
  EXPECT_EQ(zh.at("order_status"), "已发货");
  EXPECT_EQ(zh.at("total"), "¥128.00");
  EXPECT_EQ(zh.at("items"), "TSHIRT-RED ×2、MUG ×1");
  EXPECT_EQ(zh.at("parcel_items"), "TSHIRT-RED ×2");
  EXPECT_EQ(zh.at("address"), "浙江省杭州市西湖区 文三路90号");
  EXPECT_EQ(zh.at("balance_due"), "");
  EXPECT_EQ(zh.at("hold_reason"), "");

  auto en = template_values(event, order, parcel, "en", kLink);
  EXPECT_EQ(en.at("carrier_name"), "SF Express");
  EXPECT_EQ(en.at("order_status"), "shipped");
  EXPECT_EQ(en.at("items"), "TSHIRT-RED ×2, MUG ×1");
  EXPECT_EQ(en.at("tracking_link"), kLink);

  auto no_site = template_values(event, order, parcel, "zh-CN", "");
  EXPECT_EQ(no_site.at("tracking_link"), "");

  auto rendered =
      render_template(default_template(EventType::shipment_created, ChannelKind::sms, "zh-CN"),
                      template_values(event, order, parcel, "zh-CN", kLink));
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(
      rendered->text,
      std::string("您的订单D20241125001已发货，顺丰速运运单号SF1234567890123。查询物流：") + kLink);
}

TEST(TemplateValues, ShipmentFieldsComeFromTheEventWithoutTheShipment) {
  Order order = shipped_order();
  Shipment parcel = sf_parcel();
  parcel.carrier = "YTO";
  parcel.lines = {{"TSHIRT-RED", 1}, {"MUG", 1}};
  auto values =
      template_values(events::shipment_created(order, parcel), order, std::nullopt, "zh-CN", "");
  EXPECT_EQ(values.at("carrier_name"), "圆通速递");
  EXPECT_EQ(values.at("tracking_no"), "SF1234567890123");
  EXPECT_EQ(values.at("parcel_items"), "TSHIRT-RED ×1、MUG ×1");

  parcel.carrier = "ACME";
  values = template_values(events::shipment_created(order, parcel), order, parcel, "en", "");
  EXPECT_EQ(values.at("carrier_code"), "ACME");
  EXPECT_EQ(values.at("carrier_name"), "ACME");
}

TEST(TemplateValues, EtaAndDueTimesAreChinaDates) {
  Order order = shipped_order();
  DomainEvent event = events::shipment_created(order, sf_parcel());
  // 16:30 UTC is half past midnight the next day in China.
  event.data.emplace_back("eta", to_millis(at_utc(std::chrono::year{2024} / 11 / 24, 16h + 30min)));
  EXPECT_EQ(template_values(event, order, {}, "zh-CN", "").at("eta"), "11月25日");
  EXPECT_EQ(template_values(event, order, {}, "en", "").at("eta"), "25 Nov");

  order.ship_due_at = at_utc(std::chrono::year{2024} / 11 / 25, 10h);
  DomainEvent overdue = events::shipment_reminder(order, ReminderLevel::overdue);
  EXPECT_EQ(overdue.type, EventType::shipment_overdue);
  EXPECT_EQ(template_values(overdue, order, {}, "zh-CN", "").at("due_at"), "11月25日 18:00");
  EXPECT_EQ(template_values(overdue, order, {}, "en", "").at("due_at"), "25 Nov 18:00");
}

TEST(TemplateValues, HoldReasonTellsTheCustomerWhatKindOfCheckStoppedTheOrder) {
  Order order = shipped_order();
  order.status = OrderStatus::on_hold;
  order.hold_reasons = {
      {"address.district_not_in_city", "the district is in another city",
       "shipping_address.district", 0},
      {"address.postcode_invalid", "postcode 999 is not a mainland postcode",
       "shipping_address.postcode", 0},
      {"customer.phone_missing", "the customer has no phone number", "customer.phone", 0},
      {"rule.matched", "大额订单需风控审核", "", 12},
  };
  DomainEvent held = events::order_held(order);

  auto zh = template_values(held, order, {}, "zh-CN", "");
  EXPECT_EQ(zh.at("hold_reason"), "收货地址需要核实，联系电话需要核实，订单需要人工审核");
  EXPECT_EQ(zh.at("hold_details"),
            "the district is in another city; postcode 999 is not a mainland postcode; the "
            "customer has no phone number; 大额订单需风控审核");
  EXPECT_EQ(zh.at("order_status"), "暂缓发货");
  auto en = template_values(held, order, {}, "en", "");
  EXPECT_EQ(en.at("hold_reason"),
            "the shipping address needs checking; the contact phone number needs checking; the "
            "order needs a manual review");

  // The event is what was true when it happened; the order may have changed since.
  Order later = order;
  later.hold_reasons = {{"payment.incomplete", "the order is not paid in full", "", 0}};
  EXPECT_EQ(template_values(held, later, {}, "zh-CN", "").at("hold_reason"),
            "收货地址需要核实，联系电话需要核实，订单需要人工审核");
  // Other events read the order's own reasons.
  DomainEvent edited = events::order_edited(later, "notes");
  EXPECT_EQ(template_values(edited, later, {}, "zh-CN", "").at("hold_reason"), "订单尚未付清");
  EXPECT_EQ(template_values(edited, later, {}, "zh-CN", "").at("hold_details"),
            "the order is not paid in full");

  auto rendered =
      render_template(default_template(EventType::order_held, ChannelKind::sms, "zh-CN"), zh);
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(rendered->text,
            "您的订单D20241125001暂缓发货：收货地址需要核实，联系电话需要核实，订单需要人工审核。"
            "我们正在处理，如需核对信息，客服会与您联系。");
}

TEST(TemplateValues, MoneyPaymentsAndRefunds) {
  Order order = shipped_order();
  order.status = OrderStatus::pending_payment;
  order.paid_amount = 5000;
  auto paid = template_values(events::order_paid(order, 5000, "alipay"), order, {}, "zh-CN", "");
  EXPECT_EQ(paid.at("payment_amount"), "¥50.00");
  EXPECT_EQ(paid.at("payment_method"), "支付宝");
  EXPECT_EQ(paid.at("balance_due"), "¥78.00");
  EXPECT_EQ(template_values(events::order_paid(order, 5000, "Bank-XYZ"), order, {}, "en", "")
                .at("payment_method"),
            "Bank-XYZ");

  order.currency = "USD";
  order.total = 5;
  order.paid_amount = 5;
  auto usd = template_values(events::order_created(order), order, {}, "en", "");
  EXPECT_EQ(usd.at("total"), "0.05 USD");
  EXPECT_EQ(usd.at("balance_due"), "");

  order.currency = "CNY";
  order.total = 12800;
  order.status = OrderStatus::cancelled;
  order.refund_due = 5000;
  auto cancelled =
      template_values(events::order_cancelled(order, "缺货", false), order, {}, "zh-CN", "");
  EXPECT_EQ(cancelled.at("refund_amount"), "¥50.00");
  EXPECT_EQ(cancelled.at("reason"), "缺货");
  EXPECT_EQ(cancelled.at("balance_due"), "");
  auto automatic = template_values(events::order_cancelled(order, "unpaid timeout", true), order,
                                   {}, "zh-CN", "");
  EXPECT_EQ(automatic.at("reason"), "超时未付款");
}

TEST(TemplateValues, ARefundsEventsNameThatRefundsAmount) {
  Order order = shipped_order();
  order.refund_due = 5000;
  Refund refund;
  refund.id = 9;
  refund.amount = 1200;
  refund.reason = "破损补偿";
  auto created = template_values(events::refund_created(order, refund), order, {}, "zh-CN", "");
  EXPECT_EQ(created.at("refund_amount"), "¥12.00");
  EXPECT_EQ(created.at("payment_amount"), "");
  EXPECT_EQ(created.at("reason"), "破损补偿");
  auto rendered = render_template(
      default_template(EventType::refund_completed, ChannelKind::sms, "zh-CN"),
      template_values(events::refund_completed(order, refund), order, {}, "zh-CN", ""));
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(rendered->text, "您的订单D20241125001的退款¥12.00已退回原支付账户，请注意查收。");
}

TEST(TemplateValues, StatusChangesAndEditsInWords) {
  Order order = shipped_order();
  HistoryEntry entry{OrderStatus::shipped, OrderStatus::delivered, "carrier", "signed", {}};
  DomainEvent changed = events::order_status_changed(order, entry);
  auto zh = template_values(changed, order, {}, "zh-CN", "");
  EXPECT_EQ(zh.at("previous_status"), "已发货");
  EXPECT_EQ(zh.at("order_status"), "已签收");
  EXPECT_EQ(zh.at("reason"), "signed");
  EXPECT_EQ(template_values(changed, order, {}, "en", "").at("order_status"), "delivered");

  DomainEvent edited = events::order_edited(order, "lines, shipping_address, gift_wrap");
  EXPECT_EQ(template_values(edited, order, {}, "zh-CN", "").at("changed"),
            "商品、收货地址、gift_wrap");
  EXPECT_EQ(template_values(edited, order, {}, "en", "").at("changed"),
            "items, shipping address, gift_wrap");
}

TEST(TemplateValues, LongOrdersAreSummarised) {
  Order order = shipped_order();
  order.lines = {{"A", 1, 1}, {"B", 2, 1}, {"C", 3, 1}, {"D", 4, 1}, {"E", 5, 1}};
  DomainEvent event = events::order_created(order);
  EXPECT_EQ(template_values(event, order, {}, "zh-CN", "").at("items"),
            "A ×1、B ×2、C ×3等5种商品");
  EXPECT_EQ(template_values(event, order, {}, "en", "").at("items"),
            "A ×1, B ×2, C ×3, and 2 more");
}

TEST(TemplateValues, AlertsAboutStockNotificationsAndTickets) {
  Order no_order;
  auto low = template_values(events::stock_low("MUG", 4, 3, 10), no_order, {}, "zh-CN", "");
  EXPECT_EQ(low.at("sku"), "MUG");
  EXPECT_EQ(low.at("available"), "3");
  EXPECT_EQ(low.at("threshold"), "10");
  EXPECT_EQ(low.at("order_no"), "");
  EXPECT_EQ(low.at("total"), "");
  EXPECT_EQ(low.at("order_status"), "");

  auto moved = template_values(events::stock_transferred("MUG", "WH1-A", "WH2-B", 6), no_order, {},
                               "en", "");
  EXPECT_EQ(moved.at("from_location"), "WH1-A");
  EXPECT_EQ(moved.at("to_location"), "WH2-B");
  EXPECT_EQ(moved.at("quantity"), "6");
  EXPECT_EQ(template_values(events::product_created("MUG", "马克杯"), no_order, {}, "en", "")
                .at("product_name"),
            "马克杯");

  Order order = shipped_order();
  DomainEvent dead = events::notification_dead(order, 91, "shipment.created", "sms,email", 15);
  auto zh = template_values(dead, order, {}, "zh-CN", "");
  EXPECT_EQ(zh.at("notified_event"), "发货");
  EXPECT_EQ(zh.at("channels"), "短信、邮件");
  EXPECT_EQ(zh.at("ticket_id"), "15");
  auto en = template_values(dead, order, {}, "en", "");
  EXPECT_EQ(en.at("notified_event"), "shipping confirmation");
  EXPECT_EQ(en.at("channels"), "SMS, email");
  auto rendered =
      render_template(default_template(EventType::notification_dead, ChannelKind::sms, "en"), en);
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(rendered->text,
            "The shipping confirmation for order D20241125001 could not be delivered (tried: SMS, "
            "email). Ticket #15 is open. Please contact the customer.");

  auto ticket = template_values(events::ticket_opened(order, 16, "complaint", "包裹破损"), order,
                                {}, "zh-CN", "");
  EXPECT_EQ(ticket.at("ticket_id"), "16");
  EXPECT_EQ(ticket.at("ticket_kind"), "complaint");
  EXPECT_EQ(ticket.at("ticket_subject"), "包裹破损");
}

TEST(TemplateValues, TrackingEventsTellTheParcelsNews) {
  Order order = shipped_order();
  Checkpoint scan{ParcelStatus::out_for_delivery, "快件正在派送", from_millis(1795320000000),
                  "杭州市", "5"};
  DomainEvent event = events::tracking_update(EventType::tracking_out_for_delivery, order, 7, "SF",
                                              "SF1234567890123", scan, std::nullopt);
  auto zh = template_values(event, order, std::nullopt, "zh-CN", kLink);
  EXPECT_EQ(zh.at("tracking_status"), "派送中");
  EXPECT_EQ(zh.at("tracking_text"), "快件正在派送");
  EXPECT_EQ(zh.at("tracking_location"), "杭州市");
  EXPECT_EQ(zh.at("carrier_name"), "顺丰速运");
  EXPECT_FALSE(zh.at("tracking_at").empty());
  auto en = template_values(event, order, std::nullopt, "en", kLink);
  EXPECT_EQ(en.at("tracking_status"), "out for delivery");
  auto stalled = template_values(
      events::tracking_stalled(order, 7, "SF", "SF1234567890123", from_millis(1795320000000), 48),
      order, std::nullopt, "zh-CN", kLink);
  EXPECT_EQ(stalled.at("stall_hours"), "48");
}

}  // namespace
}  // namespace depot
