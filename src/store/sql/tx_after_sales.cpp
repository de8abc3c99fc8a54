// Returns and exchanges with their lines, refunds, and delivery feedback with its tallies.
#include <boost/json.hpp>

#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace json = boost::json;

namespace {

constexpr const char* kReturnColumns =
    "SELECT id, order_id, kind, status, reason, photos, decision_note, carrier, tracking_no, "
    "inspection_note, restocked, location, replacement_order_id, created_by, created_at, "
    "updated_at, received_at FROM returns ";

constexpr const char* kRefundColumns =
    "SELECT id, order_id, return_id, amount, reason, status, reference, created_by, created_at, "
    "completed_at FROM refunds ";

std::string encode_photos(const std::vector<std::string>& photos) {
  json::array array;
  for (const std::string& url : photos) array.emplace_back(url);
  return json::serialize(array);
}

std::vector<std::string> decode_photos(const std::string& text) {
  std::vector<std::string> photos;
  json::value parsed = json::parse(text);
  for (const json::value& v : parsed.as_array()) photos.emplace_back(v.as_string());
  return photos;
}

ReturnRequest return_from(const Query& q) {
  ReturnRequest r;
  r.id = q.integer(0);
  r.order_id = q.integer(1);
  r.kind = parse_return_kind(q.text(2)).value_or(ReturnKind::return_goods);
  r.status = parse_return_status(q.text(3)).value_or(ReturnStatus::requested);
  r.reason = q.text(4);
  r.photos = decode_photos(q.text(5));
  r.decision_note = q.text(6);
  r.carrier = q.text(7);
  r.tracking_no = q.text(8);
  r.inspection_note = q.text(9);
  if (!q.is_null(10)) r.restocked = q.integer(10) != 0;
  r.location = q.text(11);
  r.replacement_order_id = q.is_null(12) ? 0 : q.integer(12);
  r.created_by = q.text(13);
  r.created_at = from_millis(q.integer(14));
  r.updated_at = from_millis(q.integer(15));
  if (!q.is_null(16)) r.received_at = from_millis(q.integer(16));
  return r;
}

Refund refund_from(const Query& q) {
  Refund r;
  r.id = q.integer(0);
  r.order_id = q.integer(1);
  r.return_id = q.is_null(2) ? 0 : q.integer(2);
  r.amount = q.integer(3);
  r.reason = q.text(4);
  r.status = parse_refund_status(q.text(5)).value_or(RefundStatus::pending);
  r.reference = q.text(6);
  r.created_by = q.text(7);
  r.created_at = from_millis(q.integer(8));
  if (!q.is_null(9)) r.completed_at = from_millis(q.integer(9));
  return r;
}

std::optional<std::int64_t> nonzero(std::int64_t id) {
  return id == 0 ? std::nullopt : std::optional<std::int64_t>(id);
}

std::optional<std::int64_t> millis(const std::optional<Instant>& at) {
  return at ? std::optional<std::int64_t>(to_millis(*at)) : std::nullopt;
}

}  // namespace

void SqlTx::load_return_lines(ReturnRequest& request) {
  Query q = db_.query(
      "SELECT replacement, sku, quantity FROM return_lines WHERE tenant_id = ? AND return_id = ? "
      "ORDER BY replacement, sku");
  q.bind_all(tenant_, request.id);
  while (q.step()) {
    ReturnLine line{q.text(1), q.integer(2)};
    (q.integer(0) != 0 ? request.replacement_lines : request.lines).push_back(std::move(line));
  }
}

std::vector<ReturnRequest> SqlTx::returns_from(Query& rows) {
  std::vector<ReturnRequest> requests;
  while (rows.step()) requests.push_back(return_from(rows));
  for (ReturnRequest& request : requests) load_return_lines(request);
  return requests;
}

