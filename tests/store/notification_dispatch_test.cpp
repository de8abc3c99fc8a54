// Dispatch at speed against a real store: outcomes recorded many in one write, a late answer that
// a delivery report overtook, webhook payloads encoded when sent rather than stored, and each
// channel's own cap on sends in flight in the worker, and each merchant's share of it.
#include <atomic>

#include "app/template_html.h"
#include "store/notification_fixture.h"
#include "workers/notification_worker.h"

namespace depot {
namespace {

using std::chrono::milliseconds;
using testing::eventually;
using testing::wait;

class NotificationDispatchTest : public NotificationFlowTest {
 protected:
  std::vector<DeliveryStatus> statuses(const std::vector<Order>& shipped) {
    std::vector<DeliveryStatus> found;
    for (const Order& order : shipped) found.push_back(notifications_of(order.id).at(0).status);
    return found;
  }

  void add_webhook() {
    ChannelAccountInput input;
    input.fields = {{"url", "http://127.0.0.1:9/hooks"}, {"secret", "whsec_c2VjcmV0"}};
    ASSERT_OK((wait<std::pair<ChannelAccountView, bool>>(
        [&](auto done) { accounts.put(actor, ChannelKind::webhook, input, done); })));
  }
};

TEST_P(NotificationDispatchTest, OutcomesWaitForOneWriteThatRecordsManyOfThem) {
  std::vector<Order> shipped;
  for (int i = 0; i < 3; ++i) shipped.push_back(shipped_order(customer()));
  plan();
  std::atomic<int> writes = 0;
  sender.on_writer_time([&writes](std::chrono::nanoseconds) { ++writes; });
  sender.batch_outcomes(true);

  ASSERT_EQ(started_in_all(sender.send_due(actor.tenant_id, kBothChannels)), 3);
  EXPECT_EQ(writes.load(), 1);  // the claim
  ASSERT_EQ(sms.received().size(), 3u);
  // Answered, not yet written: still in flight, still sending, and not claimed again.
  EXPECT_EQ(sender.in_flight(), 3);
  EXPECT_EQ(sender.in_flight(ChannelKind::sms), 3);
  EXPECT_TRUE(sender.outcomes_to_record());
  EXPECT_EQ(statuses(shipped), std::vector<DeliveryStatus>(3, DeliveryStatus::sending));
  EXPECT_EQ(started_in_all(sender.send_due(actor.tenant_id, kBothChannels)), 0);

  EXPECT_EQ(sender.record_outcomes(2), 2);
  ASSERT_TRUE(eventually([&] { return sender.in_flight() == 1; }));
  EXPECT_EQ(writes.load(), 2);  // two outcomes, one write
  EXPECT_EQ(statuses(shipped),
            (std::vector{DeliveryStatus::sent, DeliveryStatus::sent, DeliveryStatus::sending}));

  EXPECT_EQ(sender.record_outcomes(100), 1);
  ASSERT_TRUE(eventually([&] { return sender.in_flight() == 0; }));
  EXPECT_FALSE(sender.outcomes_to_record());
  EXPECT_EQ(writes.load(), 3);
  EXPECT_EQ(statuses(shipped), std::vector<DeliveryStatus>(3, DeliveryStatus::sent));
  auto detail = service.find(actor, notifications_of(shipped[0].id)[0].id);
  ASSERT_OK(detail);
  ASSERT_EQ(detail->attempts.size(), 1u);
  EXPECT_EQ(detail->attempts[0].outcome, "sent");
  EXPECT_EQ(detail->notification.attempts, 1);
}

TEST_P(NotificationDispatchTest, TurningBatchingOffWritesTheOutcomesWaiting) {
  Order order = shipped_order(customer());
  plan();
  sender.batch_outcomes(true);
  ASSERT_EQ(started_in_all(sender.send_due(actor.tenant_id, kBothChannels)), 1);
  EXPECT_EQ(sender.in_flight(), 1);
  sender.batch_outcomes(false);  // the worker stopped: nobody will call record_outcomes()
  ASSERT_TRUE(eventually([&] { return sender.in_flight() == 0; }));
  EXPECT_EQ(notifications_of(order.id)[0].status, DeliveryStatus::sent);
}

TEST_P(NotificationDispatchTest, AnAnswerThatADeliveryReportOvertookChangesNothing) {
  Order order = shipped_order(customer());
  plan();
  sms.hold(true);
  ASSERT_EQ(started_in_all(sender.send_due(actor.tenant_id, kBothChannels)), 1);
  Notification sending = notifications_of(order.id)[0];
  ASSERT_EQ(sending.status, DeliveryStatus::sending);
  std::string token;
  auto views = accounts.list(actor);
  ASSERT_OK(views);
  for (const ChannelAccountView& v : *views) {
    if (v.account.kind == ChannelKind::sms)
      token = v.report_path.substr(v.report_path.rfind('/') + 1);
  }
  ASSERT_OK(wait<int>([&](auto done) {
    service.record_reports(actor.tenant_id, token, {{sending.key, true, "DELIVERED", ""}}, done);
  }));

  sms.release();
  ASSERT_TRUE(eventually([&] { return sender.in_flight() == 0; }));
  auto detail = service.find(actor, sending.id);
  ASSERT_OK(detail);
  EXPECT_EQ(detail->notification.status, DeliveryStatus::delivered);
  ASSERT_EQ(detail->attempts.size(), 1u);
  EXPECT_EQ(detail->attempts[0].outcome, "delivered");
}

TEST_P(NotificationDispatchTest, AWebhookCarriesItsEventEncodedWhenSentNotAsStored) {
  add_webhook();
  Order order = shipped_order(customer());
  plan();
  NotificationQuery query;
  query.order_id = order.id;
  query.channel = ChannelKind::webhook;
  std::vector<Notification> stored = store.read(actor.tenant_id)->list_notifications(query);
  ASSERT_FALSE(stored.empty());
  for (const Notification& n : stored) EXPECT_EQ(n.message.payload, "") << n.key;

  ScriptedChannel webhook;
  NotificationSender webhooks{store, clock, composer, {{ChannelKind::webhook, &webhook}}, "node-a"};
  auto started = webhooks.send_due(actor.tenant_id, {{ChannelKind::webhook, 100}});
  ASSERT_OK(started);
  ASSERT_TRUE(eventually([&] { return webhooks.in_flight() == 0; }));
  std::map<std::string, std::string> sent;
  for (const OutgoingMessage& m : webhook.received()) sent[m.key] = m.payload;
  for (const Notification& n : stored) {
    // The fixture's composer encodes an event as its id.
    EXPECT_EQ(sent[n.key], std::to_string(n.event_id)) << n.key;
    auto detail = service.find(actor, n.id);
    ASSERT_OK(detail);
    EXPECT_EQ(detail->notification.message.payload, std::to_string(n.event_id));
    EXPECT_EQ(detail->notification.status, DeliveryStatus::sent);
  }
}

TEST_P(NotificationDispatchTest, AnEmailsHtmlPartIsMadeFromItsTextWhenSent) {
  Customer by_email = customer();
  by_email.preferred_channels = {"email"};
  Order order = shipped_order(by_email);
  plan();
  Notification stored = notifications_of(order.id).at(0);
  ASSERT_EQ(stored.channel, ChannelKind::email);
  EXPECT_EQ(stored.message.html, "");
  EXPECT_EQ(send(), 1);
  ASSERT_EQ(email.received().size(), 1u);
  EXPECT_EQ(email.received()[0].html,
            text_to_html(email.received()[0].subject, email.received()[0].text));
  EXPECT_NE(email.received()[0].html.find("SF1234567890123"), std::string::npos);
}

TEST_P(NotificationDispatchTest, ASlowChannelFillsOnlyItsOwnPlaces) {
  std::vector<Order> by_email;
  std::vector<Order> by_sms;
  for (int i = 0; i < 4; ++i) {
    Customer c = customer();
    c.preferred_channels = {"email"};
    by_email.push_back(shipped_order(c));
    c.preferred_channels = {"sms"};
    by_sms.push_back(shipped_order(c));
  }
  email.hold(true);  // the mail server takes its time
  workers::NotificationWorkerOptions options;
  options.max_in_flight = {{ChannelKind::email, 2}, {ChannelKind::sms, 3}};
  options.merchant_share = 1;  // one merchant here: it may hold every place
  workers::NotificationWorker worker(store, dispatcher, sender, options);
  worker.start();

  ASSERT_TRUE(eventually([&] { return sms.received().size() == 4 && email.held() == 2; }));
  std::this_thread::sleep_for(milliseconds(100));  // time enough to claim more, were it allowed
  EXPECT_EQ(email.received().size(), 2u);
  EXPECT_EQ(sender.in_flight(ChannelKind::email), 2);
  EXPECT_EQ(statuses(by_sms), std::vector<DeliveryStatus>(4, DeliveryStatus::sent));

  email.hold(false);
  email.release();
  ASSERT_TRUE(eventually([&] { return email.received().size() == 4; }));
  ASSERT_TRUE(eventually(
      [&] { return statuses(by_email) == std::vector<DeliveryStatus>(4, DeliveryStatus::sent); }));
  worker.stop();
}

TEST_P(NotificationDispatchTest, AMerchantWhoseMailServerHangsFillsOnlyItsShareOfTheChannel) {
  Actor other = add_merchant("other");
  std::vector<Order> mine;
  for (int i = 0; i < 4; ++i) {
    Customer c = customer("zhang" + std::to_string(i) + "@example.com");
    c.preferred_channels = {"email"};
    mine.push_back(shipped_order(c));
  }
  Customer theirs = customer("li@example.com");
  theirs.preferred_channels = {"email"};
  shipped_order(other, theirs);
  email.hold(true);  // no mail server answers: every send stays in flight
  workers::NotificationWorkerOptions options;
  options.max_in_flight = {{ChannelKind::email, 4}, {ChannelKind::sms, 4}};
  options.merchant_share = 0.5;
  workers::NotificationWorker worker(store, dispatcher, sender, options);
  worker.start();

  // The first merchant's mails take its two places; the other merchant's mail still goes out.
  auto reached = [&](const std::string& recipient) {
    for (const OutgoingMessage& m : email.received()) {
      if (m.recipient == recipient) return true;
    }
    return false;
  };
  ASSERT_TRUE(eventually([&] { return email.held() == 3 && reached("li@example.com"); }));
  std::this_thread::sleep_for(milliseconds(100));  // time enough to claim more, were it allowed
  EXPECT_EQ(email.held(), 3u);
  EXPECT_EQ(sender.in_flight(actor.tenant_id, ChannelKind::email), 2);
  EXPECT_EQ(sender.in_flight(other.tenant_id, ChannelKind::email), 1);

  email.hold(false);
  email.release();
  ASSERT_TRUE(eventually([&] { return email.received().size() == 5; }));
  ASSERT_TRUE(eventually(
      [&] { return statuses(mine) == std::vector<DeliveryStatus>(4, DeliveryStatus::sent); }));
  worker.stop();
}

INSTANTIATE_TEST_SUITE_P(Stores, NotificationDispatchTest,
                         ::testing::Values(testing::StoreKind::sqlite,
                                           testing::StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
