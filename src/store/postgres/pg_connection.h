#pragma once
// One libpq connection behind the SQL stores' connection interface. The shared SQL is written for
// SQLite, so its `?` and `?N` placeholders become `$N` here. Each statement is prepared on the
// server when it first runs (again if later values are of other types) and kept for the life of
// the connection.
// Not thread-safe: one thread uses a connection at a time.

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sql/connection.h"

namespace depot::postgres {

class PgConnection final : public sql::Connection {
 public:
  // `uri` as libpq takes it: postgresql://user@host:port/database.
  explicit PgConnection(const std::string& uri);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() override;

  sql::Query query(std::string_view sql) override;
  void exec(const char* sql) override;
  int changes() override;
  std::string day_of(const std::string& column, const std::string& offset_parameter) const override;
  const char* like_ignoring_case() const override { return "ILIKE"; }
  // The tables and columns of the connection's schema (current_schema()).
  std::vector<std::string> tables() override;
  std::vector<std::string> columns(const std::string& table) override;
  // Raises the sequence `<table>_id_seq` (SequenceIds) when there is one.
  bool raise_ids_above(const std::string& table, std::int64_t id) override;

  PGconn* handle() { return connection_.get(); }

  // With `on`, a statement whose rows nobody reads (Query::run) is sent in libpq's pipeline mode
  // without waiting for its answer, until something needs one: a statement whose rows are read,
  // changes(), exec() or settle(). A run of writes then costs one round trip instead of one each.
  // A failure among them is thrown there, from the first that failed.
  void defer_writes(bool on) { defer_writes_ = on; }
  // Waits for the answers of the statements sent and not yet answered; throws the first failure
  // among them (the later ones did not run). Afterwards nothing is pending, whatever it threw.
  void settle();

 private:
  class CachedStatement;
  struct Finish {
    void operator()(PGconn* connection) const { PQfinish(connection); }
  };
  struct Clear {
    void operator()(PGresult* result) const { PQclear(result); }
  };
  using Result = std::unique_ptr<PGresult, Clear>;

  // A name no statement of this connection has been prepared under.
  std::string next_statement_name();
  // Throws unless `result` is a success; `sql` names the statement in the message.
  void check(const PGresult* result, std::string_view sql) const;
  // Remembers the rows an INSERT, UPDATE or DELETE changed, as SQLite's changes() would.
  void count_changes(PGresult* result);

  bool has_pending() const { return !pending_.empty(); }
  // settle(), answering the last statement's result (its rows, when it is a read).
  Result settle_keeping_last();
  // Sends the prepared statement `name` in pipeline mode; settle() collects its answer.
  void send_deferred(const std::string& name, const std::vector<const char*>& values,
                     const std::vector<int>& lengths, const std::vector<int>& formats,
                     const std::string& sql);

  std::unique_ptr<PGconn, Finish> connection_;
  bool defer_writes_ = false;
  std::vector<std::string> pending_;  // the statements sent and not yet answered, in order
  int changes_ = 0;
  int prepared_ = 0;  // statements prepared so far, which numbers their names
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>, TextHash, std::equal_to<>>
      statements_;
};

}  // namespace depot::postgres
