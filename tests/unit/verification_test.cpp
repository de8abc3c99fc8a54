#include "domain/verification.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "domain/event_catalog.h"
#include "domain/order_state_machine.h"

namespace depot {
namespace {

Instant at(int seconds) { return Instant{std::chrono::seconds{seconds}}; }

Order paid_order() {
  Order order;
  order.id = 7;
  order.order_no = "D2026112300000007";
  order.status = OrderStatus::awaiting_shipment;
  order.lines = {{"MUG", 2, 1000}, {"TEA", 1, 500}};
  order.total = order.paid_amount = 2500;
  order.customer = {"李四", "13800138000", "", "", "", {}};
  order.shipping_address = {"上海", "上海", "浦东", "世纪大道 1 号", "200120", {}, {}, {}};
  normalise_address(order.shipping_address);
  return order;
}

VerificationFacts covered() {
  VerificationFacts facts;
  facts.reserved = {{"MUG", 2}, {"TEA", 1}};
  return facts;
}

std::vector<std::string> codes(const std::vector<HoldReason>& reasons) {
  std::vector<std::string> out;
  for (const HoldReason& r : reasons) out.push_back(r.code);
  return out;
}

TEST(Verification, AGoodPaidOrderPasses) {
  Order order = paid_order();
  EXPECT_EQ(order.shipping_address.district, "浦东新区");
  EXPECT_EQ(order.shipping_address.district_code, "310115");
  EXPECT_TRUE(verify_order(order, covered()).empty());
}

TEST(Verification, EachCheckNamesItsCodeAndField) {
  Order order = paid_order();
  order.paid_amount = 1000;
  order.customer.phone = "12345";
  order.shipping_address.district = "朝阳区";
  order.shipping_address.detail = " ";
  order.shipping_address.postcode = "900000";
  VerificationFacts facts = covered();
  facts.reserved["TEA"] = 0;
  facts.rule_matches = {{"rule.matched", "金额过大", "", 3}};
  auto reasons = verify_order(order, facts);
  EXPECT_EQ(codes(reasons), (std::vector<std::string>{
                                "payment.incomplete", "address.district_not_in_city",
                                "address.detail_missing", "address.postcode_invalid",
                                "customer.phone_invalid", "stock.not_reserved", "rule.matched"}));
  EXPECT_EQ(reasons[1].field, "shipping_address.district");
  EXPECT_EQ(reasons[4].field, "customer.phone");
  EXPECT_EQ(reasons.back().rule_id, 3);
}

TEST(Verification, ShippedUnitsNeedNoReservation) {
  Order order = paid_order();
  VerificationFacts facts;
  facts.reserved = {{"MUG", 1}};
  facts.shipped = {{"MUG", 1}, {"TEA", 1}};
  EXPECT_TRUE(verify_order(order, facts).empty());
}

TEST(Verification, TheGeocoderMustFindTheAddressInTheWrittenDistrict) {
  Order order = paid_order();
  VerificationFacts facts = covered();
  facts.geocode = GeocodeAnswer{true, "310115", "上海市浦东新区世纪大道1号", "门牌号"};
  EXPECT_TRUE(verify_order(order, facts).empty());
  facts.geocode = GeocodeAnswer{true, "310104", "上海市徐汇区", "区县"};
  EXPECT_EQ(codes(verify_order(order, facts)),
            std::vector<std::string>{"address.geocode_mismatch"});
  facts.geocode = GeocodeAnswer{false, "", "", ""};
  EXPECT_EQ(codes(verify_order(order, facts)), std::vector<std::string>{"address.not_found"});
}

TEST(Verification, OverriddenChecksNoLongerHold) {
  Order order = paid_order();
  order.customer.phone = "999";
  order.overrides = {"customer.phone_invalid"};
  EXPECT_TRUE(verify_order(order, covered()).empty());
}

TEST(Verification, EveryCodeIsCatalogued) {
  auto checks = verification_checks();
  for (const char* code :
       {"payment.incomplete", "address.district_not_in_city", "address.geocode_mismatch",
        "customer.phone_invalid", "stock.not_reserved", "rule.matched"}) {
    EXPECT_TRUE(std::any_of(checks.begin(), checks.end(), [&](const CheckInfo& c) {
      return c.code == code;
    })) << code;
  }
}

TEST(Verification, MainlandPhones) {
  for (const char* good : {"13800138000", "+8613800138000", "+86 13800138000", "19912345678",
                           "010-62345678", "01062345678", "021 87654321", "0571-8765432",
                           "0571-87654321", "0571-87654321-123", "010-62345678转8001"}) {
    EXPECT_TRUE(is_mainland_phone(good)) << good;
  }
  for (const char* bad :
       {"", "12800138000", "1380013800", "138001380001", "138-0013-8000", "12345", "010-1234567",
        "0571-0765432", "abc", "+1 4155550100", "0571-87654321-1234567", "05718765"}) {
    EXPECT_FALSE(is_mainland_phone(bad)) << bad;
  }
}

TEST(Verification, Postcodes) {
  EXPECT_TRUE(is_plausible_postcode("200120"));
  EXPECT_TRUE(is_plausible_postcode("830000"));
  for (const char* bad : {"", "20012", "2001200", "900000", "000000", "20O120"}) {
    EXPECT_FALSE(is_plausible_postcode(bad)) << bad;
  }
}

TEST(Verification, SettlingHoldsThenReleasesOnlyWhenAllowed) {
  Order order = paid_order();
  std::vector<HoldReason> reasons = {{"customer.phone_invalid", "bad phone", "customer.phone", 0}};
  EXPECT_EQ(settle_verification(order, reasons, false, {}, "op", at(1)), HoldChange::held);
  EXPECT_EQ(order.status, OrderStatus::on_hold);
  EXPECT_EQ(order.hold_reasons, reasons);
  EXPECT_EQ(settle_verification(order, reasons, false, {}, "op", at(2)), HoldChange::none);
  EXPECT_EQ(settle_verification(order, {}, false, {}, "op", at(3)), HoldChange::none);
  EXPECT_EQ(order.status, OrderStatus::on_hold);
  EXPECT_EQ(settle_verification(order, {}, true, {{"MUG", 1}}, "op", at(4)), HoldChange::released);
  EXPECT_EQ(order.status, OrderStatus::partially_shipped);
  EXPECT_TRUE(order.hold_reasons.empty());
}

TEST(Verification, UnpaidAndShippedOrdersAreLeftAlone) {
  Order order = paid_order();
  order.status = OrderStatus::pending_payment;
  EXPECT_EQ(settle_verification(order, {{"x", "y", "", 0}}, true, {}, "op", at(1)),
            HoldChange::none);
  order.status = OrderStatus::shipped;
  EXPECT_EQ(settle_verification(order, {{"x", "y", "", 0}}, true, {}, "op", at(1)),
            HoldChange::none);
}

TEST(EventCatalog, NamesAreUniqueAndRoundTrip) {
  std::vector<std::string_view> names;
  for (const EventTypeInfo& info : event_catalog()) {
    EXPECT_EQ(parse_event_type(info.name), info.type);
    EXPECT_EQ(to_string(info.type), info.name);
    names.push_back(info.name);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  EXPECT_FALSE(parse_event_type("order.unknown"));
}

TEST(EventCatalog, HeldEventCarriesTheReasons) {
  Order order = paid_order();
  order.hold_reasons = {{"a.b", "first", "", 0}, {"c.d", "second", "", 0}};
  DomainEvent held = events::order_held(order);
  EXPECT_EQ(held.type, EventType::order_held);
  EXPECT_EQ(std::get<std::string>(held.data[1].second), "a.b,c.d");
  EXPECT_EQ(std::get<std::string>(held.data[2].second), "first; second");
}

}  // namespace
}  // namespace depot
