#pragma once
// ReadTx and WriteTx in SQL, for every SQL store (SQLite, PostgreSQL): every query is scoped by the
// transaction's tenant here, in one place. The store hands each transaction a connection on which
// it has opened the database's transaction; the SQL is written once, in what the two databases
// share, and the few expressions they spell differently come from the connection.

#include <bit>
#include <limits>
#include <map>
#include <string>

#include "app/ports.h"
#include "domain/rollups.h"
#include "store/sql/connection.h"
#include "store/sql/rollups.h"

namespace depot::sql {

// The places of an `IN (...)` list of n values: n rounded up to a power of two, the last value
// bound again to fill them, so that a handful of statement texts serve every length and stay
// cached.
inline std::size_t padded_places(std::size_t n) { return std::bit_ceil(n); }
// "?, ?, ..." with `places` marks.
inline std::string places_of(std::size_t places) {
  std::string marks;
  for (std::size_t i = 0; i < places; ++i) marks += i == 0 ? "?" : ", ?";
  return marks;
}
// "(?, ?), (?, ?), ...": `rows` rows of `columns` places, for an INSERT of several rows in one
// statement (on PostgreSQL each statement is a round trip's worth of work on the server).
inline std::string value_rows(std::size_t rows, std::size_t columns) {
  std::string row = "(" + places_of(columns) + ")";
  std::string text;
  for (std::size_t i = 0; i < rows; ++i) text += i == 0 ? row : ", " + row;
  return text;
}

// Hands out ids for a write transaction. Ids are global (unique across merchants) so they never
// collide when data moves. Each store says how they come from the database (see the store
// contract in app/ports.h): they rise in commit order within a merchant.
class IdSource {
 public:
  virtual ~IdSource() = default;
  virtual std::int64_t next(Connection& db, const std::string& table) = 0;
};

// A user from the columns id, email, role, password_hash, created_at, last_login_at of a row,
// starting at column `first`.
UserRecord user_from(Query& q, int first);

class SqlTx : public WriteTx {
 public:
  // `ids` is null for a read-only transaction.
  SqlTx(Connection& db, TenantId tenant, IdSource* ids) : db_(db), tenant_(tenant), ids_(ids) {}

  // Lets the use cases of one batch share their merchants' settings through `memo`: read once,
  // forgotten when a use case saves them. The memo outlives the SqlTx, not the transaction.
  void share_settings(std::map<TenantId, MerchantSettings>* memo) { settings_memo_ = memo; }

  // Whether this transaction appended an event to the outbox.
  bool appended_events() const { return appended_events_; }
  // Reads of the outbox see no event past `id`: the store's durable position, for a reader that
  // may see commits the disk does not hold yet.
  void hide_events_after(std::int64_t id) { last_visible_event_ = id; }
  // Once the work is done and kept: hands its rollup rows to the batch's, to apply before the
  // commit; or, when the merchant's time zone changed, recounts the merchant's rollups from the
  // tables (every day key depends on it) in place of its rows and the batch's. May throw; the
  // batch's rows are untouched then.
  void settle_rollups(RollupBuffer& batch);

  // ReadTx
  MerchantSettings settings() override;
  std::optional<Product> find_product(const std::string& sku) override;
  std::optional<std::int64_t> low_stock_threshold(const std::string& sku) override;
  std::vector<Product> list_products(const std::string& after_sku, int limit,
                                     const std::string& search) override;
  std::vector<Warehouse> warehouses() override;
  std::optional<std::int64_t> find_location(const LocationRef& ref) override;
  std::vector<StockRow> stock_of(const std::string& sku) override;
  std::map<std::string, StockToMove> stock_for_moves(const std::vector<std::string>& skus) override;
  std::vector<LedgerEntry> ledger(const std::string& sku, std::int64_t after_id,
                                  int limit) override;
  std::vector<Alert> open_alerts() override;
  std::optional<Alert> find_open_alert(const std::string& kind, const std::string& sku,
                                       std::int64_t order_id) override;
  std::optional<Order> find_order(std::int64_t id) override;
  std::vector<Order> list_orders(const OrderQuery& query) override;
  std::vector<std::pair<OrderStatus, std::int64_t>> count_orders() override;
  std::vector<EventRecord> events_after(std::int64_t after_id, int limit) override;
  std::int64_t latest_event_id() override;
  std::vector<std::int64_t> unpaid_orders_created_before(Instant cutoff, int limit) override;

