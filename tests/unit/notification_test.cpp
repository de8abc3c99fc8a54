#include "domain/notification.h"

#include <gtest/gtest.h>

namespace depot {
namespace {

using std::chrono::milliseconds;

constexpr ChannelKind kMerchantOrder[] = {ChannelKind::sms, ChannelKind::wechat, ChannelKind::push,
                                          ChannelKind::email};

Customer everywhere() {
  Customer c;
  c.name = "张伟";
  c.phone = "13800138000";
  c.email = "zhang@example.com";
  c.wechat_openid = "oAbc123";
  c.device_token = "1a0018970a";
  return c;
}

TEST(ChooseChannels, PreferenceComesFirstThenTheMerchantsOrderAsFallbacks) {
  Customer c = everywhere();
  c.preferred_channels = {"email", "push"};
  EXPECT_EQ(
      choose_channels(c, {}, kMerchantOrder, kMerchantOrder),
      (std::vector{ChannelKind::email, ChannelKind::push, ChannelKind::sms, ChannelKind::wechat}));
}

TEST(ChooseChannels, PreferenceOutranksABetterHistory) {
  Customer c = everywhere();
  c.preferred_channels = {"wechat"};
  ChannelRecord history[] = {{ChannelKind::sms, 10, 10}, {ChannelKind::wechat, 10, 1}};
  EXPECT_EQ(choose_channels(c, history, kMerchantOrder, kMerchantOrder).front(),
            ChannelKind::wechat);
}

TEST(ChooseChannels, WithoutPreferenceTheBestRecordWins) {
  Customer c = everywhere();
  ChannelRecord history[] = {{ChannelKind::sms, 4, 1}, {ChannelKind::email, 3, 3}};
  EXPECT_EQ(
      choose_channels(c, history, kMerchantOrder, kMerchantOrder),
      (std::vector{ChannelKind::email, ChannelKind::sms, ChannelKind::wechat, ChannelKind::push}));
}

TEST(ChooseChannels, EqualRecordsGoToTheMerchantsOrder) {
  Customer c = everywhere();
  ChannelRecord history[] = {{ChannelKind::email, 2, 2}, {ChannelKind::push, 5, 5}};
  EXPECT_EQ(choose_channels(c, history, kMerchantOrder, kMerchantOrder).front(), ChannelKind::push);
}

TEST(ChooseChannels, AHistoryOfOnlyFailuresDoesNotChoose) {
  Customer c = everywhere();
  ChannelRecord history[] = {{ChannelKind::email, 3, 0}};
  EXPECT_EQ(choose_channels(c, history, kMerchantOrder, kMerchantOrder).front(), ChannelKind::sms);
}

TEST(ChooseChannels, WithNeitherTheMerchantsOrderDecides) {
  EXPECT_EQ(choose_channels(everywhere(), {}, kMerchantOrder, kMerchantOrder),
            (std::vector<ChannelKind>(std::begin(kMerchantOrder), std::end(kMerchantOrder))));
}

TEST(ChooseChannels, SkipsChannelsWithoutAnAddressOrAnAccount) {
  Customer c = everywhere();
  c.wechat_openid.clear();
  c.device_token.clear();
  c.preferred_channels = {"wechat", "push"};
  constexpr ChannelKind configured[] = {ChannelKind::email, ChannelKind::wechat, ChannelKind::push};
  EXPECT_EQ(choose_channels(c, {}, kMerchantOrder, configured), (std::vector{ChannelKind::email}));
  ChannelRecord history[] = {{ChannelKind::sms, 5, 5}};  // best record, but no SMS account
  EXPECT_EQ(choose_channels(c, history, kMerchantOrder, configured),
            (std::vector{ChannelKind::email}));
}

TEST(ChooseChannels, NobodyToTellIsEmpty) {
  Customer c;
  c.name = "无联系方式";
  EXPECT_TRUE(choose_channels(c, {}, kMerchantOrder, kMerchantOrder).empty());
}

TEST(ChooseChannels, WebhooksAreNeverACustomerChannel) {
  Customer c = everywhere();
  c.preferred_channels = {"webhook"};
  constexpr ChannelKind order[] = {ChannelKind::webhook, ChannelKind::email};
  EXPECT_EQ(choose_channels(c, {}, order, order), (std::vector{ChannelKind::email}));
}

TEST(RetryDelay, DoublesFromTheBaseWithBoundedJitter) {
  milliseconds base(1000);
  EXPECT_EQ(retry_delay(1, base, 0.5, std::nullopt), milliseconds(1000));
  EXPECT_EQ(retry_delay(2, base, 0.5, std::nullopt), milliseconds(2000));
  EXPECT_EQ(retry_delay(3, base, 0.5, std::nullopt), milliseconds(4000));
  EXPECT_EQ(retry_delay(1, base, 0.0, std::nullopt), milliseconds(800));
  EXPECT_EQ(retry_delay(1, base, 1.0, std::nullopt), milliseconds(1200));
}

TEST(RetryDelay, EachGapIsLongerThanTheOneBeforeWhateverTheJitter) {
  milliseconds base(30000);
  for (int attempt = 1; attempt + 1 < kMaxAttempts; ++attempt) {
    EXPECT_LT(*retry_delay(attempt, base, 1.0, std::nullopt),
              *retry_delay(attempt + 1, base, 0.0, std::nullopt));
  }
}

TEST(RetryDelay, OneTryAndThreeRetries) {
  EXPECT_TRUE(retry_delay(3, milliseconds(10), 0.5, std::nullopt).has_value());
  EXPECT_FALSE(retry_delay(4, milliseconds(10), 0.5, std::nullopt).has_value());
}

TEST(RetryDelay, HonoursRetryAfterWhenItIsLonger) {
  EXPECT_EQ(retry_delay(1, milliseconds(100), 0.5, milliseconds(5000)), milliseconds(5000));
  EXPECT_EQ(retry_delay(1, milliseconds(100), 0.5, milliseconds(10)), milliseconds(100));
}

TEST(DeliveryKey, NamesMerchantEventChannelAndRecipient) {
  std::string key = delivery_key(7, 42, ChannelKind::sms, "13800138000");
  EXPECT_TRUE(key.starts_with("depot-7-42-sms-")) << key;
  EXPECT_EQ(key, delivery_key(7, 42, ChannelKind::sms, "13800138000"));
  EXPECT_NE(key, delivery_key(7, 42, ChannelKind::sms, "13900139000"));
  EXPECT_NE(key, delivery_key(7, 42, ChannelKind::email, "13800138000"));
  EXPECT_NE(key, delivery_key(8, 42, ChannelKind::sms, "13800138000"));
  EXPECT_EQ(resend_key(key, 2), key + "-r2");
}

TEST(MaskRecipient, ShowsEnoughToRecogniseAndNoMore) {
  EXPECT_EQ(mask_recipient(ChannelKind::sms, "13800138000"), "138****8000");
  EXPECT_EQ(mask_recipient(ChannelKind::email, "zhang@example.com"), "z***@example.com");
  EXPECT_EQ(mask_recipient(ChannelKind::email, "张伟@example.com"), "张***@example.com");
  EXPECT_EQ(mask_recipient(ChannelKind::wechat, "oAbc123456"), "oAbc…");
  EXPECT_EQ(mask_recipient(ChannelKind::webhook, "https://user:pw@hooks.example.com/in?t=secret"),
            "https://hooks.example.com");
  EXPECT_EQ(mask_recipient(ChannelKind::platform, "https://shop.example.com/depot/shipped?t=1"),
            "https://shop.example.com");
}

TEST(Channels, OnlyCustomerChannelsTellPeople) {
  for (ChannelKind kind : kCustomerChannels) EXPECT_TRUE(is_customer_channel(kind));
  EXPECT_FALSE(is_customer_channel(ChannelKind::webhook));
  EXPECT_FALSE(is_customer_channel(ChannelKind::platform));
  Customer customer;
  customer.phone = "13800138000";
  customer.preferred_channels = {"platform", "webhook", "sms"};
  constexpr ChannelKind configured[] = {ChannelKind::sms, ChannelKind::webhook,
                                        ChannelKind::platform};
  EXPECT_EQ(choose_channels(customer, {}, configured, configured),
            std::vector<ChannelKind>{ChannelKind::sms});
}

TEST(Channels, NamesRoundTrip) {
  for (ChannelKind kind : kChannels) EXPECT_EQ(parse_channel_kind(to_string(kind)), kind);
  EXPECT_EQ(parse_channel_kind("platform"), ChannelKind::platform);
  EXPECT_FALSE(parse_channel_kind("fax"));
  for (DeliveryStatus status :
       {DeliveryStatus::queued, DeliveryStatus::sending, DeliveryStatus::sent,
        DeliveryStatus::delivered, DeliveryStatus::failed, DeliveryStatus::dead}) {
    EXPECT_EQ(parse_delivery_status(to_string(status)), status);
  }
  EXPECT_TRUE(is_final(DeliveryStatus::dead));
  EXPECT_FALSE(is_final(DeliveryStatus::failed));
}

TEST(AlertEvents, AreTheOnesTheMerchantMustSee) {
  EXPECT_TRUE(is_alert_event(EventType::stock_low));
  EXPECT_TRUE(is_alert_event(EventType::order_held));
  EXPECT_TRUE(is_alert_event(EventType::shipment_overdue));
  EXPECT_TRUE(is_alert_event(EventType::notification_dead));
  EXPECT_FALSE(is_alert_event(EventType::order_created));
  EXPECT_FALSE(is_alert_event(EventType::shipment_created));
}

}  // namespace
}  // namespace depot
