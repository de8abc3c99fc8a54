#pragma once
// The store conformance suite's fixture: a store of the kind the test is instantiated with
// (support/test_stores.h), with the use cases over it and a fake clock, and the steps the tests
// share (a merchant, a product with stock, an order, a payment, the ledger's check).
#include <gtest/gtest.h>

#include "app/access_service.h"
#include "app/inventory_service.h"
#include "app/order_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot {

using testing::FakeClock;
using testing::StoreKind;
using testing::StoreLocation;
using testing::TempDir;
using testing::wait;

class StoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override { open(); }

  void open() {
    opened = location.open();
    store = &opened->store();
    media = std::make_unique<files::MediaDirectory>(dir.file("media"));
    access = std::make_unique<AccessService>(*store, clock);
    verifier = std::make_unique<Verifier>(*store, rule_book, nullptr);
    orders = std::make_unique<OrderService>(*store, clock, *verifier);
    inventory = std::make_unique<InventoryService>(*store, clock, *media);
  }

  void reopen() {
    inventory.reset();
    orders.reset();
    verifier.reset();
    access.reset();
    opened.reset();
    open();
  }

  Actor merchant(const std::string& slug) {
    auto key = access->create_key(slug, Role::owner);
    EXPECT_TRUE(key.ok());
    return *access->authenticate(key->key);
  }

  void add_product(const Actor& actor, const std::string& sku, std::int64_t stock,
                   std::int64_t threshold = 0) {
    Product p;
    p.sku = sku;
    p.name = "Product " + sku;
    p.price = 100;
    p.low_stock_threshold = threshold;
    ASSERT_OK(wait<Product>([&](auto done) { inventory->create_product(actor, p, done); }));
    if (stock > 0) {
      ReceiveCommand receipt;
      receipt.sku = sku;
      receipt.quantity = stock;
      ASSERT_OK(wait<StockLevel>([&](auto done) { inventory->receive(actor, receipt, done); }));
    }
  }

  Result<CreatedOrder> order(const Actor& actor, const std::string& sku, std::int64_t quantity,
                             const std::string& key = "") {
    return order_of(actor, {{sku, quantity, 100}}, key);
  }

  Result<CreatedOrder> order_of(const Actor& actor, std::vector<OrderLine> lines,
                                const std::string& key = "") {
    CreateOrderCommand command;
    command.draft.lines = std::move(lines);
    command.draft.customer = {"张三", "13800138000", "", "", "", {}};
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    command.idempotency_key = key;
    return wait<CreatedOrder>([&](auto done) { orders->create(actor, command, done); });
  }

  Result<Order> pay_in_full(const Actor& actor, const Order& order) {
    return wait<Order>([&](auto done) {
      orders->pay(actor, order.id, Payment{order.total, "alipay", "", {}}, done);
    });
  }

  // on hand and reserved as the ledger adds them up, against the balances.
  void expect_ledger_matches(const Actor& actor, const std::string& sku) {
    std::int64_t on_hand = 0;
    std::int64_t reserved = 0;
    std::int64_t after = 0;
    for (;;) {
      auto page = inventory->ledger(actor, sku, after, 200);
      ASSERT_TRUE(page.ok());
      for (const LedgerEntry& e : page->items) {
        on_hand += e.movement.on_hand_delta;
        reserved += e.movement.reserved_delta;
      }
      if (page->next_after_id == 0) break;
      after = page->next_after_id;
    }
    StockBalance total = inventory->stock(actor, sku)->total();
    EXPECT_EQ(total.on_hand, on_hand);
    EXPECT_EQ(total.reserved, reserved);
    EXPECT_GE(total.available(), 0);
  }

  TempDir dir;
  StoreLocation location{GetParam(), dir};
  FakeClock clock;
  std::unique_ptr<cli::OpenStore> opened;
  Store* store = nullptr;
  std::unique_ptr<files::MediaDirectory> media;
  std::unique_ptr<AccessService> access;
  rules::LuaRuleEngine rule_engine;
  RuleBook rule_book{rule_engine};
  std::unique_ptr<Verifier> verifier;
  std::unique_ptr<OrderService> orders;
  std::unique_ptr<InventoryService> inventory;
};

}  // namespace depot
