#include "store/sqlite/connection.h"

namespace depot::sqlite {

namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  if (!db) throw SqliteError(what + ": out of memory", SQLITE_NOMEM);
  throw SqliteError(what + ": " + sqlite3_errmsg(db), sqlite3_extended_errcode(db));
}

}  // namespace

Query::~Query() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

Query& Query::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) {
    fail(sqlite3_db_handle(statement_), "bind");
  }
  return *this;
}

Query& Query::bind(int index, double value) {
  if (sqlite3_bind_double(statement_, index, value) != SQLITE_OK) {
    fail(sqlite3_db_handle(statement_), "bind");
  }
  return *this;
}

Query& Query::bind(int index, std::string_view value) {
  if (sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    fail(sqlite3_db_handle(statement_), "bind");
  }
  return *this;
}

Query& Query::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

Query& Query::bind_or_null(int index, std::string_view value) {
  return value.empty() ? bind_null(index) : bind(index, value);
}

bool Query::step() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(sqlite3_db_handle(statement_), std::string("step of ") + sqlite3_sql(statement_));
}

void Query::run() {
  while (step()) {
  }
}

std::int64_t Query::integer(int column) const { return sqlite3_column_int64(statement_, column); }

double Query::real(int column) const { return sqlite3_column_double(statement_, column); }

Query& Query::bind_blob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT) !=
      SQLITE_OK) {
    fail(sqlite3_db_handle(statement_), "bind");
  }
  return *this;
}

std::string Query::blob(int column) const {
  const void* bytes = sqlite3_column_blob(statement_, column);
  if (!bytes) return {};
  return std::string(static_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

std::string Query::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_, column);
  if (!bytes) return {};
  return std::string(reinterpret_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

bool Query::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

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
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
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
    found = statements_.emplace(std::string(sql), statement).first;
  }
  return Query(found->second);
}

void Connection::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = std::string(sql) + ": " + (message ? message : "failed");
    sqlite3_free(message);
    throw SqliteError(text, sqlite3_extended_errcode(db_));
  }
}

}  // namespace depot::sqlite
