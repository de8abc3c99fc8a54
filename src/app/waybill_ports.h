#pragma once
// The store's interfaces for one-click shipping: the merchant's electronic-waybill account with
// the aggregator, the waybills bought for parcels (and their labels), batch shipping jobs, and
// the sender address of each warehouse. ReadTx and WriteTx (app/ports.h) include them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog.h"
#include "domain/time.h"

namespace depot {

// A merchant's account for electronic waybills (电子面单) with the aggregator
// (PUT /api/v1/carriers/kuaidi100/waybill). `carriers` holds, per depot carrier code ("SF"), the
// fields that carrier's account needs, by the aggregator's names (partnerId, partnerKey,
// partnerSecret, partnerName, net, code, checkMan, tempId, expType, …), passed on as given.
struct WaybillAccount {
  std::string url;     // the aggregator's base URL, without a trailing slash
  std::string key;     // the merchant's authorisation key
  std::string secret;  // signs requests; never shown
  std::map<std::string, std::map<std::string, std::string>> carriers;
  Instant updated_at;
};

// The account's fields that are secrets: kept when a PUT omits them, never shown by a GET.
inline constexpr std::string_view kWaybillSecretFields[] = {"partnerKey", "partnerSecret"};

// requested: a request was (or is about to be) sent and its answer is not recorded; issued: the
// aggregator gave a tracking number; failed: refused for good; cancelled: given back.
enum class WaybillStatus { requested, issued, failed, cancelled };
std::string_view to_string(WaybillStatus status);
std::optional<WaybillStatus> parse_waybill_status(std::string_view text);

// One electronic waybill for one parcel of an order. `parcel_key` is the `orderId` sent to the
// aggregator: unique per parcel and the same on every retry, so a retry never buys a second one.
struct Waybill {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  int parcel = 1;  // the order's parcel number (1 for its first parcel)
  std::string parcel_key;
  std::string carrier;  // depot carrier code
  WaybillStatus status = WaybillStatus::requested;
  std::string tracking_no;
  std::string provider_order_no;  // the carrier's order number (kdComOrderNum), for cancel
  std::string label_format;       // "png", "pdf", or "" when the aggregator gave no label
  std::string error;              // why it failed
  std::int64_t batch_id = 0;      // the batch that asked for it, 0 for none
  Instant created_at;
  Instant updated_at;
};

struct WaybillLabel {
  std::string format;  // "png" or "pdf"
  std::string bytes;
};

enum class BatchStatus { queued, running, finished };
std::string_view to_string(BatchStatus status);
std::optional<BatchStatus> parse_batch_status(std::string_view text);

// What a batch did with one of its orders.
enum class BatchOutcome { pending, shipped, skipped, failed };
std::string_view to_string(BatchOutcome outcome);
std::optional<BatchOutcome> parse_batch_outcome(std::string_view text);

struct BatchOrder {
  std::int64_t order_id = 0;
  BatchOutcome outcome = BatchOutcome::pending;
  std::vector<std::string> reasons;  // why it was skipped or failed
  std::string tracking_no;           // when shipped
};

// A batch shipping job (POST /api/v1/shipments/batch): its orders get waybills and ship.
struct ShipmentBatch {
  std::int64_t id = 0;
  std::string carrier;  // depot carrier code
  BatchStatus status = BatchStatus::queued;
  std::int64_t total = 0;
  std::int64_t shipped = 0;
  std::int64_t skipped = 0;
  std::int64_t failed = 0;
  std::string actor;
  Instant created_at;
  std::optional<Instant> finished_at;
};

class WaybillReads {
 public:
  virtual ~WaybillReads() = default;
  virtual std::optional<WaybillAccount> waybill_account() = 0;
  virtual std::optional<Waybill> find_waybill(const std::string& parcel_key) = 0;
  virtual std::vector<Waybill> waybills_of(std::int64_t order_id) = 0;
  virtual std::optional<WaybillLabel> waybill_label(std::int64_t waybill_id) = 0;
  virtual std::optional<ShipmentBatch> find_batch(std::int64_t id) = 0;
  // The batch's orders in the order they were given.
  virtual std::vector<BatchOrder> batch_orders(std::int64_t batch_id) = 0;
  virtual std::vector<std::int64_t> unfinished_batches() = 0;
};

class WaybillWrites {
 public:
  virtual ~WaybillWrites() = default;
  virtual void save_waybill_account(const WaybillAccount& account) = 0;
  // Stores a new waybill and fills in its id; false (nothing stored) when its parcel_key exists.
  virtual bool insert_waybill(Waybill& waybill) = 0;
  virtual void update_waybill(const Waybill& waybill) = 0;
  virtual void save_waybill_label(std::int64_t waybill_id, const WaybillLabel& label) = 0;
  // Stores the batch with its orders (all pending); fills in its id.
  virtual void insert_batch(ShipmentBatch& batch, const std::vector<std::int64_t>& order_ids) = 0;
  virtual void update_batch(const ShipmentBatch& batch) = 0;
  virtual void record_batch_order(std::int64_t batch_id, const BatchOrder& order) = 0;
  // Sets (or replaces) a warehouse's sender address; false when there is no such warehouse.
  virtual bool save_warehouse_sender(const std::string& code, const SenderAddress& sender) = 0;
};

}  // namespace depot
