#pragma once
// Ids on SQLite: the writer keeps each table's next id in memory, loaded from MAX(id) on first use.
// The counters are only a cache: `begin_write` must run inside every write transaction, after its
// write lock is taken, and drops them when another connection (a CLI command beside the server,
// say) has committed since this one last wrote. So ids always come from the database as it is
// under the lock, and rise in commit order.

#include <cstdint>
#include <map>
#include <string>

#include "store/sql/sql_tx.h"
#include "store/sqlite/connection.h"

namespace depot::sqlite {

class IdAllocator final : public sql::IdSource {
 public:
  void begin_write(Connection& db);
  std::int64_t next(sql::Connection& db, const std::string& table) override;
  // The last id handed out for `table` since the counters were loaded; 0 if none was.
  std::int64_t last_issued(const std::string& table) const;

 private:
  std::map<std::string, std::int64_t> next_;
  std::int64_t data_version_ = -1;
};

}  // namespace depot::sqlite
