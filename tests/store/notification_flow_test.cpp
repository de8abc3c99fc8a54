// The notification use cases against a real store with a fake clock and a scripted channel:
// planning once per event, the retry schedule, fallback to the next channel, one ticket when every
// channel dies, a send interrupted by a stop repeated under the same key, the sandbox, resends.
#include "store/notification_fixture.h"
#include "support/rerunning_store.h"

namespace depot {
namespace {

using std::chrono::milliseconds;
using testing::wait;

TEST_P(NotificationFlowTest, AShipmentIsPlannedOnceAndSentOnTheFirstChannel) {
  Order order = shipped_order(customer());
  plan();
  plan();
  std::vector<Notification> planned = notifications_of(order.id);
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].event, EventType::shipment_created);
  EXPECT_EQ(planned[0].channel, ChannelKind::sms);
  EXPECT_EQ(planned[0].fallbacks, (std::vector{ChannelKind::email}));
  EXPECT_NE(planned[0].message.text.find("顺丰速运"), std::string::npos);
  EXPECT_NE(planned[0].message.text.find("SF1234567890123"), std::string::npos);

  EXPECT_EQ(send(), 1);
  EXPECT_EQ(send(), 0);
  ASSERT_EQ(sms.received().size(), 1u);
  EXPECT_EQ(sms.received()[0].key, planned[0].key);
  Notification sent = notifications_of(order.id)[0];
  EXPECT_EQ(sent.status, DeliveryStatus::sent);
  EXPECT_EQ(sent.attempts, 1);
}

TEST_P(NotificationFlowTest, RetriesWithGrowingGapsThenFallsBackThenOpensOneTicket) {
  Order order = shipped_order(customer());
  plan();
  sms.answer(SendOutcome::Kind::retry_later, 4);
  email.answer(SendOutcome::Kind::retry_later, 4);

  std::vector<milliseconds> gaps;
  for (int attempt = 1; attempt <= 4; ++attempt) {
    ASSERT_EQ(send(), 1) << "attempt " << attempt;
    Notification n = notifications_of(order.id)[0];
    EXPECT_EQ(n.attempts, attempt);
    if (attempt < 4) {
      ASSERT_EQ(n.status, DeliveryStatus::failed);
      auto gap = std::chrono::duration_cast<milliseconds>(*n.next_attempt_at - clock.now());
      gaps.push_back(gap);
      clock.advance(gap - milliseconds(1));
      EXPECT_EQ(send(), 0) << "not due before its time";
      clock.advance(milliseconds(1));
    }
  }
  ASSERT_EQ(gaps.size(), 3u);
  EXPECT_LT(gaps[0], gaps[1]);
  EXPECT_LT(gaps[1], gaps[2]);
  EXPECT_GE(gaps[0], milliseconds(800));
  EXPECT_LE(gaps[0], milliseconds(1200));

  std::vector<Notification> now = notifications_of(order.id);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].status, DeliveryStatus::dead);
  EXPECT_EQ(now[1].channel, ChannelKind::email);

  for (int attempt = 1; attempt <= 4; ++attempt) {
    ASSERT_EQ(send(), 1);
    if (attempt < 4) clock.advance(std::chrono::hours(1));
  }
  now = notifications_of(order.id);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[1].status, DeliveryStatus::dead);

  TicketQuery query;
  query.order_id = order.id;
  auto tickets = store.read(actor.tenant_id)->list_tickets(query);
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].kind, "notification_failed");
  EXPECT_EQ(tickets[0].event_id, now[0].event_id);
  auto events = store.read(actor.tenant_id)->events_after(0, 500);
  int dead = 0;
  for (const EventRecord& r : events) dead += r.event.type == EventType::notification_dead;
  EXPECT_EQ(dead, 1);

  // The provider is back: a resend goes out under a new key.
  auto resent = wait<Notification>([&](auto done) { service.resend(actor, now[0].id, done); });
  ASSERT_OK(resent);
  EXPECT_EQ(resent->key, now[0].key + "-r1");
  EXPECT_EQ(send(), 1);
  auto detail = service.find(actor, resent->id);
  ASSERT_OK(detail);
  EXPECT_EQ(detail->notification.status, DeliveryStatus::sent);
  EXPECT_EQ(detail->notification.resend_of, now[0].id);
}

