#pragma once
// The report rollups in SQL (SQLite schema 0008), for every SQL store: applying a change's rows in
// the transaction of the change (merged with the rest of its group commit's), and rebuilding a
// merchant's rollups from the raw tables (when the schema first arrives, and when the merchant's
// time zone changes, since every day key depends on it). The definitions are the domain's
// (domain/rollups.h); the rebuild counts the same in SQL, and the store tests check that both
// agree.

#include <map>
#include <string>
#include <tuple>

#include "app/ports.h"
#include "domain/rollups.h"
#include "store/sql/connection.h"

namespace depot::sql {

// Adds each row's values to its rollup row (creating it), and deletes rows left all zero.
void apply_rollups(Connection& db, TenantId tenant, const RollupRows& change);

// The rollup rows of many changes, merged by merchant and key, to apply in one go. The writer
// keeps a group commit's rows here and applies them just before COMMIT, in the same transaction:
// the hundred orders of one day and SKU in a batch write their sku_days row once, not a hundred
// times. Nothing reads the rollups inside a write, so no write sees them late.
class RollupBuffer {
 public:
  void add(TenantId tenant, const RollupRows& change);
  // Forgets the merchant's rows (its rollups are being recounted from the tables).
  void forget(TenantId tenant);
  bool empty() const { return rows_.empty(); }
  // apply_rollups() of every merged row that still moves something; then the buffer is empty.
  void apply(Connection& db);

 private:
  using Key = std::tuple<TenantId, Rollup, std::string, std::string, std::string>;
  std::map<Key, RollupValues> rows_;
};

// Replaces the merchant's rollups with a recount of its orders, shipments, parcels,
// notifications, returns, complaints and feedback. Costs a scan of the merchant's history.
void rebuild_rollups(Connection& db, TenantId tenant, int utc_offset_minutes);

// SQL shared by the rebuild and the reads that count as the rollups do. In both, ?1 is the
// merchant and ?2 its offset from UTC in minutes.
// The merchant's day of a millisecond column, as the domain's local_day() computes it.
std::string day_of(const Connection& db, const std::string& column);
// The order lines customer_sku_days counts, as FROM and WHERE over orders `o` and their lines `l`.
std::string customer_lines();

// The merchant's offset from UTC as stored (the default when it has no settings yet).
int stored_utc_offset(Connection& db, TenantId tenant);

}  // namespace depot::sql
