#pragma once
// Bulk import of orders from a file (SPEC INT-2): the rows are stored as a queued import when the
// file is accepted, then applied in batches by the background runner (workers/import_runner), each
// batch one write, with progress readable while it runs. Rows with the same platform and external
// number are one order, created, changed or left as it is exactly as a platform's delivery of it
// would be (IntegrationService::sync_in), so the same file twice applies once. An order with any
// bad row is not applied: all of its rows fail, each with its line, column and reason. An import
// interrupted by a restart resumes where its last batch committed. Thread-safe.

#include <functional>
#include <future>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "app/import_queue.h"
#include "app/integration_service.h"
#include "app/write.h"

namespace depot {

class OrderImports final : public ImportQueue {
 public:
  OrderImports(Store& store, Clock& clock, IntegrationService& integrations)
      : store_(store), clock_(clock), integrations_(integrations) {}

  // Called after an import is queued, to wake whatever runs them. Set once, before serving.
  void on_queued(std::function<void()> wake) { wake_ = std::move(wake); }

  // Queues the rows (those already failed by the file's reader keep their outcome). Needs
  // Permission::create_orders; the rows are applied as the actor.
  void start(const Actor& actor, std::vector<OrderImportRow> rows, Callback<ImportJob> done);
  Result<ImportReport> report(const Actor& actor, std::int64_t import_id);

  // ImportQueue
  std::string_view name() const override { return "order import"; }
  std::vector<std::pair<TenantId, std::int64_t>> unfinished() override;
  Result<bool> run_batch(TenantId tenant, std::int64_t import_id) override;

 private:
  using NumberedRow = std::pair<std::int64_t, OrderImportRow>;  // (seq, row)
  // Queues the write that applies one order and records its rows' outcomes with it.
  std::future<Result<RowOutcome>> apply_order(const Actor& actor, std::int64_t import_id,
                                              const std::vector<NumberedRow*>& rows,
                                              PreparedPlatformOrder prepared);

  Store& store_;
  Clock& clock_;
  IntegrationService& integrations_;
  std::function<void()> wake_;
};

}  // namespace depot