// Every write of planning and sending run twice, the first run undone, as PostgreSQL's store may
// after a serialisation failure: what is stored is what one run stores, and nothing goes out twice.
TEST_P(NotificationFlowTest, PlanningAndSendingAreSafeToRunAgain) {
  testing::RerunningStore twice(store);
  NotificationDispatcher planner{twice, clock, composer};
  NotificationSender sender_twice{
      twice, clock, composer, {{ChannelKind::sms, &sms}, {ChannelKind::email, &email}}, "node-a"};
  auto send_once_more = [&] {
    auto started = sender_twice.send_due(actor.tenant_id, kBothChannels);
    EXPECT_TRUE(started.ok());
    while (sender_twice.in_flight() > 0) std::this_thread::yield();
    sender_twice.wait_for_writes();
    return started.ok() ? started_in_all(started) : -1;
  };
  Order order = shipped_order(customer());
  for (;;) {
    Result<int> planned = planner.plan(actor.tenant_id);
    ASSERT_OK(planned);
    if (*planned == 0) break;
  }
  ASSERT_EQ(notifications_of(order.id).size(), 1u);

  sms.answer(SendOutcome::Kind::retry_later, 1);
  EXPECT_EQ(send_once_more(), 1);
  Notification n = notifications_of(order.id)[0];
  EXPECT_EQ(n.status, DeliveryStatus::failed);
  EXPECT_EQ(n.attempts, 1);
  ASSERT_TRUE(n.next_attempt_at);
  clock.advance(*n.next_attempt_at - clock.now());
  EXPECT_EQ(send_once_more(), 1);
  n = notifications_of(order.id)[0];
  EXPECT_EQ(n.status, DeliveryStatus::sent);
  EXPECT_EQ(n.attempts, 2);
  EXPECT_EQ(sms.received().size(), 2u);
  EXPECT_EQ(send_once_more(), 0);
  EXPECT_EQ(notifications_of(order.id).size(), 1u);
}

TEST_P(NotificationFlowTest, APermanentRefusalSkipsTheRetries) {
  Order order = shipped_order(customer());
  plan();
  sms.answer(SendOutcome::Kind::permanent, 1);
  EXPECT_EQ(send(), 1);
  std::vector<Notification> now = notifications_of(order.id);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].status, DeliveryStatus::dead);
  EXPECT_EQ(now[0].attempts, 1);
  EXPECT_EQ(send(), 1);
  EXPECT_EQ(notifications_of(order.id)[1].status, DeliveryStatus::sent);
}

TEST_P(NotificationFlowTest, ACustomerWithoutTheFallbacksAddressGetsATicketAtOnce) {
  Order order = shipped_order(customer(""));
  plan();
  ASSERT_EQ(notifications_of(order.id)[0].fallbacks, std::vector<ChannelKind>{});
  sms.answer(SendOutcome::Kind::permanent, 1);
  EXPECT_EQ(send(), 1);
  TicketQuery query;
  query.order_id = order.id;
  EXPECT_EQ(store.read(actor.tenant_id)->list_tickets(query).size(), 1u);
}

TEST_P(NotificationFlowTest, ASendInterruptedByAStopIsRepeatedUnderTheSameKey) {
  Order order = shipped_order(customer());
  plan();
  sms.hold(true);
  ASSERT_OK(sender.send_due(actor.tenant_id,
                            kBothChannels));  // claimed, never answered: the process dies
  ASSERT_EQ(notifications_of(order.id)[0].status, DeliveryStatus::sending);

  // The node's next process: the claim is released and the same message goes out with the same key.
  ScriptedChannel sms_after_restart;
  NotificationSender restarted{
      store, clock, composer, {{ChannelKind::sms, &sms_after_restart}}, "node-a"};
  ASSERT_OK(restarted.release_interrupted(actor.tenant_id));
  ASSERT_OK(restarted.send_due(actor.tenant_id, kBothChannels));
  while (restarted.in_flight() > 0) std::this_thread::yield();
  ASSERT_EQ(sms_after_restart.received().size(), 1u);
  EXPECT_EQ(sms_after_restart.received()[0].key, sms.received()[0].key);
  auto detail = service.find(actor, notifications_of(order.id)[0].id);
  ASSERT_OK(detail);
  EXPECT_EQ(detail->notification.status, DeliveryStatus::sent);
  EXPECT_EQ(detail->notification.attempts, 1);
  ASSERT_EQ(detail->attempts.size(), 2u);
  EXPECT_EQ(detail->attempts[0].outcome, "interrupted");
  EXPECT_EQ(detail->attempts[1].outcome, "sent");
}

