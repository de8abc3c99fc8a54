#pragma once
// The store's interfaces for shipping (SPEC SHP-1 … SHP-5): shipments, the reminder sweep, bulk
// imports, rules, blacklists and the geocoder account. ReadTx and WriteTx (app/ports.h) include
// them, so one unit of work still spans every aggregate; each concern reads on one screen here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/geocoder.h"
#include "domain/order.h"
#include "domain/rule.h"
#include "domain/shipment.h"

namespace depot {

enum class ImportStatus { queued, running, finished };
std::string_view to_string(ImportStatus status);
std::optional<ImportStatus> parse_import_status(std::string_view text);

// What a bulk import applies: parcels (SHP-5) or orders (INT-2). Both kinds share the job rows,
// their progress and the runner; each keeps its rows in a table of its own.
enum class ImportKind { shipments, orders };
std::string_view to_string(ImportKind kind);
std::optional<ImportKind> parse_import_kind(std::string_view text);

enum class RowOutcome { pending, applied, unchanged, failed };

// One row of a bulk shipment file, as read: the quantity is 0 when the row names no SKU (ship
// everything left), and `line` is the row's line in the file.
struct ImportRow {
  std::int64_t line = 0;
  std::string order_no;
  std::string carrier;
  std::string tracking_no;
  std::string sku;
  std::int64_t quantity = 0;
  RowOutcome outcome = RowOutcome::pending;
  std::string column;  // the column at fault when failed
  std::string message;
};

struct ImportJob {
  std::int64_t id = 0;
  ImportKind kind = ImportKind::shipments;
  ImportStatus status = ImportStatus::queued;
  std::int64_t total = 0;
  std::int64_t applied = 0;    // rows that shipped something, or created or changed an order
  std::int64_t unchanged = 0;  // rows already applied by an earlier import
  std::int64_t failed = 0;
  std::string actor;
  Instant created_at;
  std::optional<Instant> finished_at;
};

class ShippingReads {
 public:
  virtual ~ShippingReads() = default;
  virtual std::vector<Shipment> shipments_of(std::int64_t order_id) = 0;
  virtual std::optional<std::int64_t> find_order_id(const std::string& order_no) = 0;
  // Orders still waiting to ship whose promised time is before `cutoff`, soonest first, after
  // (due, id) of the previous page.
  virtual std::vector<Order> orders_due_before(Instant cutoff, Instant after_due,
                                               std::int64_t after_id, int limit) = 0;
  virtual std::optional<ImportJob> find_import(std::int64_t id) = 0;
  // Rows of an import by position (1-based seq), those after `after_seq`.
  virtual std::vector<std::pair<std::int64_t, ImportRow>> import_rows(std::int64_t import_id,
                                                                      std::int64_t after_seq,
                                                                      int limit) = 0;
  virtual std::vector<ImportRow> failed_import_rows(std::int64_t import_id, int limit) = 0;
  virtual std::vector<std::int64_t> unfinished_imports(ImportKind kind) = 0;
};

class ShippingWrites {
 public:
  virtual ~ShippingWrites() = default;
  // Stores the shipment and its lines; fills in its id.
  virtual void insert_shipment(Shipment& shipment) = 0;
  // Stores a job of kind shipments with its rows.
  virtual std::int64_t insert_import(const ImportJob& job, const std::vector<ImportRow>& rows) = 0;
  virtual void update_import(const ImportJob& job) = 0;
  virtual void record_import_row(std::int64_t import_id, std::int64_t seq,
                                 const ImportRow& row) = 0;
};

class RuleReads {
 public:
  virtual ~RuleReads() = default;
  virtual std::vector<Rule> rules() = 0;  // by id
  virtual std::optional<Rule> find_rule(std::int64_t id) = 0;
  virtual bool on_blacklist(const std::string& list, const std::string& key) = 0;
  virtual std::vector<BlacklistEntry> blacklist(const std::string& list) = 0;
  // Orders with this customer phone created in [from, to].
  virtual std::int64_t count_orders_by_phone(const std::string& phone, Instant from,
                                             Instant to) = 0;
  virtual std::optional<GeocoderConfig> geocoder_config() = 0;
};

class RuleWrites {
 public:
  virtual ~RuleWrites() = default;
  virtual std::int64_t insert_rule(const Rule& rule) = 0;
  virtual void update_rule(const Rule& rule) = 0;
  virtual bool delete_rule(std::int64_t id) = 0;
  virtual void add_to_blacklist(const BlacklistEntry& entry) = 0;
  virtual bool remove_from_blacklist(const std::string& list, const std::string& key) = 0;
  virtual void save_geocoder_config(const std::optional<GeocoderConfig>& config) = 0;
};

}  // namespace depot
