// Parcel tracking: the aggregator account, parcels and their checkpoints, the workers' sweeps.
#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace {

constexpr std::string_view kProvider = "kuaidi100";

constexpr const char* kParcelColumns =
    "SELECT id, order_id, return_id, carrier, tracking_no, phone, origin, destination, status, "
    "active, shipped_at, last_update_at, delivered_at, eta_at, stalled_at, stall_notified, "
    "subscription, subscribe_attempts, subscribe_error, next_subscribe_at, next_poll_at "
    "FROM parcels ";

std::optional<Instant> optional_instant(const Query& q, int column) {
  if (q.is_null(column)) return std::nullopt;
  return from_millis(q.integer(column));
}

std::optional<std::int64_t> optional_millis(const std::optional<Instant>& at) {
  if (!at) return std::nullopt;
  return to_millis(*at);
}

Parcel parcel_from(const Query& q) {
  Parcel p;
  p.id = q.integer(0);
  p.order_id = q.integer(1);
  p.return_id = q.integer(2);
  p.carrier = q.text(3);
  p.tracking_no = q.text(4);
  p.phone = q.text(5);
  p.origin = q.text(6);
  p.destination = q.text(7);
  p.status = parse_parcel_status(q.text(8)).value_or(ParcelStatus::info_received);
  p.active = q.integer(9) != 0;
  p.shipped_at = from_millis(q.integer(10));
  p.last_update_at = from_millis(q.integer(11));
  p.delivered_at = optional_instant(q, 12);
  p.eta = optional_instant(q, 13);
  p.stalled_at = optional_instant(q, 14);
  p.stall_notified = q.integer(15) != 0;
  p.subscription = parse_subscription(q.text(16)).value_or(Subscription::pending);
  p.subscribe_attempts = static_cast<int>(q.integer(17));
  p.subscribe_error = q.text(18);
  p.next_subscribe_at = optional_instant(q, 19);
  p.next_poll_at = optional_instant(q, 20);
  return p;
}

std::vector<Parcel> parcels_from(Query& q) {
  std::vector<Parcel> parcels;
  while (q.step()) parcels.push_back(parcel_from(q));
  return parcels;
}

}  // namespace

std::optional<CarrierAccount> SqlTx::carrier_account() {
  Query q = db_.query(
      "SELECT url, key, customer, salt, callback_token, updated_at FROM carrier_accounts "
      "WHERE tenant_id = ? AND provider = ?");
  q.bind_all(tenant_, kProvider);
  if (!q.step()) return std::nullopt;
  return CarrierAccount{
      {q.text(0), q.text(1), q.text(2), q.text(3)}, q.text(4), from_millis(q.integer(5))};
}

std::string SqlTx::link_key() {
  Query q = db_.query("SELECT link_key FROM tenant_secrets WHERE tenant_id = ?");
  q.bind_all(tenant_);
  return q.step() ? q.text(0) : std::string();
}

