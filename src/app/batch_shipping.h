#pragma once
// Batch shipping (一键发货): many awaiting-shipment orders, chosen by id or by a filter, each
// verified, given an electronic waybill by the aggregator and shipped with its tracking number,
// with an outcome per order. A batch is a job: it is stored with its orders when asked for and a
// background runner (workers/import_runner) works through it a chunk at a time, so a restart
// resumes it where it stopped. Once every order has an outcome the batch's labels, packing slips
// and pick list are rendered into one PDF to print at once, at label size and on A4.
//
// Safe to repeat: a parcel's waybill is asked for under a key unique to the parcel
// ("depot-{merchant}-{order}-{parcel}"), stored before the request is sent and reused by every
// retry, so a retry after a crash or a repeated batch never buys a second waybill; an order that
// has shipped is reported as skipped, not shipped again.
//
// Thread safety: every member may be called from any thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/documents.h"
#include "app/export_files.h"
#include "app/import_queue.h"
#include "app/shipping_service.h"
#include "app/waybill_issuer.h"
#include "app/write.h"

namespace depot {

class PrintService;
class TrackingService;

struct BatchInput {
  std::vector<std::int64_t> order_ids;
  // When no ids are given: awaiting-shipment orders matching it (its status is ignored), oldest
  // first, at most its limit.
  std::optional<OrderQuery> filter;
  std::string carrier;  // any code GET /carriers lists
};

struct BatchReport {
  ShipmentBatch batch;
  std::vector<BatchOrder> orders;  // in the order given
};

class BatchShipping final : public ImportQueue {
 public:
  static constexpr std::size_t kMaxOrders = 1000;
  // Orders prepared, sent to the aggregator and shipped together: one write before the waybill
  // requests and one after, for this many orders.
  static constexpr std::size_t kChunk = 50;

  BatchShipping(Store& store, Clock& clock, ShippingService& shipping, WaybillIssuer& waybills,
                const TrackingService& tracking, PrintService& print, ExportFiles& files)
      : store_(store),
        clock_(clock),
        shipping_(shipping),
        waybills_(waybills),
        tracking_(tracking),
        print_(print),
        files_(files) {}

  // Stores the batch (202 for the caller) and wakes the runner. Refuses (422 naming the field) an
  // unknown carrier, a carrier the waybill account has no account for, no sender address for
  // warehouse main, and no orders or more than kMaxOrders. Needs Permission::ship_orders.
  void create(const Actor& actor, BatchInput input, Callback<ShipmentBatch> done);
  Result<BatchReport> report(const Actor& actor, std::int64_t id);
  // The path of the batch's PDF (labels, packing slips and the pick list) at `size`; 409 until
  // the batch has finished. Renders it again if its file has gone.
  Result<std::string> labels_pdf(const Actor& actor, std::int64_t id, PaperSize size);

  // Called when a batch was stored: the runner's wake-up. Set before use.
  void on_queued(std::function<void()> listener) { on_queued_ = std::move(listener); }

  // ImportQueue: the runner's face.
  std::string_view name() const override { return "shipment batch"; }
  std::vector<std::pair<TenantId, std::int64_t>> unfinished() override;
  Result<bool> run_batch(TenantId tenant, std::int64_t batch_id) override;

 private:
  struct Step;
  // Verifies and plans a waybill for each order, in one write.
  Result<std::vector<Step>> prepare(TenantId tenant, const ShipmentBatch& batch,
                                    const std::vector<std::int64_t>& order_ids);
  // Asks the aggregator for the waybills the steps need, all at once; waits for every answer.
  void request_waybills(const WaybillAccount& account, std::vector<Step>& steps);
  // Stores the waybills, ships the orders and records every outcome, in one write.
  Result<std::vector<Waybill>> complete(TenantId tenant, std::int64_t batch_id,
                                        std::vector<Step>& steps);
  // Gives back waybills bought for orders that then could not ship.
  void cancel_waybills(TenantId tenant, const WaybillAccount& account,
                       const std::vector<Waybill>& unused);
  Status render(TenantId tenant, std::int64_t batch_id, PaperSize size);
  std::string file_name(TenantId tenant, std::int64_t batch_id, PaperSize size) const;

  Store& store_;
  Clock& clock_;
  ShippingService& shipping_;
  WaybillIssuer& waybills_;
  const TrackingService& tracking_;
  PrintService& print_;
  ExportFiles& files_;
  std::function<void()> on_queued_;
};

}  // namespace depot
