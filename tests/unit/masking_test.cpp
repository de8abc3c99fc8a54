#include "domain/masking.h"

#include <gtest/gtest.h>

namespace depot {
namespace {

TEST(MaskPhone, ShowsTheFirstThreeAndLastFourDigits) {
  EXPECT_EQ(mask_phone("13800138001"), "138****8001");
  EXPECT_EQ(mask_phone("138-0013-8001"), "138****8001");
  EXPECT_EQ(mask_phone(" 138 0013 8001 "), "138****8001");
  EXPECT_EQ(mask_phone("010-62345678"), "010****5678");
}

TEST(MaskPhone, KeepsChinasCountryCodeApart) {
  EXPECT_EQ(mask_phone("+8613800138001"), "+86 138****8001");
  EXPECT_EQ(mask_phone("+86 138 0013 8001"), "+86 138****8001");
  EXPECT_EQ(mask_phone("008613800138001"), "+86 138****8001");
  EXPECT_EQ(mask_phone("8613800138001"), "+86 138****8001");
}

TEST(MaskPhone, ShortOrOddInputShowsNoDigits) {
  EXPECT_EQ(mask_phone("12345"), "***");
  EXPECT_EQ(mask_phone("123456"), "***");
  EXPECT_EQ(mask_phone("not a phone"), "***");
  EXPECT_EQ(mask_phone("+86"), "***");
  EXPECT_EQ(mask_phone(""), "");
  EXPECT_EQ(mask_phone("   "), "");
  // Seven digits is the fewest that still hides something between the ends.
  EXPECT_EQ(mask_phone("1234567"), "123****4567");
}

TEST(MaskEmail, KeepsTheFirstCharacterAndTheDomain) {
  EXPECT_EQ(mask_email("li@example.com"), "l***@example.com");
  EXPECT_EQ(mask_email("张伟@example.com"), "张***@example.com");
  EXPECT_EQ(mask_email("a@b"), "a***@b");
  EXPECT_EQ(mask_email("no-at-sign"), "***");
  EXPECT_EQ(mask_email("@example.com"), "***");
  EXPECT_EQ(mask_email(""), "");
}

TEST(MaskAddress, KeepsTheDivisionsAndMasksTheDetail) {
  Address address{"广东省", "深圳市", "南山区", "科技园南路88号2栋301",
                  "518057", "440000", "440300", "440305"};
  Address masked = mask_address(address);
  EXPECT_EQ(masked.province, "广东省");
  EXPECT_EQ(masked.city, "深圳市");
  EXPECT_EQ(masked.district, "南山区");
  EXPECT_EQ(masked.detail, "***");
  EXPECT_EQ(masked.postcode, "518057");
  EXPECT_EQ(masked.district_code, "440305");
  EXPECT_EQ(mask_address_detail("1"), "***");
  EXPECT_EQ(mask_address_detail(""), "");
}

TEST(MaskCustomer, MasksEveryContactDetailAndKeepsPreferences) {
  Customer customer{"张三丰", "13800138001", "zhang@example.com", "oAbcdefghijk", "1a0018970a2b3c",
                    {"sms"},  "en"};
  Customer masked = mask_customer(customer);
  EXPECT_EQ(masked.name, "张**");
  EXPECT_EQ(masked.phone, "138****8001");
  EXPECT_EQ(masked.email, "z***@example.com");
  EXPECT_EQ(masked.wechat_openid, "oAbc…");
  EXPECT_EQ(masked.device_token, "1a00…");
  EXPECT_EQ(masked.preferred_channels, std::vector<std::string>{"sms"});
  EXPECT_EQ(masked.locale, "en");
  EXPECT_EQ(mask_customer(Customer{}).name, "");
  EXPECT_EQ(mask_customer(Customer{"x", "", "", "short", "", {}, "zh-CN"}).wechat_openid, "***");
}

TEST(Disclose, FullShowsTheValueAndMaskedMasksIt) {
  EXPECT_EQ(disclose_phone("13800138001", Disclosure::full), "13800138001");
  EXPECT_EQ(disclose_phone("13800138001", Disclosure::masked), "138****8001");
  EXPECT_EQ(disclose_email("li@example.com", Disclosure::full), "li@example.com");
  EXPECT_EQ(disclose_email("li@example.com", Disclosure::masked), "l***@example.com");
  Address address{"广东省", "深圳市", "南山区", "科技园南路88号", "", "", "", ""};
  EXPECT_EQ(disclose_address(address, Disclosure::full), address);
  EXPECT_EQ(disclose_address(address, Disclosure::masked).detail, "***");
  Customer customer{"李四", "13800138001", "", "", "", {}, "zh-CN"};
  EXPECT_EQ(disclose_customer(customer, Disclosure::full), customer);
  EXPECT_EQ(disclose_customer(customer, Disclosure::masked).phone, "138****8001");
}

TEST(DiscloseChange, MasksPersonalFieldsOnBothSides) {
  FieldChange phone{"customer.phone", "13800138001", "13900139002"};
  EXPECT_EQ(disclose_change(phone, Disclosure::full), phone);
  EXPECT_EQ(disclose_change(phone, Disclosure::masked),
            (FieldChange{"customer.phone", "138****8001", "139****9002"}));
  EXPECT_EQ(disclose_change({"customer.email", "", "li@example.com"}, Disclosure::masked),
            (FieldChange{"customer.email", "", "l***@example.com"}));
  EXPECT_EQ(disclose_change({"shipping_address.detail", "旧路1号", "新路2号"}, Disclosure::masked),
            (FieldChange{"shipping_address.detail", "***", "***"}));
  EXPECT_EQ(disclose_change({"customer.name", "张三", "李四"}, Disclosure::masked),
            (FieldChange{"customer.name", "张*", "李*"}));
  EXPECT_EQ(disclose_change({"phone", "", "13800138001"}, Disclosure::masked).after, "138****8001");
  EXPECT_EQ(
      disclose_change({"shipping_address", "上海市浦东新区世纪大道1号", ""}, Disclosure::masked),
      (FieldChange{"shipping_address", "***", ""}));
  EXPECT_EQ(disclose_change({"customer.wechat_openid", "", "oAbcdefghijk"}, Disclosure::masked),
            (FieldChange{"customer.wechat_openid", "", "oAbc…"}));
}

TEST(DiscloseChange, LeavesOtherFieldsAlone) {
  for (FieldChange change :
       {FieldChange{"status", "pending_payment", "cancelled"},
        FieldChange{"shipping_address.city", "深圳市", "广州市"},
        FieldChange{"name", "Mug", "Red mug"}, FieldChange{"total", "12.00", "24.00"}}) {
    EXPECT_EQ(disclose_change(change, Disclosure::masked), change);
  }
}

TEST(FieldChanges, AddOnlyWhatDiffersAndNeverASecret) {
  std::vector<FieldChange> changes;
  add_change(changes, "notes", "a", "a");
  add_change(changes, "notes", "a", "b");
  add_secret_change(changes, "secret", "s3cret", "s3cret");
  add_secret_change(changes, "secret", "old-secret", "new-secret");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], (FieldChange{"notes", "a", "b"}));
  EXPECT_EQ(changes[1], (FieldChange{"secret", "", "(changed)"}));
}

TEST(MoneyText, WritesYuanWithTwoDecimals) {
  EXPECT_EQ(money_text(0), "0.00");
  EXPECT_EQ(money_text(5), "0.05");
  EXPECT_EQ(money_text(12050), "120.50");
  EXPECT_EQ(money_text(-5), "-0.05");
  EXPECT_EQ(money_text(INT64_MIN), "-92233720368547758.08");
}

}  // namespace
}  // namespace depot