std::optional<ReturnRequest> SqlTx::find_return(std::int64_t id) {
  Query q = db_.query(std::string(kReturnColumns) + "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  std::vector<ReturnRequest> found = returns_from(q);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<ReturnRequest> SqlTx::list_returns(const ReturnQuery& query) {
  std::string sql = std::string(kReturnColumns) + "WHERE tenant_id = ?";
  if (query.order_id != 0) sql += " AND order_id = ?";
  if (query.status) sql += " AND status = ?";
  if (query.before_id != 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  Query q = db_.query(sql);
  int index = 1;
  q.bind(index++, tenant_);
  if (query.order_id != 0) q.bind(index++, query.order_id);
  if (query.status) q.bind(index++, to_string(*query.status));
  if (query.before_id != 0) q.bind(index++, query.before_id);
  q.bind(index, query.limit);
  return returns_from(q);
}

std::vector<ReturnRequest> SqlTx::returns_of(std::int64_t order_id) {
  Query q = db_.query(std::string(kReturnColumns) +
                      "INDEXED BY returns_order WHERE tenant_id = ? AND order_id = ? ORDER BY id");
  q.bind_all(tenant_, order_id);
  return returns_from(q);
}

std::optional<ReturnRequest> SqlTx::find_return_by_parcel(const std::string& carrier,
                                                          const std::string& tracking_no) {
  Query q = db_.query(std::string(kReturnColumns) +
                      "WHERE tenant_id = ? AND carrier = ? AND tracking_no = ?");
  q.bind_all(tenant_, carrier, tracking_no);
  std::vector<ReturnRequest> found = returns_from(q);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<std::pair<std::int64_t, std::string>> SqlTx::find_return_by_key(
    const std::string& key) {
  Query q =
      db_.query("SELECT id, fingerprint FROM returns WHERE tenant_id = ? AND idempotency_key = ?");
  q.bind_all(tenant_, key);
  if (!q.step()) return std::nullopt;
  return std::pair{q.integer(0), q.text(1)};
}

void SqlTx::insert_return(ReturnRequest& r, const std::string& idempotency_key,
                          const std::string& fingerprint) {
  r.id = next_id("returns");
  Query q = db_.query(
      "INSERT INTO returns (tenant_id, id, order_id, kind, status, reason, photos, "
      "decision_note, carrier, tracking_no, inspection_note, restocked, location, "
      "replacement_order_id, idempotency_key, fingerprint, created_by, created_at, updated_at, "
      "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, NULL)");
  q.bind_all(tenant_, r.id, r.order_id, to_string(r.kind), to_string(r.status), r.reason,
             encode_photos(r.photos), r.decision_note);
  q.bind_or_null(9, r.carrier).bind_or_null(10, r.tracking_no).bind(11, r.inspection_note);
  q.bind(12, r.location).bind_or_null(13, nonzero(r.replacement_order_id));
  q.bind_or_null(14, idempotency_key).bind(15, fingerprint).bind(16, r.created_by);
  q.bind(17, to_millis(r.created_at)).bind(18, to_millis(r.updated_at));
  q.run();
  auto insert_lines = [&](const std::vector<ReturnLine>& lines, bool replacement) {
    for (const ReturnLine& line : lines) {
      db_.query(
             "INSERT INTO return_lines (tenant_id, return_id, replacement, sku, quantity) "
             "VALUES (?, ?, ?, ?, ?)")
          .bind_all(tenant_, r.id, replacement, line.sku, line.quantity)
          .run();
    }
  };
  insert_lines(r.lines, false);
  insert_lines(r.replacement_lines, true);
  AfterSalesFact fact = r.kind == ReturnKind::exchange ? AfterSalesFact::exchange_request
                                                       : AfterSalesFact::return_request;
  roll_up(after_sales_rollups(fact, r.created_at, utc_offset()));
}

void SqlTx::update_return(const ReturnRequest& r) {
  Query q = db_.query(
      "UPDATE returns SET status = ?, decision_note = ?, carrier = ?, tracking_no = ?, "
      "inspection_note = ?, restocked = ?, location = ?, replacement_order_id = ?, "
      "updated_at = ?, received_at = ? WHERE tenant_id = ? AND id = ?");
  q.bind(1, to_string(r.status)).bind(2, r.decision_note);
  q.bind_or_null(3, r.carrier).bind_or_null(4, r.tracking_no).bind(5, r.inspection_note);
  q.bind_or_null(6, r.restocked ? std::optional<std::int64_t>(*r.restocked) : std::nullopt);
  q.bind(7, r.location).bind_or_null(8, nonzero(r.replacement_order_id));
  q.bind(9, to_millis(r.updated_at)).bind_or_null(10, millis(r.received_at));
  q.bind(11, tenant_).bind(12, r.id);
  q.run();
}

std::optional<Refund> SqlTx::find_refund(std::int64_t id) {
  Query q = db_.query(std::string(kRefundColumns) + "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  return refund_from(q);
}

std::vector<Refund> SqlTx::list_refunds(const RefundQuery& query) {
  std::string sql = std::string(kRefundColumns) + "WHERE tenant_id = ?";
  if (query.order_id != 0) sql += " AND order_id = ?";
  if (query.status) sql += " AND status = ?";
  if (query.before_id != 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  Query q = db_.query(sql);
  int index = 1;
  q.bind(index++, tenant_);
  if (query.order_id != 0) q.bind(index++, query.order_id);
  if (query.status) q.bind(index++, to_string(*query.status));
  if (query.before_id != 0) q.bind(index++, query.before_id);
  q.bind(index, query.limit);
  std::vector<Refund> refunds;
  while (q.step()) refunds.push_back(refund_from(q));
  return refunds;
}

std::vector<Refund> SqlTx::refunds_of(std::int64_t order_id) {
  Query q = db_.query(std::string(kRefundColumns) +
                      "INDEXED BY refunds_order WHERE tenant_id = ? AND order_id = ? ORDER BY id");
  q.bind_all(tenant_, order_id);
  std::vector<Refund> refunds;
  while (q.step()) refunds.push_back(refund_from(q));
  return refunds;
}

std::optional<std::pair<std::int64_t, std::string>> SqlTx::find_refund_by_key(
    const std::string& key) {
  Query q =
      db_.query("SELECT id, fingerprint FROM refunds WHERE tenant_id = ? AND idempotency_key = ?");
  q.bind_all(tenant_, key);
  if (!q.step()) return std::nullopt;
  return std::pair{q.integer(0), q.text(1)};
}

void SqlTx::insert_refund(Refund& r, const std::string& idempotency_key,
                          const std::string& fingerprint) {
  r.id = next_id("refunds");
  Query q = db_.query(
      "INSERT INTO refunds (tenant_id, id, order_id, return_id, amount, reason, status, "
      "reference, idempotency_key, fingerprint, created_by, created_at, completed_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, tenant_).bind(2, r.id).bind(3, r.order_id).bind_or_null(4, nonzero(r.return_id));
  q.bind(5, r.amount).bind(6, r.reason).bind(7, to_string(r.status)).bind(8, r.reference);
  q.bind_or_null(9, idempotency_key).bind(10, fingerprint).bind(11, r.created_by);
  q.bind(12, to_millis(r.created_at)).bind_or_null(13, millis(r.completed_at));
  q.run();
}

void SqlTx::update_refund(const Refund& r) {
  Query q = db_.query(
      "UPDATE refunds SET status = ?, reference = ?, completed_at = ? "
      "WHERE tenant_id = ? AND id = ?");
  q.bind(1, to_string(r.status)).bind(2, r.reference).bind_or_null(3, millis(r.completed_at));
  q.bind(4, tenant_).bind(5, r.id);
  q.run();
}

std::optional<Feedback> SqlTx::feedback_of(std::int64_t order_id) {
  Query q = db_.query(
      "SELECT id, intact, rating, comment, actor, created_at FROM delivery_feedback "
      "WHERE tenant_id = ? AND order_id = ?");
  q.bind_all(tenant_, order_id);
  if (!q.step()) return std::nullopt;
  Feedback f;
  f.id = q.integer(0);
  f.order_id = order_id;
  f.intact = q.integer(1) != 0;
  f.rating = q.integer(2);
  f.comment = q.text(3);
  f.actor = q.text(4);
  f.created_at = from_millis(q.integer(5));
  return f;
}

// One row per feedback and carrier (however many parcels went with it) or per feedback and SKU
// (order_skus holds one row per order and SKU), then counted per key.
std::vector<FeedbackTally> SqlTx::feedback_tallies(FeedbackGrouping by, int limit) {
  const char* pairs =
      by == FeedbackGrouping::carrier
          ? "SELECT DISTINCT f.id, f.rating, f.intact, s.carrier AS key FROM delivery_feedback f "
            "JOIN shipments s INDEXED BY shipments_order "
            "ON s.tenant_id = f.tenant_id AND s.order_id = f.order_id WHERE f.tenant_id = ?"
          : "SELECT f.id, f.rating, f.intact, k.sku AS key FROM delivery_feedback f "
            "JOIN order_skus k ON k.tenant_id = f.tenant_id AND k.order_id = f.order_id "
            "WHERE f.tenant_id = ?";
  Query q = db_.query(std::string("WITH pairs AS (") + pairs +
                      ") SELECT key, COUNT(*), SUM(rating), SUM(intact) FROM pairs "
                      "GROUP BY key ORDER BY COUNT(*) DESC, key LIMIT ?");
  q.bind_all(tenant_, limit);
  std::vector<FeedbackTally> tallies;
  while (q.step()) tallies.push_back({q.text(0), q.integer(1), q.integer(2), q.integer(3)});
  return tallies;
}

bool SqlTx::insert_feedback(Feedback& f) {
  std::int64_t id = next_id("delivery_feedback");
  db_.query(
         "INSERT INTO delivery_feedback (tenant_id, id, order_id, intact, rating, comment, actor, "
         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .bind_all(tenant_, id, f.order_id, f.intact, f.rating, f.comment, f.actor,
                to_millis(f.created_at))
      .run();
  if (db_.changes() == 0) return false;
  f.id = id;
  roll_up(feedback_rollups(f.created_at, f.rating, f.intact, utc_offset()));
  return true;
}

}  // namespace depot::sql
