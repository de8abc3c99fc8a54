#pragma once
// The ports the use cases own: the store (tenant-scoped transactions), the clock and the media
// store. Adapters implement them; only the composition root names an adapter.
//
// Thread safety: Store and MediaStore are safe to call from any thread. A ReadTx or WriteTx belongs
// to the thread that was handed it and lives only as long as that call.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/after_sales_ports.h"
#include "app/audit_ports.h"
#include "app/integration_ports.h"
#include "app/notification_ports.h"
#include "app/shipping_ports.h"
#include "app/tracking_ports.h"
#include "app/user_ports.h"
#include "app/waybill_ports.h"
#include "domain/catalog.h"
#include "domain/event.h"
#include "domain/order.h"
#include "domain/result.h"
#include "domain/ship_reminders.h"
#include "domain/stock.h"
#include "domain/time.h"

namespace depot {

using TenantId = std::int64_t;

enum class Role { owner, operator_, service, viewer };
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

// A member of the merchant's staff who hears about alerts (NTF-7) on a channel.
struct AlertContact {
  ChannelKind channel = ChannelKind::email;
  std::string recipient;
};

// Who hears about what (NTF-1, NTF-3, NTF-5, NTF-7).
struct NotificationPolicy {
  std::int64_t retry_base_ms = 30000;  // the first retry's delay; each later one doubles
  std::vector<ChannelKind> default_channels = {ChannelKind::sms, ChannelKind::wechat,
                                               ChannelKind::push, ChannelKind::email};
  std::vector<EventType> customer_events = default_customer_events();
  std::vector<AlertContact> alert_contacts;
  std::string public_url;  // where depot's pages are served, for links in messages
};

// When a parcel counts as stalled (TRK-4): no news for this many hours, per carrier if named.
struct TrackingPolicy {
  std::int64_t stall_hours = 48;
  std::map<std::string, std::int64_t> stall_hours_by_carrier;  // depot carrier code -> hours

  std::int64_t stall_hours_for(const std::string& carrier) const {
    auto found = stall_hours_by_carrier.find(carrier);
    return found == stall_hours_by_carrier.end() ? stall_hours : found->second;
  }
  // The shortest stall time of any carrier: no parcel quieter than this can have stalled.
  std::int64_t shortest_stall_hours() const {
    std::int64_t shortest = stall_hours;
    for (const auto& [carrier, hours] : stall_hours_by_carrier) {
      shortest = std::min(shortest, hours);
    }
    return shortest;
  }
};

// The merchant's day and demand planning (RPT-1, RPT-3): reports count days in the merchant's time
// zone, and reorder advice covers the supplier's lead time at a chosen service level.
struct ReportPolicy {
  int utc_offset_minutes = 480;  // a fixed offset from UTC (China Standard Time: +8 h, no DST)
  std::int64_t lead_days = 7;    // supplier lead time of a SKU with none of its own
  std::map<std::string, std::int64_t> lead_days_by_sku;
  double service_level = 0.95;   // the chance of not running out before a reorder arrives
  std::int64_t review_days = 7;  // how often stock is reviewed: an order covers this many days

