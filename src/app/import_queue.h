#pragma once
// Bulk imports a background runner applies batch by batch (SPEC SHP-5 shipments, INT-2 orders):
// the face each kind of import shows the runner (workers/import_runner), the report every kind
// answers, and the steps the kinds share. Jobs of every kind are ImportJob rows; each kind keeps
// its rows in a table of its own.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/ports.h"

namespace depot {

// A row that failed: its line in the file, the column at fault (when one is) and why.
struct ImportError {
  std::int64_t line = 0;
  std::string column;
  std::string message;
};

struct ImportReport {
  ImportJob job;
  std::vector<ImportError> errors;  // failed rows, in file order (the first kMaxReportedErrors)
};

inline constexpr int kMaxReportedErrors = 1000;
inline constexpr std::size_t kMaxImportRows = 100'000;

// One kind of import, as the runner drives it. Implementations are thread-safe.
class ImportQueue {
 public:
  virtual ~ImportQueue() = default;
  // What the runner's log calls one of these ("shipment import").
  virtual std::string_view name() const = 0;
  // Imports of this kind not finished yet, of every merchant.
  virtual std::vector<std::pair<TenantId, std::int64_t>> unfinished() = 0;
  // Applies the next batch of one import; true once it has finished. Blocking: for the runner.
  virtual Result<bool> run_batch(TenantId tenant, std::int64_t import_id) = 0;
};

// Imports of `kind` not finished yet, of every merchant.
std::vector<std::pair<TenantId, std::int64_t>> unfinished_imports(Store& store, ImportKind kind);

// The job `import_id` of this kind, or 404: an id of another kind names no import of this one.
Result<ImportJob> find_import_of(ReadTx& tx, ImportKind kind, std::int64_t import_id);

// Walks one page of an import's rows group by group (a parcel, an order): the rows of a group are
// adjacent, `same(a, b)` tells whether two rows belong together. Calls `apply(first, last)` (index
// range, inclusive) for each group until at least `max_rows` rows were applied. When the page is
// full (`page_full`), its last group may go on in the next page: it is left for the next batch,
// unless it is the only group. Returns how many rows the groups applied held.
template <class Row, class Same, class Apply>
std::size_t for_each_group(const std::vector<Row>& rows, bool page_full, std::size_t max_rows,
                           Same same, Apply apply) {
  std::size_t end = 0;
  while (end < rows.size() && end < max_rows) {
    std::size_t last = end;
    while (last + 1 < rows.size() && same(rows[last + 1], rows[end])) ++last;
    if (last + 1 == rows.size() && page_full && end > 0) break;
    apply(end, last);
    end = last + 1;
  }
  return end;
}

// Counts a row's outcome into the job's progress.
void count_outcome(ImportJob& job, RowOutcome outcome);

// Marks the job finished once every row has an outcome, else running; true when finished.
bool settle_progress(ImportJob& job, Instant now);

}  // namespace depot
