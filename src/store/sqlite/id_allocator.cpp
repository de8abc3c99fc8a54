#include "store/sqlite/id_allocator.h"

namespace depot::sqlite {

void IdAllocator::begin_write(Connection& db) {
  // PRAGMA data_version changes exactly when another connection committed since the last call.
  sql::Query version = db.query("PRAGMA data_version");
  version.step();
  if (version.integer(0) != data_version_) {
    next_.clear();
    data_version_ = version.integer(0);
  }
}

std::int64_t IdAllocator::next(sql::Connection& db, const std::string& table) {
  auto found = next_.find(table);
  if (found == next_.end()) {
    sql::Query max = db.query("SELECT COALESCE(MAX(id), 0) FROM " + table);
    max.step();
    found = next_.emplace(table, max.integer(0) + 1).first;
  }
  return found->second++;
}

std::int64_t IdAllocator::last_issued(const std::string& table) const {
  auto found = next_.find(table);
  return found == next_.end() ? 0 : found->second - 1;
}

}  // namespace depot::sqlite
