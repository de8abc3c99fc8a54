#include "app/import_queue.h"

namespace depot {

std::string_view to_string(ImportKind kind) {
  switch (kind) {
    case ImportKind::shipments:
      return "shipments";
    case ImportKind::orders:
      return "orders";
  }
  return "shipments";
}

std::optional<ImportKind> parse_import_kind(std::string_view text) {
  for (ImportKind kind : {ImportKind::shipments, ImportKind::orders}) {
    if (to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

std::vector<std::pair<TenantId, std::int64_t>> unfinished_imports(Store& store, ImportKind kind) {
  std::vector<std::pair<TenantId, std::int64_t>> jobs;
  for (TenantId tenant : store.tenant_ids()) {
    for (std::int64_t id : store.read(tenant)->unfinished_imports(kind)) {
      jobs.emplace_back(tenant, id);
    }
  }
  return jobs;
}

Result<ImportJob> find_import_of(ReadTx& tx, ImportKind kind, std::int64_t import_id) {
  std::optional<ImportJob> job = tx.find_import(import_id);
  if (!job || job->kind != kind) {
    return error(ErrorCode::not_found, "import " + std::to_string(import_id) + " was not found");
  }
  return std::move(*job);
}

void count_outcome(ImportJob& job, RowOutcome outcome) {
  switch (outcome) {
    case RowOutcome::applied:
      ++job.applied;
      break;
    case RowOutcome::unchanged:
      ++job.unchanged;
      break;
    case RowOutcome::failed:
      ++job.failed;
      break;
    case RowOutcome::pending:
      break;
  }
}

bool settle_progress(ImportJob& job, Instant now) {
  bool finished = job.applied + job.unchanged + job.failed >= job.total;
  job.status = finished ? ImportStatus::finished : ImportStatus::running;
  if (finished) job.finished_at = now;
  return finished;
}

}  // namespace depot
