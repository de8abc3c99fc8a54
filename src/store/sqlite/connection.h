#pragma once
// A thin RAII layer over one sqlite3 connection: prepared statements cached by their SQL text,
// typed binding and reading. SQLite failures throw SqliteError: with a fixed schema they mean a
// bug or a broken disk, never bad input (that is refused before it reaches the store).
// Not thread-safe: one thread uses a connection at a time.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace depot::sqlite {

class SqliteError : public std::runtime_error {
 public:
  explicit SqliteError(const std::string& what, int code = SQLITE_ERROR)
      : std::runtime_error(what), code_(code) {}

  // SQLite's extended result code (SQLITE_CONSTRAINT_UNIQUE, SQLITE_FULL, …).
  int code() const { return code_; }
  // A UNIQUE or PRIMARY KEY constraint refused the row: the key is taken.
  bool key_taken() const {
    return code_ == SQLITE_CONSTRAINT_UNIQUE || code_ == SQLITE_CONSTRAINT_PRIMARYKEY;
  }

 private:
  int code_;
};

// A cached statement in use: bind, step, read columns; reset when the handle goes away.
class Query {
 public:
  explicit Query(sqlite3_stmt* statement) : statement_(statement) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  Query& bind(int index, std::int64_t value);
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, double value);
  Query& bind(int index, std::string_view value);
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind_blob(int index, std::string_view bytes);
  Query& bind_null(int index);
  // Binds NULL for an empty string: optional text columns.
  Query& bind_or_null(int index, std::string_view value);
  Query& bind_or_null(int index, std::optional<std::int64_t> value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  template <class... Values>
  Query& bind_all(const Values&... values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  bool step();  // true while a row is ready
  void run();   // steps to the end, for statements that return no rows

  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::string blob(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3_stmt* statement_;
};

class Connection {
 public:
  // Opens (creating if needed) the database file and applies the pragmas every connection uses.
  Connection(const std::string& path, bool writer);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A cached prepared statement for `sql`; prepared on first use.
  Query query(std::string_view sql);
  // Runs a statement that returns no rows through the cache (BEGIN, SAVEPOINT, …).
  void run(std::string_view sql) { query(sql).run(); }
  // Runs a script of statements, uncached: schema migrations and pragmas.
  void exec(const char* sql);
  sqlite3* handle() { return db_; }
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  int changes() { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> statements_;
};

}  // namespace depot::sqlite
