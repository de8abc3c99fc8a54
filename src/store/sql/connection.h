#pragma once
// What the SQL stores' shared code (transactions, rollups, reports) needs of a database
// connection: prepared statements cached by their SQL text, typed binding and reading, and the few
// expressions that SQLite and PostgreSQL spell differently. Statements use `?` or `?N`
// placeholders; an adapter rewrites them into its own. Failures throw Error: with a fixed schema
// they mean a bug, a broken disk or a lost server, never bad input (that is refused before it
// reaches the store). Not thread-safe: one thread uses a connection at a time.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace depot::sql {

// Why a statement failed, as far as the store's callers care.
enum class Failure {
  other,
  key_taken,       // a UNIQUE or PRIMARY KEY constraint refused the row
  retry,           // a serialisation failure or deadlock: the transaction may be run again
  disk_full,       // the database could not grow
  disk_failed,     // an I/O error: what the disk holds is no longer known
  connection_lost  // the server went away
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, Failure failure = Failure::other)
      : std::runtime_error(what), failure_(failure) {}

  Failure failure() const { return failure_; }
  bool key_taken() const { return failure_ == Failure::key_taken; }

 private:
  Failure failure_;
};

// What a column of the current row holds, in SQLite's storage classes: how to read it and bind it
// again elsewhere.
enum class ColumnType { integer, real, text, blob, null };

// One prepared statement of one connection, in use by one Query at a time.
class Statement {
 public:
  virtual ~Statement() = default;

  virtual void bind_integer(int index, std::int64_t value) = 0;
  virtual void bind_real(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_blob(int index, std::string_view bytes) = 0;
  virtual void bind_null(int index) = 0;
  virtual bool step() = 0;  // true while a row is ready
  // Runs a statement whose rows, if any, nobody reads. A connection may send it and go on without
  // waiting for its answer, and report its failure at the next statement that needs an answer.
  virtual void run() {
    while (step()) {
    }
  }
  // Column reads of the current row. A NULL reads as 0, 0.0 or the empty string.
  virtual std::int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual std::string blob(int column) const = 0;
  virtual bool is_null(int column) const = 0;
  // The shape of rows the code does not know beforehand (sql/copy.h): how many columns the result
  // has (known once the first step ran), and what one of them holds in the current row.
  virtual int column_count() const = 0;
  virtual ColumnType column_type(int column) const = 0;
  // Forgets the bindings and any rows not yet read, ready for the next use.
  virtual void reset() = 0;
};

// A cached statement in use: bind, step, read columns; reset when the handle goes away.
class Query {
 public:
  explicit Query(Statement& statement) : statement_(&statement) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() { statement_->reset(); }

  Query& bind(int index, std::int64_t value) {
    statement_->bind_integer(index, value);
    return *this;
  }
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, double value) {
    statement_->bind_real(index, value);
    return *this;
  }
  Query& bind(int index, std::string_view value) {
    statement_->bind_text(index, value);
    return *this;
  }
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind_blob(int index, std::string_view bytes) {
    statement_->bind_blob(index, bytes);
    return *this;
  }
  Query& bind_null(int index) {
    statement_->bind_null(index);
    return *this;
  }
  // Binds NULL for an empty string: optional text columns.
  Query& bind_or_null(int index, std::string_view value) {
    return value.empty() ? bind_null(index) : bind(index, value);
  }
  Query& bind_or_null(int index, std::optional<std::int64_t> value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  template <class... Values>
  Query& bind_all(const Values&... values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  bool step() { return statement_->step(); }
  // For statements whose rows nobody reads (Statement::run).
  void run() { statement_->run(); }

  // Steps through every row, answering each one's first column as text.
  std::vector<std::string> first_column_texts() {
    std::vector<std::string> texts;
    while (step()) texts.push_back(text(0));
    return texts;
  }

  std::int64_t integer(int column) const { return statement_->integer(column); }
  double real(int column) const { return statement_->real(column); }
  std::string text(int column) const { return statement_->text(column); }
  std::string blob(int column) const { return statement_->blob(column); }
  bool is_null(int column) const { return statement_->is_null(column); }
  int column_count() const { return statement_->column_count(); }
  ColumnType column_type(int column) const { return statement_->column_type(column); }

 private:
  Statement* statement_;
};

class Connection {
 public:
  virtual ~Connection() = default;

  // A cached prepared statement for `sql`; prepared on first use.
  virtual Query query(std::string_view sql) = 0;
  // Runs a statement that returns no rows through the cache (BEGIN, SAVEPOINT, …).
  void run(std::string_view sql) { query(sql).run(); }
  // Runs a script of statements, uncached: schema migrations and settings.
  virtual void exec(const char* sql) = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  virtual int changes() = 0;

  // The expressions the two databases spell differently.
  // The merchant's day ("YYYY-MM-DD") of a millisecond column, with the offset from UTC in
  // minutes in parameter `offset_parameter` (say "?2").
  virtual std::string day_of(const std::string& column,
                             const std::string& offset_parameter) const = 0;
  // A pattern match that ignores the case of ASCII letters (LIKE on SQLite, ILIKE on PostgreSQL).
  virtual const char* like_ignoring_case() const = 0;

  // The schema as the database describes it, for copying a store from one database to another
  // (sql/copy.h): its own tables by name, and a table's columns in their declared order.
  virtual std::vector<std::string> tables() = 0;
  virtual std::vector<std::string> columns(const std::string& table) = 0;
  // Makes every id the store draws for `table` from now on (IdSource::next) greater than `id`, so
  // that rows copied in with their ids never clash with new ones; answers whether anything had to
  // change.
  virtual bool raise_ids_above(const std::string& table, std::int64_t id) = 0;
};

}  // namespace depot::sql
