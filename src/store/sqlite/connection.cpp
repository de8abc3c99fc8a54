#include "store/sqlite/connection.h"

namespace depot::sqlite {

namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  if (!db) throw SqliteError(what + ": out of memory", SQLITE_NOMEM);
  throw SqliteError(what + ": " + sqlite3_errmsg(db), sqlite3_extended_errcode(db));
}

}  // namespace

sql::Failure SqliteError::failure_of(int code) {
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY
                 ? sql::Failure::key_taken
                 : sql::Failure::other;
    case SQLITE_FULL:
      return sql::Failure::disk_full;
    case SQLITE_IOERR:
      return sql::Failure::disk_failed;
    default:
      return sql::Failure::other;
  }
}

class Connection::CachedStatement final : public sql::Statement {
 public:
  explicit CachedStatement(sqlite3_stmt* statement) : statement_(statement) {}
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  ~CachedStatement() override { sqlite3_finalize(statement_); }

  void bind_integer(int index, std::int64_t value) override {
    check_bind(sqlite3_bind_int64(statement_, index, value));
  }
  void bind_real(int index, double value) override {
    check_bind(sqlite3_bind_double(statement_, index, value));
  }
  void bind_text(int index, std::string_view value) override {
    check_bind(sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                                 SQLITE_TRANSIENT));
  }
  void bind_blob(int index, std::string_view bytes) override {
    check_bind(
        sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  }
  void bind_null(int index) override { sqlite3_bind_null(statement_, index); }

  bool step() override {
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(sqlite3_db_handle(statement_), std::string("step of ") + sqlite3_sql(statement_));
  }

  std::int64_t integer(int column) const override {
    return sqlite3_column_int64(statement_, column);
  }
  double real(int column) const override { return sqlite3_column_double(statement_, column); }
  std::string text(int column) const override {
    const auto* bytes = sqlite3_column_text(statement_, column);
    if (!bytes) return {};
    return std::string(reinterpret_cast<const char*>(bytes),
                       static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
  }
  std::string blob(int column) const override {
    const void* bytes = sqlite3_column_blob(statement_, column);
    if (!bytes) return {};
    return std::string(static_cast<const char*>(bytes),
                       static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
  }
  bool is_null(int column) const override {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
  }
  int column_count() const override { return sqlite3_column_count(statement_); }
  sql::ColumnType column_type(int column) const override {
    switch (sqlite3_column_type(statement_, column)) {
      case SQLITE_INTEGER:
        return sql::ColumnType::integer;
      case SQLITE_FLOAT:
        return sql::ColumnType::real;
      case SQLITE_TEXT:
        return sql::ColumnType::text;
      case SQLITE_BLOB:
        return sql::ColumnType::blob;
      default:
        return sql::ColumnType::null;
    }
  }

  void reset() override {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

 private:
  void check_bind(int rc) {
    if (rc != SQLITE_OK) fail(sqlite3_db_handle(statement_), "bind");
  }

  sqlite3_stmt* statement_;
};

namespace {

// Process-wide settings, before the first connection: each connection is used by one thread at a
// time, and SQLite's allocation statistics would take a global mutex on every malloc.
const bool kConfigured = [] {
  sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  return sqlite3_initialize() == SQLITE_OK;
}();

}  // namespace

Connection::Connection(const std::string& path, bool writer) {
  if (!kConfigured) throw SqliteError("SQLite could not be initialised");
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = "open " + path;
    fail(db_, message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 10000);
  exec("PRAGMA journal_mode=WAL");
  // FULL: a commit is on disk (WAL fsynced) before it returns. The store's writer turns to NORMAL
  // once its flusher thread takes over that fsync.
  exec("PRAGMA synchronous=FULL");
  exec("PRAGMA temp_store=MEMORY");
  // Readers find most pages through the shared memory map; the writer keeps a larger private
  // cache for the pages it modifies.
  exec(writer ? "PRAGMA cache_size=-65536" : "PRAGMA cache_size=-8192");
  exec("PRAGMA mmap_size=268435456");
  if (!writer) exec("PRAGMA query_only=1");
}

Connection::~Connection() {
  statements_.clear();
  sqlite3_close_v2(db_);
}

Query Connection::query(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK) {
      fail(db_, "prepare " + std::string(sql));
    }
    found =
        statements_.emplace(std::string(sql), std::make_unique<CachedStatement>(statement)).first;
  }
  return Query(*found->second);
}

void Connection::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = std::string(sql) + ": " + (message ? message : "failed");
    sqlite3_free(message);
    throw SqliteError(text, sqlite3_extended_errcode(db_));
  }
}

std::vector<std::string> Connection::tables() {
  // Names starting with sqlite_ are SQLite's own (sqlite_sequence, sqlite_stat1).
  Query q = query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' "
      "ORDER BY name");
  return q.first_column_texts();
}

std::vector<std::string> Connection::columns(const std::string& table) {
  Query q = query("SELECT name FROM pragma_table_info(?) ORDER BY cid");
  q.bind(1, table);
  return q.first_column_texts();
}

std::string Connection::day_of(const std::string& column,
                               const std::string& offset_parameter) const {
  return "date(" + column + " / 1000 + " + offset_parameter + " * 60, 'unixepoch')";
}

}  // namespace depot::sqlite
