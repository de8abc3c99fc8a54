#pragma once
// One sqlite3 connection behind the SQL stores' connection interface: prepared statements cached
// by their SQL text, typed binding and reading. SQLite failures throw SqliteError, which carries
// SQLite's result code for the store that tells a full disk from a failing one.
// Not thread-safe: one thread uses a connection at a time.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sql/connection.h"

namespace depot::sqlite {

using sql::Query;

class SqliteError : public sql::Error {
 public:
  explicit SqliteError(const std::string& what, int code = SQLITE_ERROR)
      : sql::Error(what, failure_of(code)), code_(code) {}

  // SQLite's extended result code (SQLITE_CONSTRAINT_UNIQUE, SQLITE_FULL, …).
  int code() const { return code_; }

 private:
  static sql::Failure failure_of(int code);
  int code_;
};

class Connection final : public sql::Connection {
 public:
  // Opens (creating if needed) the database file and applies the pragmas every connection uses.
  Connection(const std::string& path, bool writer);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() override;

  Query query(std::string_view sql) override;
  void exec(const char* sql) override;
  int changes() override { return sqlite3_changes(db_); }
  std::string day_of(const std::string& column, const std::string& offset_parameter) const override;
  const char* like_ignoring_case() const override { return "LIKE"; }
  std::vector<std::string> tables() override;
  std::vector<std::string> columns(const std::string& table) override;
  // Nothing to raise: the store's ids follow MAX(id) of each table (IdAllocator).
  bool raise_ids_above(const std::string&, std::int64_t) override { return false; }

  sqlite3* handle() { return db_; }

 private:
  class CachedStatement;

  sqlite3* db_ = nullptr;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>, TextHash, std::equal_to<>>
      statements_;
};

}  // namespace depot::sqlite
