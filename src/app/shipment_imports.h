#pragma once
// Bulk shipping from a file (SPEC SHP-5): the rows are stored as a queued import when the file is
// accepted, then applied in batches by a background runner, each batch one write: every good row
// ships, every bad row is kept with its line, column and reason, and progress is readable while it
// runs. Rows of one parcel (order, carrier, tracking number) ship together; a parcel that already
// shipped is left unchanged, so the same file twice applies once. An import interrupted by a
// restart resumes where its last batch committed. Thread-safe.

#include <functional>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "app/import_queue.h"
#include "app/shipping_service.h"
#include "app/write.h"

namespace depot {

class ShipmentImports final : public ImportQueue {
 public:
  ShipmentImports(Store& store, Clock& clock, ShippingService& shipping)
      : store_(store), clock_(clock), shipping_(shipping) {}

  // Called after an import is queued, to wake whatever runs them. Set once, before serving.
  void on_queued(std::function<void()> wake) { wake_ = std::move(wake); }

  // Queues the rows (those already failed by the file's reader keep their outcome).
  void start(const Actor& actor, std::vector<ImportRow> rows, Callback<ImportJob> done);
  Result<ImportReport> report(const Actor& actor, std::int64_t import_id);

  // ImportQueue
  std::string_view name() const override { return "shipment import"; }
  std::vector<std::pair<TenantId, std::int64_t>> unfinished() override;
  Result<bool> run_batch(TenantId tenant, std::int64_t import_id) override;

 private:
  using NumberedRow = std::pair<std::int64_t, ImportRow>;  // (seq, row)
  struct ParcelOutcome {
    RowOutcome outcome;
    std::string column;
    std::string message;
  };
  // Ships one parcel from its rows (rows the reader refused already are left out), the way a
  // single shipment would.
  ParcelOutcome apply_parcel(WriteTx& tx, const std::string& actor,
                             const std::vector<NumberedRow*>& rows, Instant now);

  Store& store_;
  Clock& clock_;
  ShippingService& shipping_;
  std::function<void()> wake_;
};

}  // namespace depot
