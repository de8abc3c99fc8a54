#pragma once
// Copying a store from one SQL database to another (depot migrate-store: SQLite to PostgreSQL),
// over sql::Connection only. Every table of the target but schema_migrations is copied row by row
// with the columns both databases have, each value bound as the type it was read as; tables only
// the source has (SQLite's rollup_rebuilds queue) are left behind. A row the target already holds
// (same key) is left as it is, so a run after an interrupted or earlier one adds only what is
// missing. The whole copy is one transaction on the target, committed only once it checks out:
// every table holds as many of the copied merchants' rows as the source, and every stock balance
// is the sum of its ledger. Ids drawn on the target after the copy are above every copied one.
// The target should be freshly migrated or an earlier copy of the same source, with no depot
// writing to either meanwhile.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/ports.h"
#include "store/sql/connection.h"

namespace depot::sql {

struct TableCopy {
  std::string table;
  std::int64_t rows = 0;   // the source's rows of the merchants copied
  std::int64_t added = 0;  // of which the target did not hold yet
};

struct CopyOptions {
  std::optional<TenantId> tenant;  // only this merchant's rows; every merchant's when empty
  std::function<void(const TableCopy&)> on_table;  // after each table, before the checks
};

struct CopyReport {
  std::vector<TableCopy> tables;
  int sequences_raised = 0;  // id sequences that had to move above the copied ids
  // What did not check out (a table's row count, a SKU's ledger), or empty. When it is not, the
  // target's transaction was rolled back: nothing was copied.
  std::string mismatch;

  std::int64_t rows() const;
  std::int64_t added() const;
  bool changed() const { return added() > 0 || sequences_raised > 0; }
};

// Copies `source` into `target` as described above. The source is read in one transaction (on
// SQLite, one snapshot). Throws Error when a statement fails, with the target rolled back; or
// when a table of the target is missing from the source, or, with a tenant, has no tenant_id to
// tell its merchant's rows by.
CopyReport copy_store(Connection& source, Connection& target, const CopyOptions& options = {});

}  // namespace depot::sql