std::optional<Parcel> SqlTx::find_parcel(std::int64_t id) {
  Query q = db_.query(std::string(kParcelColumns) + "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  return parcel_from(q);
}

std::vector<Parcel> SqlTx::parcels_of(std::int64_t order_id) {
  Query q = db_.query(std::string(kParcelColumns) +
                      "INDEXED BY parcels_order WHERE tenant_id = ? AND order_id = ? ORDER BY id");
  q.bind_all(tenant_, order_id);
  return parcels_from(q);
}

std::vector<Parcel> SqlTx::parcels_by_number(const std::string& tracking_no) {
  // Named: left to itself SQLite walks every parcel of the merchant in id order to skip a sort.
  Query q = db_.query(std::string(kParcelColumns) +
                      "INDEXED BY parcels_number WHERE tenant_id = ? AND tracking_no = ? "
                      "ORDER BY id");
  q.bind_all(tenant_, tracking_no);
  return parcels_from(q);
}

std::vector<StoredCheckpoint> SqlTx::checkpoints_of(std::int64_t parcel_id) {
  Query q = db_.query(
      "SELECT at, text, status, location, raw_state, source FROM tracking_events "
      "WHERE tenant_id = ? AND parcel_id = ? ORDER BY at, recorded_at");
  q.bind_all(tenant_, parcel_id);
  std::vector<StoredCheckpoint> checkpoints;
  while (q.step()) {
    Checkpoint c;
    c.at = from_millis(q.integer(0));
    c.text = q.text(1);
    c.status = parse_parcel_status(q.text(2)).value_or(ParcelStatus::in_transit);
    c.location = q.text(3);
    c.raw_state = q.text(4);
    checkpoints.push_back({std::move(c), q.text(5)});
  }
  return checkpoints;
}

std::vector<Parcel> SqlTx::parcels_to_subscribe(Instant now, int limit) {
  Query q = db_.query(std::string(kParcelColumns) +
                      "INDEXED BY parcels_subscribe WHERE tenant_id = ? AND next_subscribe_at "
                      "IS NOT NULL AND next_subscribe_at <= ? ORDER BY next_subscribe_at LIMIT ?");
  q.bind_all(tenant_, to_millis(now), limit);
  return parcels_from(q);
}

std::vector<Parcel> SqlTx::parcels_to_poll(Instant now, int limit) {
  Query q = db_.query(std::string(kParcelColumns) +
                      "INDEXED BY parcels_poll WHERE tenant_id = ? AND next_poll_at IS NOT NULL "
                      "AND next_poll_at <= ? ORDER BY next_poll_at LIMIT ?");
  q.bind_all(tenant_, to_millis(now), limit);
  return parcels_from(q);
}

std::vector<Parcel> SqlTx::quiet_parcels(Instant before, Instant after_update,
                                         std::int64_t after_id, int limit) {
  Query q = db_.query(std::string(kParcelColumns) +
                      "INDEXED BY parcels_quiet WHERE tenant_id = ? AND active = 1 AND stalled_at "
                      "IS NULL AND last_update_at < ? AND (last_update_at, id) > (?, ?) "
                      "ORDER BY last_update_at, id LIMIT ?");
  q.bind_all(tenant_, to_millis(before), to_millis(after_update), after_id, limit);
  return parcels_from(q);
}

std::vector<Parcel> SqlTx::delivered_parcels(Instant since, int limit) {
  Query q = db_.query(std::string(kParcelColumns) +
                      "INDEXED BY parcels_delivered WHERE tenant_id = ? AND delivered_at IS NOT "
                      "NULL AND return_id = 0 AND delivered_at >= ? ORDER BY delivered_at DESC "
                      "LIMIT ?");
  q.bind_all(tenant_, to_millis(since), limit);
  return parcels_from(q);
}

void SqlTx::save_carrier_account(const CarrierAccount& a) {
  db_.query(
         "INSERT INTO carrier_accounts (tenant_id, provider, url, key, customer, salt, "
         "callback_token, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
         "ON CONFLICT (tenant_id, provider) DO UPDATE SET url = excluded.url, key = excluded.key, "
         "customer = excluded.customer, salt = excluded.salt, "
         "callback_token = excluded.callback_token, updated_at = excluded.updated_at")
      .bind_all(tenant_, kProvider, a.account.url, a.account.key, a.account.customer,
                a.account.salt, a.callback_token, to_millis(a.updated_at))
      .run();
}

void SqlTx::insert_parcel(Parcel& p) {
  if (p.id == 0) p.id = next_id("parcels");
  roll_up_parcel(p, true);
  db_.query(
         "INSERT INTO parcels (tenant_id, id, order_id, return_id, carrier, tracking_no, phone, "
         "origin, destination, shipped_at, status, active, last_update_at, stall_notified, "
         "subscription, subscribe_attempts, subscribe_error, delivered_at, eta_at, stalled_at, "
         "next_subscribe_at, next_poll_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, p.id, p.order_id, p.return_id, p.carrier, p.tracking_no, p.phone, p.origin,
                p.destination, to_millis(p.shipped_at), to_string(p.status), p.active,
                to_millis(p.last_update_at), p.stall_notified, to_string(p.subscription),
                p.subscribe_attempts, p.subscribe_error)
      .bind_or_null(18, optional_millis(p.delivered_at))
      .bind_or_null(19, optional_millis(p.eta))
      .bind_or_null(20, optional_millis(p.stalled_at))
      .bind_or_null(21, optional_millis(p.next_subscribe_at))
      .bind_or_null(22, optional_millis(p.next_poll_at))
      .run();
}

void SqlTx::update_parcel(const Parcel& p) {
  roll_up_parcel(p, false);
  db_.query(
         "UPDATE parcels SET status = ?, active = ?, last_update_at = ?, stall_notified = ?, "
         "subscription = ?, subscribe_attempts = ?, subscribe_error = ?, delivered_at = ?, "
         "eta_at = ?, stalled_at = ?, next_subscribe_at = ?, next_poll_at = ? "
         "WHERE tenant_id = ? AND id = ?")
      .bind_all(to_string(p.status), p.active, to_millis(p.last_update_at), p.stall_notified,
                to_string(p.subscription), p.subscribe_attempts, p.subscribe_error)
      .bind_or_null(8, optional_millis(p.delivered_at))
      .bind_or_null(9, optional_millis(p.eta))
      .bind_or_null(10, optional_millis(p.stalled_at))
      .bind_or_null(11, optional_millis(p.next_subscribe_at))
      .bind_or_null(12, optional_millis(p.next_poll_at))
      .bind(13, tenant_)
      .bind(14, p.id)
      .run();
}

bool SqlTx::add_checkpoint(std::int64_t parcel_id, const Checkpoint& c, std::string_view source,
                           Instant now) {
  db_.query(
         "INSERT INTO tracking_events (tenant_id, parcel_id, at, text, status, location, "
         "raw_state, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
         "ON CONFLICT DO NOTHING")
      .bind_all(tenant_, parcel_id, to_millis(c.at), c.text, to_string(c.status), c.location,
                c.raw_state, source, to_millis(now))
      .run();
  return db_.changes() > 0;
}

}  // namespace depot::sql