  std::int64_t lead_days_for(const std::string& sku) const {
    auto found = lead_days_by_sku.find(sku);
    return found == lead_days_by_sku.end() ? lead_days : found->second;
  }
};

struct MerchantSettings {
  std::int64_t edit_window_seconds = 30 * 60;
  std::int64_t unpaid_timeout_seconds = 30 * 60;
  std::string currency = "CNY";
  ShipPromise ship;  // promised ship times and reminder thresholds (SHP-4)
  NotificationPolicy notify;
  TrackingPolicy tracking;
  ReportPolicy reports;
};

struct LedgerEntry {
  std::int64_t id = 0;
  std::string sku;
  std::int64_t location_id = 0;
  std::string location;  // "warehouse/location", filled on read
  Movement movement;
  std::string reason;
  std::string actor;
  std::int64_t order_id = 0;
  Instant at;
};

struct StockRow {
  std::int64_t location_id = 0;
  LocationRef location;
  StockBalance balance;
};

// What moving a SKU's stock needs to know (ReadTx::stock_for_moves).
struct StockToMove {
  std::optional<std::int64_t> threshold;  // nothing when there is no such product
  std::vector<LocationAvailability> balances;
};

struct Alert {
  std::int64_t id = 0;
  std::string kind;  // "low_stock", "order_held"
  std::string sku;
  std::int64_t order_id = 0;
  std::string message;
  std::int64_t available = 0;
  std::int64_t threshold = 0;
  Instant opened_at;
};

struct EventRecord {
  std::int64_t id = 0;
  Instant at;
  DomainEvent event;
};

struct Reservation {
  std::string sku;
  std::int64_t location_id = 0;
  std::int64_t quantity = 0;
};

struct Payment {
  std::int64_t amount = 0;
  std::string method;
  std::string reference;
  Instant paid_at;
};

// A page of orders: filters are ANDed; empty strings and nullopt mean "any".
struct OrderQuery {
  std::optional<OrderStatus> status;
  std::optional<Instant> created_from;
  std::optional<Instant> created_to;
  std::string order_no;
  std::string platform;
  std::string external_no;
  std::string phone;
  std::string sku;
  std::string hold_reason;
  // Lists run by creation time, then id (newest first unless told), except those by SKU or hold
  // reason, which run by id.
  bool newest_first = true;
  std::int64_t after_id = 0;  // cursor: the last id of the previous page, 0 for the first page
  int limit = 50;
};

struct ApiKeyRecord {
  TenantId tenant_id = 0;
  std::int64_t key_id = 0;
  Role role = Role::viewer;
  std::string tenant_slug;
};

// A console user found by email, and a session found by its token, across all merchants.
struct MerchantUser {
  TenantId tenant_id = 0;
  std::string tenant_slug;
  UserRecord user;
};
struct MerchantSession {
  TenantId tenant_id = 0;
  std::string tenant_slug;
  UserRecord user;
  SessionRecord session;
};

// Reads see one consistent snapshot of one merchant's data.
class ReadTx : public ShippingReads,
               public RuleReads,
               public NotificationReads,
               public TrackingReads,
               public AfterSalesReads,
               public AuditReads,
               public IntegrationReads,
               public WaybillReads,
               public UserReads {
 public:
  virtual ~ReadTx() = default;

  virtual MerchantSettings settings() = 0;
  virtual std::optional<Product> find_product(const std::string& sku) = 0;
  // The product's low-stock threshold, or nothing when there is no such product: the cheap check
  // for hot paths that need only to know the SKU exists.
  virtual std::optional<std::int64_t> low_stock_threshold(const std::string& sku) = 0;
  // In SKU order; with `search`, only products whose SKU or name contains it (ASCII letters in
  // any case).
  virtual std::vector<Product> list_products(const std::string& after_sku, int limit,
                                             const std::string& search) = 0;
  virtual std::vector<Warehouse> warehouses() = 0;
  virtual std::optional<std::int64_t> find_location(const LocationRef& ref) = 0;
  // Every location holding a balance row for the SKU, the default location first.
  virtual std::vector<StockRow> stock_of(const std::string& sku) = 0;
  // What the write path needs of each SKU asked for, in one read (one round trip on a networked
  // store): its balances without the locations' names, in the order reservations take from them
  // (the default location, created with the merchant, first), and its low-stock threshold. Every
  // SKU asked for is in the answer; one with no product has no threshold and no balances.
  virtual std::map<std::string, StockToMove> stock_for_moves(
      const std::vector<std::string>& skus) = 0;
  virtual std::vector<LedgerEntry> ledger(const std::string& sku, std::int64_t after_id,
                                          int limit) = 0;
  virtual std::vector<Alert> open_alerts() = 0;
  virtual std::optional<Alert> find_open_alert(const std::string& kind, const std::string& sku,
                                               std::int64_t order_id) = 0;
  virtual std::optional<Order> find_order(std::int64_t id) = 0;
  virtual std::vector<Order> list_orders(const OrderQuery& query) = 0;
  virtual std::vector<std::pair<OrderStatus, std::int64_t>> count_orders() = 0;
  // A read (not a WriteTx) sees only events whose commit is durable (see the store contract).
  virtual std::vector<EventRecord> events_after(std::int64_t after_id, int limit) = 0;
  // The id of the newest event in the outbox (durable, for a read), 0 when there is none.
  virtual std::int64_t latest_event_id() = 0;
  virtual std::vector<std::int64_t> unpaid_orders_created_before(Instant cutoff, int limit) = 0;
  virtual std::vector<Reservation> reservations_of(std::int64_t order_id) = 0;
};

// Writes of one use case. The store wraps each in a savepoint inside a group-committed
// transaction: returning false from the work undoes everything it wrote.
class WriteTx : public ReadTx,
                public ShippingWrites,
                public RuleWrites,
                public NotificationWrites,
                public TrackingWrites,
                public AfterSalesWrites,
                public AuditWrites,
                public IntegrationWrites,
                public WaybillWrites,
                public UserWrites {
 public:
  virtual void save_settings(const MerchantSettings& settings) = 0;
  virtual void insert_product(const Product& product) = 0;
  virtual void update_product(const Product& product) = 0;
  virtual std::int64_t add_product_image(const std::string& sku, const ProductImage& image,
                                         Instant at) = 0;
  virtual std::int64_t insert_warehouse(const std::string& code, const std::string& name) = 0;
  virtual std::int64_t insert_location(std::int64_t warehouse_id, const std::string& code) = 0;
  virtual std::optional<Warehouse> find_warehouse(const std::string& code) = 0;

  virtual void put_balance(const std::string& sku, std::int64_t location_id,
                           const StockBalance& balance) = 0;
  virtual void append_movement(const LedgerEntry& entry) = 0;

  virtual std::int64_t next_order_id() = 0;
  virtual void insert_order(const Order& order, const std::string& idempotency_key,
                            const std::string& fingerprint) = 0;
  // Writes the order row (its hold reasons included) and appends history from
  // order.stored_history on. Its lines are left as stored: most changes (payments, holds,
  // shipments) do not touch them, and rewriting them costs index work on every change.
  virtual void update_order(const Order& order) = 0;
  // Replaces the order's lines with order.lines (an edit of the lines).
  virtual void replace_order_lines(const Order& order) = 0;
  // The order created with this key (or platform order number) and the fingerprint of the
  // request that created it.
  virtual std::optional<std::pair<std::int64_t, std::string>> find_order_by_idempotency_key(
      const std::string& key) = 0;
  virtual std::optional<std::pair<std::int64_t, std::string>> find_order_by_external_no(
      const std::string& platform, const std::string& external_no) = 0;
  virtual void add_reservations(std::int64_t order_id, const std::vector<Reservation>& rows) = 0;
  virtual void clear_reservations(std::int64_t order_id) = 0;
  virtual void record_payment(std::int64_t order_id, const Payment& payment, Instant at) = 0;
  virtual bool has_payment(std::int64_t order_id, const std::string& reference) = 0;

  virtual std::int64_t open_alert(const Alert& alert) = 0;
  virtual void close_alert(std::int64_t alert_id, Instant at) = 0;
  virtual void append_event(const DomainEvent& event, Instant at) = 0;

  // The fingerprint of the request that first used `key`, if any; remembering it is part of
  // the same transaction as the request's effect.
  virtual std::optional<std::string> request_fingerprint(const std::string& key) = 0;
  virtual void remember_request(const std::string& key, const std::string& fingerprint,
                                Instant at) = 0;
};

// What every store promises its use cases, whoever else writes to the same database (another
// process such as a CLI command beside the server, or another depot node):
// - Writes are serialised. A use case's reads through its WriteTx see every earlier commit, and
//   nothing another writer does lands between those reads and its own writes, so values read
//   there (balances, an order's version, an idempotency key's absence) stay true until commit.
//   The SQLite store holds the database's single write lock (BEGIN IMMEDIATE) for each batch.
// - Ids come from the database as it is under that serialisation, never from a counter another
//   writer cannot see; within a table they rise in commit order, which is what lets the event
//   feed's `after=` cursor promise no gaps.
// - A read sees no event that the disk does not hold yet, even where it may see other data of a
//   commit still on its way to the disk: whatever acts on an event (a notification, a page of the
//   feed) then never acts on one a power cut takes back, whose id would be handed out again.
// - A write refused by a unique or primary key fails with ErrorCode::conflict (409), not
//   internal, and keeps nothing of that use case.
// - A store may run `work` more than once (after a serialisation failure or deadlock on a
//   networked database); only the last run's effects commit. So `work` changes the world only
//   through its WriteTx and sets, rather than appends to, what it hands back. The SQLite store
//   runs each `work` exactly once.
class Store {
 public:
  using Work = std::function<bool(WriteTx&)>;
  using Done = std::function<void(Status)>;