  // ShippingReads
  std::vector<Shipment> shipments_of(std::int64_t order_id) override;
  std::optional<std::int64_t> find_order_id(const std::string& order_no) override;
  std::vector<Order> orders_due_before(Instant cutoff, Instant after_due, std::int64_t after_id,
                                       int limit) override;
  std::optional<ImportJob> find_import(std::int64_t id) override;
  std::vector<std::pair<std::int64_t, ImportRow>> import_rows(std::int64_t import_id,
                                                              std::int64_t after_seq,
                                                              int limit) override;
  std::vector<ImportRow> failed_import_rows(std::int64_t import_id, int limit) override;
  std::vector<std::int64_t> unfinished_imports(ImportKind kind) override;

  // RuleReads
  std::vector<Rule> rules() override;
  std::optional<Rule> find_rule(std::int64_t id) override;
  bool on_blacklist(const std::string& list, const std::string& key) override;
  std::vector<BlacklistEntry> blacklist(const std::string& list) override;
  std::int64_t count_orders_by_phone(const std::string& phone, Instant from, Instant to) override;
  std::optional<GeocoderConfig> geocoder_config() override;

  // NotificationReads
  std::vector<ChannelAccount> channel_accounts() override;
  std::optional<ChannelAccount> find_channel_account(ChannelKind channel) override;
  std::vector<StoredTemplate> stored_templates() override;
  std::optional<StoredTemplate> find_template(EventType event, ChannelKind channel,
                                              const std::string& locale) override;
  std::int64_t dispatch_position() override;
  std::vector<ChannelRecord> channel_records(const std::string& phone) override;
  std::string customer_phone_of(std::int64_t order_id) override;
  std::optional<Notification> find_notification(std::int64_t id) override;
  std::optional<Notification> find_notification_by_key(const std::string& key) override;
  std::vector<Notification> list_notifications(const NotificationQuery& query) override;
  std::vector<NotificationAttempt> notification_attempts(std::int64_t id) override;
  std::vector<Notification> due_notifications(ChannelKind channel, Instant now, int limit) override;
  std::optional<Instant> next_due() override;
  int count_resends(std::int64_t notification_id) override;
  std::vector<Ticket> list_tickets(const TicketQuery& query) override;
  std::optional<Ticket> find_ticket(std::int64_t id) override;
  std::vector<SandboxMessage> sandbox_messages(std::int64_t order_id, std::int64_t before_id,
                                               int limit) override;

  // TrackingReads
  std::optional<CarrierAccount> carrier_account() override;
  std::string link_key() override;
  std::optional<Parcel> find_parcel(std::int64_t id) override;
  std::vector<Parcel> parcels_of(std::int64_t order_id) override;
  std::vector<Parcel> parcels_by_number(const std::string& tracking_no) override;
  std::vector<StoredCheckpoint> checkpoints_of(std::int64_t parcel_id) override;
  std::vector<Parcel> parcels_to_subscribe(Instant now, int limit) override;
  std::vector<Parcel> parcels_to_poll(Instant now, int limit) override;
  std::vector<Parcel> quiet_parcels(Instant before, Instant after_update, std::int64_t after_id,
                                    int limit) override;
  std::vector<Parcel> delivered_parcels(Instant since, int limit) override;

  // AfterSalesReads
  std::optional<ReturnRequest> find_return(std::int64_t id) override;
  std::vector<ReturnRequest> list_returns(const ReturnQuery& query) override;
  std::vector<ReturnRequest> returns_of(std::int64_t order_id) override;
  std::optional<ReturnRequest> find_return_by_parcel(const std::string& carrier,
                                                     const std::string& tracking_no) override;
  std::optional<std::pair<std::int64_t, std::string>> find_return_by_key(
      const std::string& key) override;
  std::optional<Refund> find_refund(std::int64_t id) override;
  std::vector<Refund> list_refunds(const RefundQuery& query) override;
  std::vector<Refund> refunds_of(std::int64_t order_id) override;
  std::optional<std::pair<std::int64_t, std::string>> find_refund_by_key(
      const std::string& key) override;
  std::optional<Feedback> feedback_of(std::int64_t order_id) override;
  std::vector<FeedbackTally> feedback_tallies(FeedbackGrouping by, int limit) override;

