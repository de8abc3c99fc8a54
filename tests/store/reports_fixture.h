#pragma once
// The dashboard's store tests share this: a merchant with three products, a week of history seeded
// through the use cases with a fake clock (seed()), and a recount of every dashboard figure from
// the orders, parcels, deliveries, returns, tickets and feedback themselves (recount()).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "app/access_service.h"
#include "app/feedback_service.h"
#include "app/inventory_service.h"
#include "app/merchant_service.h"
#include "app/order_service.h"
#include "app/refund_service.h"
#include "app/report_service.h"
#include "app/return_service.h"
#include "app/shipping_service.h"
#include "app/ticket_service.h"
#include "app/tracking_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot::report_tests {

inline constexpr int kBeijing = 480;  // the merchant's default offset: UTC+8

// An instant given as the merchant's wall-clock time in March 2026 (UTC+8).
inline Instant beijing(unsigned day, int hour, int minute = 0) {
  std::chrono::sys_days date{std::chrono::year{2026} / std::chrono::March / std::chrono::day{day}};
  return Instant{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} -
         std::chrono::hours{8};
}

// The test's own day arithmetic, for the recount.
inline std::string day_of(Instant at, int offset_minutes) {
  std::chrono::year_month_day ymd{
      std::chrono::floor<std::chrono::days>(at + std::chrono::minutes{offset_minutes})};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

inline bool in_range(const std::string& day, const std::string& from, const std::string& to) {
  return day >= from && day <= to;
}

class NoTracker final : public CarrierTracker {
 public:
  void subscribe(const TrackingAccount&, const TrackedParcel&,
                 std::function<void(Status)> done) override {
    done(error(ErrorCode::unavailable, "not in this test"));
  }
  void query(const TrackingAccount&, const TrackedParcel&,
             std::function<void(Result<TrackingReport>)> done) override {
    done(error(ErrorCode::not_found, "no news"));
  }
  Result<TrackingReport> read_push(const TrackingAccount&, std::string_view,
                                   std::string_view) const override {
    return error(ErrorCode::unauthenticated, "not in this test");
  }
};

// What the recount finds for the range, from the seeded objects read back.
struct Recount {
  std::map<std::string, std::int64_t> orders, gmv, refunded, cancelled;  // by creation day
  std::map<OrderStatus, std::int64_t> statuses;
  std::int64_t shipped = 0, promised = 0, on_time = 0, ship_seconds = 0;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> carriers;  // delivered, seconds
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> channels;  // succeeded, failed
  std::int64_t returns = 0, exchanges = 0, complaints = 0, feedback = 0, rating_sum = 0;
  std::int64_t damaged = 0;
  std::map<std::string, std::int64_t> units, revenue, sku_orders;  // by SKU
};

class ReportsTest : public ::testing::TestWithParam<testing::StoreKind> {
 protected:
  void SetUp() override {
    clock.set(beijing(1, 9));
    auto key = access.create_key("reports", Role::owner);
    ASSERT_TRUE(key.ok());
    actor = *access.authenticate(key->key);
    for (const char* sku : {"A", "B", "C"}) {
      Product product;
      product.sku = sku;
      product.name = std::string("Product ") + sku;
      product.price = 100;
      product.low_stock_threshold = 20;
      ASSERT_OK(testing::wait<Product>(
          [&](auto done) { inventory.create_product(actor, product, done); }));
      ReceiveCommand receipt;
      receipt.sku = sku;
      receipt.quantity = std::string(sku) == "C" ? 25 : 100;
      ASSERT_OK(
          testing::wait<StockLevel>([&](auto done) { inventory.receive(actor, receipt, done); }));
    }
  }

  Order create(Instant at, std::vector<OrderLine> lines, std::string phone) {
    clock.set(at);
    CreateOrderCommand command;
    command.draft.lines = std::move(lines);
    command.draft.customer = {"张三", std::move(phone), "", "", "", {}};
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    auto created =
        testing::wait<CreatedOrder>([&](auto done) { orders.create(actor, command, done); });
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created->order;
  }

  Order pay(const Order& order, Instant at) {
    clock.set(at);
    auto paid = testing::wait<Order>([&](auto done) {
      orders.pay(actor, order.id, Payment{order.total, "alipay", "", {}}, done);
    });
    EXPECT_TRUE(paid.ok()) << paid.error().message;
    return *paid;
  }

  Shipment ship(const Order& order, Instant at, std::vector<ShipmentLine> lines = {}) {
    clock.set(at);
    ShipCommand command{"SF", "SF" + std::to_string(1000000000000 + ++numbers_), std::nullopt,
                        std::move(lines)};
    auto shipped =
        testing::wait<Shipped>([&](auto done) { shipping.ship(actor, order.id, command, done); });
    EXPECT_TRUE(shipped.ok()) << shipped.error().message;
    return shipped->shipment;
  }

  void deliver(std::int64_t parcel_id, Instant at) {
    clock.set(at);
    ASSERT_OK(testing::wait<Parcel>([&](auto done) {
      tracking.add_checkpoints(actor, parcel_id, {{"delivered", "signed for", at, ""}}, done);
    }));
  }

  void cancel(const Order& order, Instant at) {
    clock.set(at);
    ASSERT_OK(testing::wait<Order>(
        [&](auto done) { orders.cancel(actor, order.id, "changed mind", done); }));
  }

  Order edit(const Order& order, Instant at, OrderPatch patch) {
    clock.set(at);
    std::int64_t version = orders.get(actor, order.id)->version;
    auto edited = testing::wait<Order>(
        [&](auto done) { orders.edit(actor, order.id, version, patch, done); });
    EXPECT_TRUE(edited.ok()) << edited.error().message;
    return *edited;
  }

  // A delivery written as the sender writes it: planned, then its outcome.
  void deliver_notification(ChannelKind channel, Instant planned, DeliveryStatus outcome,
                            bool retry_planned) {
    ASSERT_OK(testing::wait<bool>([&](auto done) {
      run_write<bool>(
          store, actor.tenant_id,
          [&, channel, planned, outcome, retry_planned](WriteTx& tx) -> Result<bool> {
            Notification n;
            n.key = "test-" + std::to_string(++numbers_);
            n.channel = channel;
            n.recipient = "13800138000";
            n.created_at = n.updated_at = planned;
            n.next_attempt_at = planned;
            if (!tx.insert_notification(n)) return error(ErrorCode::conflict, "key taken");
            std::optional<Instant> lease = n.next_attempt_at;
            n.status = DeliveryStatus::sending;
            if (!tx.update_notification_if(n, DeliveryStatus::queued, lease)) {
              return error(ErrorCode::conflict, "not claimed");
            }
            DeliveryStatus was = n.status;
            n.status = outcome;
            n.next_attempt_at = retry_planned
                                    ? std::optional<Instant>(planned + std::chrono::hours{1})
                                    : std::nullopt;
            if (!tx.update_notification_if(n, was, lease)) {
              return error(ErrorCode::conflict, "not settled");
            }
            return true;
          },
          done);
    }));
  }

  // A provider's report that a sent message never arrived (NotificationService::record_reports
  // writes it this way).
  void report_undelivered(ChannelKind channel) {
    ASSERT_OK(testing::wait<bool>([&](auto done) {
      run_write<bool>(
          store, actor.tenant_id,
          [channel](WriteTx& tx) -> Result<bool> {
            NotificationQuery query;
            query.channel = channel;
            query.status = DeliveryStatus::sent;
            query.limit = 1;
            std::vector<Notification> sent = tx.list_notifications(query);
            if (sent.empty()) return error(ErrorCode::not_found, "nothing sent");
            Notification n = sent.front();
            n.status = DeliveryStatus::failed;
            n.next_attempt_at.reset();
            tx.update_notification(n);
            return true;
          },
          done);
    }));
  }

  // Seeds the week of 1–7 March 2026.
  void seed() {
    // 23:30 on the 1st in Beijing; half past midnight on the 2nd in Beijing is still the 1st in
    // UTC.
    Order late_night = create(beijing(1, 23, 30), {{"A", 2, 300}, {"B", 1, 500}}, "13800000001");
    late_night = pay(late_night, beijing(1, 23, 40));
    Order after_midnight = create(beijing(2, 0, 30), {{"A", 1, 300}}, "13800000002");
    cancel(after_midnight, beijing(2, 9));              // unpaid: its contributions go
    Shipment whole = ship(late_night, beijing(2, 10));  // on time: promised by the 3rd, 23:40
    deliver(whole.id, beijing(3, 18));
    clock.set(beijing(4, 9));
    ASSERT_OK(testing::wait<Feedback>([&](auto done) {
      feedback.record(actor, late_night.id, {true, 4, "fine"}, done);
    }));
    auto refund = testing::wait<CreatedRefund>([&](auto done) {
      refunds.create(actor, late_night.id, {200, "late coupon", 0, ""}, done);
    });
    ASSERT_OK(refund);
    ASSERT_OK(testing::wait<Refund>(
        [&](auto done) { refunds.complete(actor, refund->refund.id, "R-1", done); }));

    // Edited within the window: B×2 becomes B×1 and C×3, then the phone changes.
    Order edited = create(beijing(2, 10), {{"B", 2, 500}}, "13800000001");
    OrderPatch lines;
    lines.lines = std::vector<OrderLine>{{"C", 3, 100}, {"B", 1, 500}};
    edited = edit(edited, beijing(2, 10, 5), lines);
    OrderPatch phone;
    Customer moved = edited.customer;
    moved.phone = "13800000003";
    phone.customer = moved;
    edited = edit(edited, beijing(2, 10, 10), phone);
    edited = pay(edited, beijing(2, 11));
    ship(edited, beijing(5, 10), {{"B", 1}});  // late: promised by the 4th, 11:00
    Shipment rest = ship(edited, beijing(6, 12));
    deliver(rest.id, beijing(7, 23, 50));

    Order paid_then_cancelled = create(beijing(3, 12), {{"A", 5, 300}}, "13800000002");
    paid_then_cancelled = pay(paid_then_cancelled, beijing(3, 12, 10));
    cancel(paid_then_cancelled, beijing(3, 13));

    Order shipped_soon = create(beijing(3, 13), {{"C", 1, 100}}, "13800000005");
    shipped_soon = pay(shipped_soon, beijing(3, 13, 5));
    ship(shipped_soon, beijing(3, 14));
    clock.set(beijing(4, 15));
    NewReturn back;
    back.lines = {{"C", 1}};
    back.reason = "broken";
    EXPECT_TRUE(testing::wait<CreatedReturn>([&](auto done) {
                  returns.request(actor, shipped_soon.id, back, done);
                }).ok());
    NewReturn swap;
    swap.kind = ReturnKind::exchange;
    swap.lines = {{"A", 1}};
    swap.reason = "wrong colour";
    EXPECT_TRUE(testing::wait<CreatedReturn>([&](auto done) {
                  returns.request(actor, late_night.id, swap, done);
                }).ok());
    clock.set(beijing(6, 20));
    EXPECT_TRUE(testing::wait<Ticket>([&](auto done) {
                  feedback.complain(actor, edited.id, "二次发货太慢", done);
                }).ok());

    // Unpaid, and without a phone (verification would hold it only once paid); C runs low.
    create(beijing(7, 22), {{"C", 20, 100}}, "");

    deliver_notification(ChannelKind::sms, beijing(2, 10), DeliveryStatus::sent, false);
    deliver_notification(ChannelKind::sms, beijing(2, 23, 59), DeliveryStatus::dead, false);
    deliver_notification(ChannelKind::email, beijing(3, 8), DeliveryStatus::delivered, false);
    deliver_notification(ChannelKind::email, beijing(3, 9), DeliveryStatus::sent, false);
    deliver_notification(ChannelKind::wechat, beijing(3, 9), DeliveryStatus::failed, true);
    report_undelivered(ChannelKind::email);
  }

  // Every figure of the range, counted from the orders, parcels, deliveries, returns, tickets and
  // feedback as the store holds them.
  Recount recount(const std::string& from, const std::string& to, int offset) {
    Recount r;
    auto tx = store.read(actor.tenant_id);
    OrderQuery query;
    query.limit = 1000;
    for (const Order& listed : tx->list_orders(query)) {
      Order o = *tx->find_order(listed.id);
      std::string day = day_of(o.created_at, offset);
      bool cancelled = o.status == OrderStatus::cancelled;
      if (in_range(day, from, to)) {
        r.statuses[o.status] += 1;
        r.orders[day] += cancelled ? 0 : 1;
        r.gmv[day] += cancelled ? 0 : o.total;
        r.refunded[day] += cancelled ? 0 : o.refunded_amount;
        r.cancelled[day] += cancelled ? 1 : 0;
        if (!cancelled) {
          std::set<std::string> named;
          for (const OrderLine& line : o.lines) {
            r.units[line.sku] += line.quantity;
            r.revenue[line.sku] += line.quantity * line.unit_price;
            if (named.insert(line.sku).second) r.sku_orders[line.sku] += 1;
          }
        }
      }
      if (is_fully_shipped(o.status)) {
        Instant last{};
        for (const Shipment& s : tx->shipments_of(o.id)) last = std::max(last, s.shipped_at);
        Instant ready = o.created_at;
        for (const HistoryEntry& h : o.history) {
          if (h.to == OrderStatus::awaiting_shipment) {
            ready = h.at;
            break;
          }
        }
        if (in_range(day_of(last, offset), from, to)) {
          r.shipped += 1;
          r.promised += o.ship_due_at ? 1 : 0;
          r.on_time += o.ship_due_at && last <= *o.ship_due_at ? 1 : 0;
          r.ship_seconds += std::chrono::duration_cast<std::chrono::seconds>(last - ready).count();
        }
      }
      for (const Parcel& p : tx->parcels_of(o.id)) {
        if (p.return_id != 0 || !p.delivered_at) continue;
        if (!in_range(day_of(*p.delivered_at, offset), from, to)) continue;
        r.carriers[p.carrier].first += 1;
        r.carriers[p.carrier].second +=
            std::chrono::duration_cast<std::chrono::seconds>(*p.delivered_at - p.shipped_at)
                .count();
      }
      if (std::optional<Feedback> f = tx->feedback_of(o.id)) {
        if (in_range(day_of(f->created_at, offset), from, to)) {
          r.feedback += 1;
          r.rating_sum += f->rating;
          r.damaged += f->intact ? 0 : 1;
        }
      }
    }
    NotificationQuery deliveries;
    deliveries.limit = 1000;
    for (const Notification& n : tx->list_notifications(deliveries)) {
      if (!in_range(day_of(n.created_at, offset), from, to)) continue;
      bool through = n.status == DeliveryStatus::sent || n.status == DeliveryStatus::delivered;
      bool failed = n.status == DeliveryStatus::dead ||
                    (n.status == DeliveryStatus::failed && !n.next_attempt_at);
      if (through || failed) {
        auto& [ok, bad] = r.channels[std::string(to_string(n.channel))];
        ok += through ? 1 : 0;
        bad += failed ? 1 : 0;
      }
    }
    ReturnQuery all_returns;
    all_returns.limit = 1000;
    for (const ReturnRequest& request : tx->list_returns(all_returns)) {
      if (!in_range(day_of(request.created_at, offset), from, to)) continue;
      (request.kind == ReturnKind::exchange ? r.exchanges : r.returns) += 1;
    }
    TicketQuery complaints;
    complaints.kind = "complaint";
    complaints.limit = 1000;
    for (const Ticket& t : tx->list_tickets(complaints)) {
      if (in_range(day_of(t.created_at, offset), from, to)) r.complaints += 1;
    }
    return r;
  }

  Dashboard dashboard(const std::string& from, const std::string& to) {
    Result<Dashboard> board = reports.dashboard(actor, {from, to});
    EXPECT_TRUE(board.ok()) << board.error().message;
    return board.ok() ? *board : Dashboard{};
  }

  // Every dashboard number against the recount of the same range.
  void expect_matches(const Dashboard& board, const Recount& r) {
    for (const OrderDay& day : board.days) {
      SCOPED_TRACE(day.day);
      EXPECT_EQ(day.orders, r.orders.count(day.day) ? r.orders.at(day.day) : 0);
      EXPECT_EQ(day.gmv, r.gmv.count(day.day) ? r.gmv.at(day.day) : 0);
      EXPECT_EQ(day.refunded, r.refunded.count(day.day) ? r.refunded.at(day.day) : 0);
      EXPECT_EQ(day.with_status(OrderStatus::cancelled),
                r.cancelled.count(day.day) ? r.cancelled.at(day.day) : 0);
    }
    for (OrderStatus status : kAllOrderStatuses) {
      SCOPED_TRACE(to_string(status));
      EXPECT_EQ(board.totals.with_status(status),
                r.statuses.count(status) ? r.statuses.at(status) : 0);
    }
    EXPECT_EQ(board.shipping.shipped, r.shipped);
    EXPECT_EQ(board.shipping.promised, r.promised);
    EXPECT_EQ(board.shipping.on_time, r.on_time);
    EXPECT_EQ(board.shipping.ship_seconds, r.ship_seconds);
    EXPECT_EQ(board.on_time_ship_rate(), share(r.on_time, r.promised));
    EXPECT_EQ(board.average_hours_to_ship(), average_hours(r.ship_seconds, r.shipped));

    std::map<std::string, std::pair<std::int64_t, std::int64_t>> carriers, channels;
    for (const CarrierTotals& c : board.carriers)
      carriers[c.carrier] = {c.delivered, c.transit_seconds};
    for (const ChannelTotals& c : board.channels) channels[c.channel] = {c.succeeded, c.failed};
    EXPECT_EQ(carriers, r.carriers);
    EXPECT_EQ(channels, r.channels);

    EXPECT_EQ(board.after_sales.returns, r.returns);
    EXPECT_EQ(board.after_sales.exchanges, r.exchanges);
    EXPECT_EQ(board.after_sales.complaints, r.complaints);
    EXPECT_EQ(board.after_sales.feedback, r.feedback);
    EXPECT_EQ(board.after_sales.rating_sum, r.rating_sum);
    EXPECT_EQ(board.after_sales.damaged, r.damaged);

    std::map<std::string, std::int64_t> units, revenue, sku_orders;
    for (const SkuTotals& s : board.top_skus) {
      units[s.sku] = s.units;
      revenue[s.sku] = s.revenue;
      sku_orders[s.sku] = s.orders;
    }
    EXPECT_EQ(units, r.units);
    EXPECT_EQ(revenue, r.revenue);
    EXPECT_EQ(sku_orders, r.sku_orders);
    for (std::size_t i = 1; i < board.top_skus.size(); ++i) {
      EXPECT_GE(board.top_skus[i - 1].units, board.top_skus[i].units);
    }
  }

  // Every row of every rollup table, as text, for comparing two states of the store.
  std::vector<std::string> rollup_rows() {
    auto db = location.connect();
    std::vector<std::string> rows;
    for (const char* table : {"order_days", "sku_days", "customer_sku_days", "ship_days",
                              "carrier_days", "notification_days", "after_sales_days"}) {
      sql::Query q = db->query(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2, 3");
      while (q.step()) {
        std::string row = table;
        for (int i = 0; i < q.column_count(); ++i) row += "|" + q.text(i);
        rows.push_back(row);
      }
    }
    return rows;
  }

  std::int64_t units_bought(const std::string& phone, const std::string& sku,
                            const std::string& day) {
    auto db = location.connect();
    sql::Query q = db->query(
        "SELECT units FROM customer_sku_days WHERE tenant_id = ? AND phone = ? AND sku = ? "
        "AND day = ?");
    q.bind_all(actor.tenant_id, phone, sku, day);
    return q.step() ? q.integer(0) : 0;
  }

  void set_offset(std::int64_t minutes) {
    SettingsPatch patch;
    patch.reports.utc_offset_minutes = minutes;
    ASSERT_OK(testing::wait<MerchantSettings>(
        [&](auto done) { merchant.update_settings(actor, patch, done); }));
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
  TicketService tickets{store, clock};
  ReturnService returns{store, clock};
  RefundService refunds{store, clock};
  FeedbackService feedback{store, clock, tickets};
  NoTracker tracker;
  EtaCache etas;
  SiteAddress site;
  TrackingService tracking{store, clock, tracker, etas, site};
  ReportService reports{store, opened->reports(), clock};
  Actor actor;
  int numbers_ = 0;
};

}  // namespace depot::report_tests