  virtual ~Store() = default;

  virtual std::unique_ptr<ReadTx> read(TenantId tenant) = 0;
  // Runs `work` on the store's writer and calls `done` once its effects are durable (or the commit
  // failed). `done` runs on a thread of the store's that answers commits: keep it short.
  virtual void write(TenantId tenant, Work work, Done done) = 0;

  // Merchants and keys, outside any one merchant's scope. Blocking.
  virtual TenantId ensure_tenant(const std::string& slug) = 0;
  virtual std::vector<TenantId> tenant_ids() = 0;
  // The merchant with this slug, if there is one (public pages name merchants by slug).
  virtual std::optional<TenantId> find_tenant(const std::string& slug) = 0;
  // A key that is not revoked.
  virtual std::optional<ApiKeyRecord> find_api_key(const std::string& key_hash) = 0;
  virtual std::optional<MerchantUser> find_user_by_email(const std::string& email) = 0;
  // The session with this token hash, expired or not, with its user.
  virtual std::optional<MerchantSession> find_session(const std::string& token_hash) = 0;

  // Open, migrated and able to write.
  virtual bool ready() = 0;

  // Calls `listener` after every commit that appended events, with the merchants whose events
  // they were, so workers that follow the outbox (the notification dispatcher, the alert stream)
  // wake at once instead of polling; once the listener runs, reads see those events. Register
  // before writes start. The listener runs on a thread of the store's that answers commits: it
  // must only signal, never read or write the store.
  using CommitListener = std::function<void(const std::vector<TenantId>&)>;
  virtual void on_events_committed(CommitListener listener) = 0;

  // Calls `listener` after every group commit with how many use cases it held and how long the
  // commit took until durable, for metrics. Register before writes start; it runs on a thread of
  // the store's that answers commits.
  using BatchListener = std::function<void(std::size_t jobs, std::chrono::microseconds took)>;
  virtual void on_batch_committed(BatchListener listener) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() = 0;
};

class SystemClock final : public Clock {
 public:
  Instant now() override;
};

// Where uploaded product images live (files beside the database, an object store later).
class MediaStore {
 public:
  virtual ~MediaStore() = default;
  virtual Status put(const std::string& name, std::string_view bytes) = 0;
  virtual std::optional<std::string> get(const std::string& name) = 0;
};

}  // namespace depot