  // WriteTx
  void save_settings(const MerchantSettings& settings) override;
  void insert_product(const Product& product) override;
  void update_product(const Product& product) override;
  std::int64_t add_product_image(const std::string& sku, const ProductImage& image,
                                 Instant at) override;
  std::int64_t insert_warehouse(const std::string& code, const std::string& name) override;
  std::int64_t insert_location(std::int64_t warehouse_id, const std::string& code) override;
  std::optional<Warehouse> find_warehouse(const std::string& code) override;
  void put_balance(const std::string& sku, std::int64_t location_id,
                   const StockBalance& balance) override;
  void append_movement(const LedgerEntry& entry) override;
  std::int64_t next_order_id() override;
  void insert_order(const Order& order, const std::string& idempotency_key,
                    const std::string& fingerprint) override;
  void update_order(const Order& order) override;
  void replace_order_lines(const Order& order) override;
  std::optional<std::pair<std::int64_t, std::string>> find_order_by_idempotency_key(
      const std::string& key) override;
  std::optional<std::pair<std::int64_t, std::string>> find_order_by_external_no(
      const std::string& platform, const std::string& external_no) override;
  std::vector<Reservation> reservations_of(std::int64_t order_id) override;
  void add_reservations(std::int64_t order_id, const std::vector<Reservation>& rows) override;
  void clear_reservations(std::int64_t order_id) override;
  void record_payment(std::int64_t order_id, const Payment& payment, Instant at) override;
  bool has_payment(std::int64_t order_id, const std::string& reference) override;
  std::int64_t open_alert(const Alert& alert) override;
  void close_alert(std::int64_t alert_id, Instant at) override;
  void append_event(const DomainEvent& event, Instant at) override;
  std::optional<std::string> request_fingerprint(const std::string& key) override;
  void remember_request(const std::string& key, const std::string& fingerprint,
                        Instant at) override;

  // ShippingWrites
  void insert_shipment(Shipment& shipment) override;
  std::int64_t insert_import(const ImportJob& job, const std::vector<ImportRow>& rows) override;
  void update_import(const ImportJob& job) override;
  void record_import_row(std::int64_t import_id, std::int64_t seq, const ImportRow& row) override;

  // RuleWrites
  std::int64_t insert_rule(const Rule& rule) override;
  void update_rule(const Rule& rule) override;
  bool delete_rule(std::int64_t id) override;
  void add_to_blacklist(const BlacklistEntry& entry) override;
  bool remove_from_blacklist(const std::string& list, const std::string& key) override;
  void save_geocoder_config(const std::optional<GeocoderConfig>& config) override;

  // NotificationWrites
  void save_channel_account(const ChannelAccount& account, Instant at) override;
  bool delete_channel_account(ChannelKind channel) override;
  void save_template(const StoredTemplate& stored) override;
  bool delete_template(EventType event, ChannelKind channel, const std::string& locale) override;
  void set_dispatch_position(std::int64_t after_event_id) override;
  bool insert_notification(Notification& notification) override;
  void update_notification(const Notification& notification) override;
  bool update_notification_if(const Notification& notification, DeliveryStatus was,
                              std::optional<Instant> was_due) override;
  void add_notification_attempt(std::int64_t notification_id,
                                const NotificationAttempt& attempt) override;
  int release_interrupted(const std::string& node, Instant now) override;
  bool insert_ticket(Ticket& ticket) override;
  void update_ticket(const Ticket& ticket) override;
  std::int64_t add_ticket_comment(std::int64_t ticket_id, const TicketComment& comment) override;
  void insert_sandbox_message(SandboxMessage& message) override;

  // TrackingWrites
  void save_carrier_account(const CarrierAccount& account) override;
  void insert_parcel(Parcel& parcel) override;
  void update_parcel(const Parcel& parcel) override;
  bool add_checkpoint(std::int64_t parcel_id, const Checkpoint& checkpoint, std::string_view source,
                      Instant now) override;

  // AfterSalesWrites
  void insert_return(ReturnRequest& request, const std::string& idempotency_key,
                     const std::string& fingerprint) override;
  void update_return(const ReturnRequest& request) override;
  void insert_refund(Refund& refund, const std::string& idempotency_key,
                     const std::string& fingerprint) override;
  void update_refund(const Refund& refund) override;
  bool insert_feedback(Feedback& feedback) override;

  // AuditReads, AuditWrites
  std::vector<AuditEntry> audit_log(const AuditQuery& query) override;
  void append_audit(const AuditEntry& entry) override;

  // IntegrationReads, IntegrationWrites
  std::vector<Integration> integrations() override;
  std::optional<Integration> find_integration(std::int64_t id) override;
  std::optional<Integration> integration_of_order(std::int64_t order_id) override;
  std::string platform_order_id(std::int64_t order_id) override;
  void insert_integration(Integration& integration) override;
  void update_integration(const Integration& integration) override;
  bool delete_integration(std::int64_t id) override;
  void link_integration_order(std::int64_t order_id, std::int64_t integration_id,
                              const std::string& platform_order_id) override;
  std::vector<std::pair<std::int64_t, OrderImportRow>> order_import_rows(std::int64_t import_id,
                                                                         std::int64_t after_seq,
                                                                         int limit) override;
  std::vector<OrderImportRow> failed_order_import_rows(std::int64_t import_id, int limit) override;
  std::int64_t insert_order_import(const ImportJob& job,
                                   const std::vector<OrderImportRow>& rows) override;
  void record_order_import_row(std::int64_t import_id, std::int64_t seq,
                               const OrderImportRow& row) override;

