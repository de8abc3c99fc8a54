#include "app/audit.h"

#include <gtest/gtest.h>

#include "app/settings_changes.h"

namespace depot {
namespace {

TEST(AuditObject, NamesAKindAndAKey) {
  EXPECT_EQ(audit_object("order", std::int64_t{12}), "order:12");
  EXPECT_EQ(audit_object("product", std::string_view("MUG-RED")), "product:MUG-RED");
  for (std::string_view good : {"settings", "order:12", "product:MUG-RED.v2", "channel_account:sms",
                                "template:shipment.created/sms/zh-CN", "location:main/A-1"}) {
    EXPECT_TRUE(is_valid_audit_object(good)) << good;
  }
  for (std::string_view bad : {"", "Order:12", "order 12", "order:", ":12", "order:12:3",
                               "order:12?", "order:一", "x:y z"}) {
    EXPECT_FALSE(is_valid_audit_object(bad)) << bad;
  }
  EXPECT_TRUE(is_valid_audit_object(std::string(32, 'k')));
  EXPECT_FALSE(is_valid_audit_object(std::string(33, 'k')));
  EXPECT_TRUE(is_valid_audit_object("k:" + std::string(128, 'a')));
  EXPECT_FALSE(is_valid_audit_object("k:" + std::string(129, 'a')));
}

TEST(ContactDisclosure, OwnersAndServiceSeeAllOperatorsTheOrderPageViewersNothing) {
  for (ContactView view : {ContactView::list, ContactView::record}) {
    EXPECT_EQ(contact_disclosure(Role::owner, view), Disclosure::full);
    EXPECT_EQ(contact_disclosure(Role::service, view), Disclosure::full);
    EXPECT_EQ(contact_disclosure(Role::viewer, view), Disclosure::masked);
  }
  EXPECT_EQ(contact_disclosure(Role::operator_, ContactView::list), Disclosure::masked);
  EXPECT_EQ(contact_disclosure(Role::operator_, ContactView::record), Disclosure::full);
}

TEST(ReadAudit, EveryoneButViewers) {
  EXPECT_TRUE(allows(Role::owner, Permission::read_audit));
  EXPECT_TRUE(allows(Role::operator_, Permission::read_audit));
  EXPECT_TRUE(allows(Role::service, Permission::read_audit));
  EXPECT_FALSE(allows(Role::viewer, Permission::read_audit));
}

TEST(SettingsChanges, NamesEachChangedSettingAsTheApiDoes) {
  MerchantSettings before;
  MerchantSettings after = before;
  EXPECT_TRUE(settings_changes(before, after).empty());
  after.edit_window_seconds = 600;
  after.ship.sla_hours_by_platform = {{"taobao", 24}};
  after.notify.default_channels = {ChannelKind::email};
  after.notify.alert_contacts = {{ChannelKind::email, "ops@example.com"}};
  after.reports.service_level = 0.99;
  std::vector<FieldChange> changes = settings_changes(before, after);
  ASSERT_EQ(changes.size(), 5u);
  EXPECT_EQ(changes[0], (FieldChange{"edit_window_seconds", "1800", "600"}));
  EXPECT_EQ(changes[1], (FieldChange{"ship_sla_hours_by_platform", "", "taobao=24"}));
  EXPECT_EQ(changes[2], (FieldChange{"default_channels", "sms, wechat, push, email", "email"}));
  EXPECT_EQ(changes[3], (FieldChange{"alert_contacts", "", "email:ops@example.com"}));
  EXPECT_EQ(changes[4], (FieldChange{"reports.service_level", "0.95", "0.99"}));
}

}  // namespace
}  // namespace depot
