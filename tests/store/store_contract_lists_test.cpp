// The store conformance suite, lists: counts by status, lists by SKU, and lists in creation order
// with a cursor that misses nothing, on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

#include "store/store_fixture.h"

namespace depot {
namespace {

class StoreListTest : public StoreTest {};

TEST_P(StoreListTest, StatusCountsFollowEveryChange) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  auto first = order(a, "SKU-1", 1);
  auto second = order(a, "SKU-1", 1);
  ASSERT_OK(first);
  ASSERT_OK(second);
  ASSERT_OK(pay_in_full(a, first->order));
  ASSERT_OK(wait<Order>([&](auto done) { orders->cancel(a, second->order.id, "", done); }));
  std::map<OrderStatus, std::int64_t> counts;
  for (auto [status, n] : orders->counts(a)) counts[status] = n;
  EXPECT_EQ(counts[OrderStatus::pending_payment], 0);
  EXPECT_EQ(counts[OrderStatus::awaiting_shipment], 1);
  EXPECT_EQ(counts[OrderStatus::cancelled], 1);
  EXPECT_EQ(counts.size(), std::size(kAllOrderStatuses));
}

TEST_P(StoreListTest, AnOrderListedBySkuAppearsOnceWhateverItsLines) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  add_product(a, "SKU-2", 10);
  ASSERT_OK(order_of(a, {{"SKU-1", 1, 100}, {"SKU-2", 1, 100}, {"SKU-1", 2, 90}}));
  ASSERT_OK(order(a, "SKU-2", 1));
  OrderQuery query;
  query.sku = "SKU-1";
  auto page = orders->list(a, query);
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].lines.size(), 3u);
  query.sku = "SKU-2";
  EXPECT_EQ(orders->list(a, query)->items.size(), 2u);
  EXPECT_EQ(inventory->stock(a, "SKU-1")->total().reserved, 3);
}

// Regression: an update rewrote every order's lines and SKU rows, scanning the merchant's
// order_skus on each payment. Lines now change only with an edit of the lines, and lists by SKU
// follow it.
TEST_P(StoreListTest, ListsBySkuFollowAnEditOfTheLinesAndNothingElse) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  add_product(a, "SKU-2", 10);
  auto created = order_of(a, {{"SKU-1", 1, 100}, {"SKU-1", 1, 100}});
  ASSERT_OK(created);
  auto by_sku = [&](const std::string& sku) {
    OrderQuery query;
    query.sku = sku;
    return orders->list(a, query)->items.size();
  };
  OrderPatch patch;
  patch.lines = std::vector<OrderLine>{{"SKU-2", 2, 100}};
  auto edited = wait<Order>(
      [&](auto done) { orders->edit(a, created->order.id, created->order.version, patch, done); });
  ASSERT_OK(edited);
  EXPECT_EQ(by_sku("SKU-1"), 0u);
  EXPECT_EQ(by_sku("SKU-2"), 1u);
  ASSERT_OK(pay_in_full(a, *edited));
  auto stored = orders->get(a, created->order.id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->lines, (std::vector<OrderLine>{{"SKU-2", 2, 100}}));
  EXPECT_EQ(by_sku("SKU-2"), 1u);
  EXPECT_EQ(inventory->stock(a, "SKU-1")->total().reserved, 0);
  EXPECT_EQ(inventory->stock(a, "SKU-2")->total().reserved, 2);
}

// A list runs newest first by creation time, then id; its cursor (the last order's id) carries the
// next page on from that order's time, so orders made in the same millisecond and an order whose
// time is earlier than its id says (a clock set back) each appear once, in their place.
TEST_P(StoreListTest, AListRunsInCreationOrderAndItsCursorMissesNothing) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 100);
  const Instant start = clock.now();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) {  // four orders in one millisecond
    auto created = order(a, "SKU-1", 1);
    ASSERT_OK(created);
    ids.push_back(created->order.id);
  }
  clock.advance(std::chrono::hours(2));
  auto late = order(a, "SKU-1", 1);
  ASSERT_OK(late);
  clock.set(start + std::chrono::hours(1));  // set back: a higher id at an earlier time
  auto early = order(a, "SKU-1", 1);
  ASSERT_OK(early);
  clock.advance(std::chrono::hours(5));
  auto outside = order(a, "SKU-1", 1);  // after the range asked for
  ASSERT_OK(outside);

  std::vector<std::int64_t> expected = {late->order.id, early->order.id, ids[3],
                                        ids[2],         ids[1],          ids[0]};
  for (bool newest_first : {true, false}) {
    OrderQuery query;
    query.status = OrderStatus::pending_payment;
    query.created_from = start;
    query.created_to = start + std::chrono::hours(3);
    query.newest_first = newest_first;
    query.limit = 2;
    std::vector<std::int64_t> listed;
    for (int pages = 0; pages < 10; ++pages) {
      auto page = orders->list(a, query);
      ASSERT_OK(page);
      for (const Order& o : page->items) listed.push_back(o.id);
      if (page->next_after_id == 0) break;
      query.after_id = page->next_after_id;
    }
    std::vector<std::int64_t> want = expected;
    if (!newest_first) std::reverse(want.begin(), want.end());
    EXPECT_EQ(listed, want) << (newest_first ? "newest first" : "oldest first");
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreListTest,
                         ::testing::Values(StoreKind::sqlite, StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