// Two nodes on one store: the restart of one leaves the other's send in flight alone, until the
// other answers it or its lease ends.
TEST_P(NotificationFlowTest, ARestartedNodeLeavesTheSendsOfAnotherNodeInFlight) {
  Order order = shipped_order(customer());
  plan();
  sms.hold(true);
  ASSERT_OK(sender.send_due(actor.tenant_id, kBothChannels));  // node-a is sending it
  ASSERT_EQ(notifications_of(order.id)[0].claimed_by, "node-a");

  ScriptedChannel sms_of_b;
  NotificationSender node_b{store, clock, composer, {{ChannelKind::sms, &sms_of_b}}, "node-b"};
  auto released = node_b.release_interrupted(actor.tenant_id);
  ASSERT_OK(released);
  EXPECT_EQ(*released, 0);
  auto started = node_b.send_due(actor.tenant_id, kBothChannels);
  ASSERT_OK(started);
  EXPECT_EQ(started_in_all(started), 0);
  EXPECT_TRUE(sms_of_b.received().empty());

  clock.advance(std::chrono::minutes(3));  // node-a died mid-send: its lease ran out
  started = node_b.send_due(actor.tenant_id, kBothChannels);
  ASSERT_OK(started);
  EXPECT_EQ(started_in_all(started), 1);
  while (node_b.in_flight() > 0) std::this_thread::yield();
  ASSERT_EQ(sms_of_b.received().size(), 1u);
  EXPECT_EQ(sms_of_b.received()[0].key, sms.received()[0].key);
  Notification sent = notifications_of(order.id)[0];
  EXPECT_EQ(sent.status, DeliveryStatus::sent);
  EXPECT_EQ(sent.claimed_by, "node-b");
}

TEST_P(NotificationFlowTest, TheSandboxKeepsTheMessageInsteadOfSendingIt) {
  ChannelAccountInput sandbox;
  sandbox.sandbox = true;
  ASSERT_OK((wait<std::pair<ChannelAccountView, bool>>(
      [&](auto done) { accounts.put(actor, ChannelKind::sms, sandbox, done); })));
  Order order = shipped_order(customer());
  plan();
  EXPECT_EQ(send(), 1);
  EXPECT_TRUE(sms.received().empty());
  EXPECT_EQ(notifications_of(order.id)[0].status, DeliveryStatus::delivered);
  auto inbox = service.sandbox_messages(actor, order.id, 0, 10);
  ASSERT_OK(inbox);
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_NE((*inbox)[0].body.find("SF1234567890123"), std::string::npos);
}

TEST_P(NotificationFlowTest, DeliveryReportsNeedTheAccountsToken) {
  Order order = shipped_order(customer());
  plan();
  EXPECT_EQ(send(), 1);
  Notification sent = notifications_of(order.id)[0];
  auto views = accounts.list(actor);
  ASSERT_OK(views);
  std::string path;
  for (const ChannelAccountView& v : *views) {
    if (v.account.kind == ChannelKind::sms) path = v.report_path;
  }
  std::string token = path.substr(path.rfind('/') + 1);
  auto refused = wait<int>([&](auto done) {
    service.record_reports(actor.tenant_id, "wrong", {{sent.key, true, "DELIVERED", ""}}, done);
  });
  EXPECT_FALSE(refused.ok());
  auto matched = wait<int>([&](auto done) {
    service.record_reports(actor.tenant_id, token, {{sent.key, true, "DELIVERED", "用户接收成功"}},
                           done);
  });
  ASSERT_OK(matched);
  EXPECT_EQ(*matched, 1);
  EXPECT_EQ(notifications_of(order.id)[0].status, DeliveryStatus::delivered);
}

INSTANTIATE_TEST_SUITE_P(Stores, NotificationFlowTest,
                         ::testing::Values(testing::StoreKind::sqlite,
                                           testing::StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
