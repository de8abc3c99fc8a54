// The notification use cases against a real store with a fake clock and a scripted channel:
// planning once per event, the retry schedule, fallback to the next channel, one ticket when every
// channel dies, a send interrupted by a stop repeated under the same key, the sandbox, resends.
#include <gtest/gtest.h>

#include <deque>
#include <mutex>

#include "app/access_service.h"
#include "app/channel_accounts.h"
#include "app/inventory_service.h"
#include "app/merchant_service.h"
#include "app/notification_dispatcher.h"
#include "app/notification_sender.h"
#include "app/notification_service.h"
#include "app/order_service.h"
#include "app/shipping_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace depot {
namespace {

using std::chrono::milliseconds;
using testing::wait;

// A provider that answers from a script (sent when the script is empty) and remembers what it
// was given. `hold` keeps the answers back, as a provider that never replies before a crash.
class ScriptedChannel final : public Channel {
 public:
  void send(const ChannelAccount&, const OutgoingMessage& message,
            std::function<void(SendOutcome)> done) override {
    SendOutcome outcome;
    {
      std::lock_guard lock(mutex_);
      received_.push_back(message);
      if (hold_) {
        held_.push_back(std::move(done));
        return;
      }
      if (!script_.empty()) {
        outcome = script_.front();
        script_.pop_front();
      }
    }
    done(outcome);
  }
  void answer(SendOutcome::Kind kind, int times) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < times; ++i) {
      SendOutcome outcome;
      outcome.kind = kind;
      outcome.response = kind == SendOutcome::Kind::sent ? "250 OK" : "503 down";
      script_.push_back(outcome);
    }
  }
  void hold(bool on) {
    std::lock_guard lock(mutex_);
    hold_ = on;
  }
  std::vector<OutgoingMessage> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  std::mutex mutex_;
  std::deque<SendOutcome> script_;
  std::vector<OutgoingMessage> received_;
  std::vector<std::function<void(SendOutcome)>> held_;
  bool hold_ = false;
};

class NotificationFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = access.create_key("notify", Role::owner);
    ASSERT_TRUE(key.ok());
    actor = *access.authenticate(key->key);
    SettingsPatch patch;
    patch.notification_retry_base_ms = 1000;
    patch.default_channels = std::vector<std::string>{"sms", "email"};
    ASSERT_OK(
        wait<MerchantSettings>([&](auto done) { merchant.update_settings(actor, patch, done); }));
    for (ChannelKind channel : {ChannelKind::sms, ChannelKind::email}) {
      ChannelAccountInput input;
      input.fields = channel == ChannelKind::sms
                         ? std::map<std::string, std::string>{{"url", "http://127.0.0.1:9"},
                                                              {"access_key_id", "id"},
                                                              {"access_key_secret", "secret"},
                                                              {"sign_name", "depot"}}
                         : std::map<std::string, std::string>{
                               {"host", "127.0.0.1"}, {"port", "25"}, {"from", "shop@example.com"}};
      ASSERT_OK((wait<std::pair<ChannelAccountView, bool>>(
          [&](auto done) { accounts.put(actor, channel, input, done); })));
    }
    Product mug;
    mug.sku = "MUG";
    mug.name = "Mug";
    mug.price = 100;
    ASSERT_OK(wait<Product>([&](auto done) { inventory.create_product(actor, mug, done); }));
    ReceiveCommand receipt;
    receipt.sku = "MUG";
    receipt.quantity = 100;
    ASSERT_OK(wait<StockLevel>([&](auto done) { inventory.receive(actor, receipt, done); }));
  }

  Order shipped_order(Customer customer) {
    CreateOrderCommand command;
    command.draft.lines = {{"MUG", 1, 100}};
    command.draft.customer = std::move(customer);
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    auto created = wait<CreatedOrder>([&](auto done) { orders.create(actor, command, done); });
    EXPECT_TRUE(created.ok());
    auto paid = wait<Order>([&](auto done) {
      orders.pay(actor, created->order.id, Payment{created->order.total, "alipay", "", {}}, done);
    });
    EXPECT_TRUE(paid.ok());
    ShipCommand parcel{"SF", "SF1234567890123", std::nullopt, {}};
    auto shipped = wait<Shipped>([&](auto done) { shipping.ship(actor, paid->id, parcel, done); });
    EXPECT_TRUE(shipped.ok()) << shipped.error().message;
    return *paid;
  }

  static Customer customer(std::string email = "zhang@example.com") {
    Customer c;
    c.name = "张伟";
    c.phone = "13800138000";
    c.email = std::move(email);
    return c;
  }

  void plan() {
    for (;;) {
      Result<int> planned = dispatcher.plan(actor.tenant_id);
      ASSERT_OK(planned);
      if (*planned == 0) return;
    }
  }

  // One round of sending; waits until every outcome is recorded.
  int send() {
    Result<int> started = sender.send_due(actor.tenant_id, 100);
    EXPECT_TRUE(started.ok());
    while (sender.in_flight() > 0) std::this_thread::yield();
    return started.ok() ? *started : -1;
  }

  std::vector<Notification> notifications_of(std::int64_t order_id) {
    NotificationQuery query;
    query.order_id = order_id;
    query.limit = 100;
    auto found = service.list(actor, query);
    EXPECT_TRUE(found.ok());
    std::vector<Notification> customer_only;
    for (Notification& n : *found) {
      if (n.audience == Audience::customer) customer_only.insert(customer_only.begin(), n);
    }
    return customer_only;
  }

  testing::TempDir dir;
  testing::FakeClock clock;
  sqlite::SqliteStore store{dir.file("depot.db")};
  files::MediaDirectory media{dir.file("media")};
  rules::LuaRuleEngine engine;
  RuleBook book{engine};
  Verifier verifier{store, book, nullptr};
  AccessService access{store, clock};
  MerchantService merchant{store};
  InventoryService inventory{store, clock, media};
  OrderService orders{store, clock, verifier};
  ShippingService shipping{store, clock, verifier};
  ChannelAccounts accounts{store, clock};
  ScriptedChannel sms;
  ScriptedChannel email;
  NotificationComposer composer{[](const EventRecord& r) { return std::to_string(r.id); }};
  NotificationDispatcher dispatcher{store, clock, composer};
  NotificationSender sender{
      store, clock, composer, {{ChannelKind::sms, &sms}, {ChannelKind::email, &email}}};
  NotificationService service{store, clock, composer};
  Actor actor;
};

TEST_F(NotificationFlowTest, AShipmentIsPlannedOnceAndSentOnTheFirstChannel) {
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

TEST_F(NotificationFlowTest, RetriesWithGrowingGapsThenFallsBackThenOpensOneTicket) {
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

TEST_F(NotificationFlowTest, APermanentRefusalSkipsTheRetries) {
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

TEST_F(NotificationFlowTest, ACustomerWithoutTheFallbacksAddressGetsATicketAtOnce) {
  Order order = shipped_order(customer(""));
  plan();
  ASSERT_EQ(notifications_of(order.id)[0].fallbacks, std::vector<ChannelKind>{});
  sms.answer(SendOutcome::Kind::permanent, 1);
  EXPECT_EQ(send(), 1);
  TicketQuery query;
  query.order_id = order.id;
  EXPECT_EQ(store.read(actor.tenant_id)->list_tickets(query).size(), 1u);
}

TEST_F(NotificationFlowTest, ASendInterruptedByAStopIsRepeatedUnderTheSameKey) {
  Order order = shipped_order(customer());
  plan();
  sms.hold(true);
  ASSERT_OK(sender.send_due(actor.tenant_id, 100));  // claimed, never answered: the process dies
  ASSERT_EQ(notifications_of(order.id)[0].status, DeliveryStatus::sending);

  // The next process: the claim is released and the same message goes out with the same key.
  ScriptedChannel sms_after_restart;
  NotificationSender restarted{store, clock, composer, {{ChannelKind::sms, &sms_after_restart}}};
  ASSERT_OK(restarted.release_interrupted(actor.tenant_id));
  ASSERT_OK(restarted.send_due(actor.tenant_id, 100));
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

TEST_F(NotificationFlowTest, TheSandboxKeepsTheMessageInsteadOfSendingIt) {
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

TEST_F(NotificationFlowTest, DeliveryReportsNeedTheAccountsToken) {
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

}  // namespace
}  // namespace depot