  // WaybillReads, WaybillWrites: the account and waybills (tx_waybills.cpp), batches and
  // sender addresses (tx_batches.cpp)
  std::optional<WaybillAccount> waybill_account() override;
  std::optional<Waybill> find_waybill(const std::string& parcel_key) override;
  std::vector<Waybill> waybills_of(std::int64_t order_id) override;
  std::optional<WaybillLabel> waybill_label(std::int64_t waybill_id) override;
  void save_waybill_account(const WaybillAccount& account) override;
  bool insert_waybill(Waybill& waybill) override;
  void update_waybill(const Waybill& waybill) override;
  void save_waybill_label(std::int64_t waybill_id, const WaybillLabel& label) override;
  std::optional<ShipmentBatch> find_batch(std::int64_t id) override;
  std::vector<BatchOrder> batch_orders(std::int64_t batch_id) override;
  std::vector<std::int64_t> unfinished_batches() override;
  void insert_batch(ShipmentBatch& batch, const std::vector<std::int64_t>& order_ids) override;
  void update_batch(const ShipmentBatch& batch) override;
  void record_batch_order(std::int64_t batch_id, const BatchOrder& order) override;
  bool save_warehouse_sender(const std::string& code, const SenderAddress& sender) override;

  // UserReads, UserWrites: console users, sessions and API keys (tx_users.cpp)
  std::vector<UserRecord> users() override;
  std::optional<UserRecord> find_user(std::int64_t id) override;
  bool email_taken(const std::string& email) override;
  std::vector<ApiKeyInfo> api_keys() override;
  std::int64_t insert_user(const UserRecord& user) override;
  void update_user(const UserRecord& user) override;
  void delete_user(std::int64_t id) override;
  void insert_session(const SessionRecord& session) override;
  void delete_session(const std::string& token_hash) override;
  void delete_user_sessions(std::int64_t user_id) override;
  void delete_expired_sessions(Instant now) override;
  std::int64_t insert_api_key(const std::string& key_hash, const std::string& prefix, Role role,
                              Instant at) override;
  bool revoke_api_key(std::int64_t id, Instant at) override;

 private:
  std::int64_t next_id(const std::string& table);
  std::vector<ProductImage> images_of(const std::string& sku);
  Product product_from(Query& row);
  Order order_from(Query& row);
  // Steps `rows` (selected with order_columns()) and loads each order's lines.
  std::vector<Order> orders_from(Query& rows);
  static const char* order_columns();
  void load_lines(Order& order);
  // The lines of every order of a page, in one statement.
  void load_lines(std::vector<Order>& orders);
  void load_history(Order& order);
  void insert_lines(const Order& order);
  void count_status(OrderStatus status, std::int64_t change);
  void write_history(const Order& order);
  // Steps `rows` (selected with the returns' columns) and loads each request's lines.
  std::vector<ReturnRequest> returns_from(Query& rows);
  void load_return_lines(ReturnRequest& request);

  // Report rollups (tx_rollups.cpp): each write that changes what they count adds
  // rollups(after) - rollups(before) (domain/rollups.h) in its own transaction.
  struct RolledUpOrder {
    OrderStatus status = OrderStatus::pending_payment;
    std::int64_t total = 0;
    std::int64_t refunded = 0;
    std::string phone;
  };
  // What the rollups read of the stored order, before an update overwrites it.
  std::optional<RolledUpOrder> rolled_up_order(std::int64_t order_id);
  void roll_up_new_order(const Order& order);
  // After the order row and its history are written; its lines are as stored.
  void roll_up_order_change(const Order& order, const RolledUpOrder& before);
  // `order` holds the new lines, `before` the lines they replace.
  void roll_up_line_change(const Order& order, const std::vector<OrderLine>& before);
  // Before the parcel row is written: compares it with the stored one.
  void roll_up_parcel(const Parcel& parcel, bool is_new);
  // The stored delivery's outcome, before an update overwrites it.
  DeliveryOutcome stored_outcome(std::int64_t notification_id);
  void roll_up_notification(const Notification& after, DeliveryOutcome before);
  void roll_up(const RollupRows& change);
  // The merchant's offset from UTC, read once per transaction (settings() notes it too).
  int utc_offset();

  Connection& db_;
  TenantId tenant_;
  IdSource* ids_;
  bool appended_events_ = false;
  std::int64_t last_visible_event_ = std::numeric_limits<std::int64_t>::max();
  std::optional<int> utc_offset_;
  std::map<TenantId, MerchantSettings>* settings_memo_ = nullptr;
  RollupRows rollups_;  // this use case's, handed to the batch's buffer once it is kept
  bool recount_rollups_ = false;
};

}  // namespace depot::sql
