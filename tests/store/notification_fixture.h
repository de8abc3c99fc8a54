#pragma once
// What the notification tests of the store share: a provider that answers from a script, and a
// merchant with SMS and email accounts, stock, and the use cases that plan, send and log its
// deliveries against a real store with a fake clock. Every test runs on both stores: the SQLite
// file and a PostgreSQL database (support/test_stores.h).
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <mutex>
#include <thread>

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
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot {

inline const std::map<ChannelKind, int> kBothChannels = {{ChannelKind::sms, 100},
                                                         {ChannelKind::email, 100}};

// How many sends a round started, over every channel.
inline int started_in_all(const Result<std::map<ChannelKind, int>>& started) {
  int total = 0;
  if (started.ok()) {
    for (const auto& [channel, count] : *started) total += count;
  }
  return total;
}

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
  // Answers the sends held back so far as sent, as a provider that was slow to reply.
  void release() {
    std::vector<std::function<void(SendOutcome)>> held;
    {
      std::lock_guard lock(mutex_);
      held.swap(held_);
    }
    for (auto& done : held) done(SendOutcome{});
  }
  std::size_t held() {
    std::lock_guard lock(mutex_);
    return held_.size();
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

class NotificationFlowTest : public ::testing::TestWithParam<testing::StoreKind> {
 protected:
  void SetUp() override { actor = add_merchant("notify"); }
  // The store answers the sender's writes on its own threads, after the use case returns: it must
  // finish them while the sender is still there to hear, before the members below it go.
  void TearDown() override { opened->close(); }

  template <class Answer>
  static void expect_ok(const Answer& answer) {
    EXPECT_TRUE(answer.ok()) << answer.error().message;
  }

  // A merchant with SMS and email accounts and 100 mugs in stock; its owner acts.
  Actor add_merchant(const std::string& name) {
    auto key = access.create_key(name, Role::owner);
    EXPECT_TRUE(key.ok());
    Actor owner = *access.authenticate(key->key);
    SettingsPatch patch;
    patch.notification_retry_base_ms = 1000;
    patch.default_channels = std::vector<std::string>{"sms", "email"};
    expect_ok(testing::wait<MerchantSettings>(
        [&](auto done) { merchant.update_settings(owner, patch, done); }));
    for (ChannelKind channel : {ChannelKind::sms, ChannelKind::email}) {
      ChannelAccountInput input;
      input.fields = channel == ChannelKind::sms
                         ? std::map<std::string, std::string>{{"url", "http://127.0.0.1:9"},
                                                              {"access_key_id", "id"},
                                                              {"access_key_secret", "secret"},
                                                              {"sign_name", "depot"}}
                         : std::map<std::string, std::string>{
                               {"host", "127.0.0.1"}, {"port", "25"}, {"from", "shop@example.com"}};
      expect_ok(testing::wait<std::pair<ChannelAccountView, bool>>(
          [&](auto done) { accounts.put(owner, channel, input, done); }));
    }
    Product mug;
    mug.sku = "MUG";
    mug.name = "Mug";
    mug.price = 100;
    expect_ok(
        testing::wait<Product>([&](auto done) { inventory.create_product(owner, mug, done); }));
    ReceiveCommand receipt;
    receipt.sku = "MUG";
    receipt.quantity = 100;
    expect_ok(
        testing::wait<StockLevel>([&](auto done) { inventory.receive(owner, receipt, done); }));
    return owner;
  }

  Order shipped_order(Customer customer) { return shipped_order(actor, std::move(customer)); }

  Order shipped_order(const Actor& by, Customer customer) {
    CreateOrderCommand command;
    command.draft.lines = {{"MUG", 1, 100}};
    command.draft.customer = std::move(customer);
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    auto created =
        testing::wait<CreatedOrder>([&](auto done) { orders.create(by, command, done); });
    EXPECT_TRUE(created.ok());
    auto paid = testing::wait<Order>([&](auto done) {
      orders.pay(by, created->order.id, Payment{created->order.total, "alipay", "", {}}, done);
    });
    EXPECT_TRUE(paid.ok());
    ShipCommand parcel{"SF", "SF1234567890123", std::nullopt, {}};
    auto shipped =
        testing::wait<Shipped>([&](auto done) { shipping.ship(by, paid->id, parcel, done); });
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
    auto started = sender.send_due(actor.tenant_id, kBothChannels);
    EXPECT_TRUE(started.ok());
    while (sender.in_flight() > 0) std::this_thread::yield();
    return started.ok() ? started_in_all(started) : -1;
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
  testing::StoreLocation location{GetParam(), dir};
  std::unique_ptr<cli::OpenStore> opened = location.open();
  Store& store = opened->store();
  files::MediaDirectory media{dir.file("media")};
  rules::LuaRuleEngine engine;
  RuleBook book{engine};
  Verifier verifier{store, book, nullptr};
  AccessService access{store, clock};
  MerchantService merchant{store, clock};
  InventoryService inventory{store, clock, media};
  OrderService orders{store, clock, verifier};
  ShippingService shipping{store, clock, verifier};
  ChannelAccounts accounts{store, clock};
  ScriptedChannel sms;
  ScriptedChannel email;
  NotificationComposer composer{[](const EventRecord& r) { return std::to_string(r.id); }};
  NotificationDispatcher dispatcher{store, clock, composer};
  NotificationSender sender{
      store, clock, composer, {{ChannelKind::sms, &sms}, {ChannelKind::email, &email}}, "node-a"};
  NotificationService service{store, clock, composer};
  Actor actor;
};

}  // namespace depot
