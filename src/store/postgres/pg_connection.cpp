#include "store/postgres/pg_connection.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace depot::postgres {

namespace {

// Type OIDs from PostgreSQL's pg_type.dat; 0 lets the server infer a parameter's type.
constexpr Oid kInferred = 0;
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kText = 25;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kNumeric = 1700;

struct Rewritten {
  std::string sql;
  std::vector<bool> used;  // per parameter number, whether the text refers to it
};

// SQLite's own limit on placeholder numbers, well within PostgreSQL's 65535 parameters.
constexpr std::size_t kMaxParameter = 32766;

// Copies the placeholder at sql[at] into `out` as `$N`; answers where the placeholder ends.
// Numbers are SQLite's: `?N` is N, and a bare `?` is one more than the largest number so far.
std::size_t copy_placeholder(std::string_view sql, std::size_t at, Rewritten& out) {
  std::size_t number = out.used.size() + 1;
  const char* digits = sql.data() + at + 1;
  auto [end, error] = std::from_chars(digits, sql.data() + sql.size(), number);
  if (error == std::errc::result_out_of_range || number == 0 || number > kMaxParameter) {
    throw sql::Error("placeholder ?" + std::string(digits, end) + " out of range in " +
                     std::string(sql));
  }
  out.used.resize(std::max(out.used.size(), number));
  out.used[number - 1] = true;
  out.sql += '$' + std::to_string(number);
  return static_cast<std::size_t>(end - sql.data());
}

// The shared SQL steers SQLite's planner where it would choose badly: `INDEXED BY name` names the
// index to use, and `CROSS JOIN … ON` fixes the order of a join. PostgreSQL plans for itself, so
// a hint at sql[at] is dropped, or becomes a plain JOIN; answers where the copy goes on, or `at`
// when no hint starts there.
std::size_t drop_planner_hint(std::string_view sql, std::size_t at, Rewritten& out) {
  if (at > 0 && sql[at - 1] != ' ') return at;
  std::string_view rest = sql.substr(at);
  if (rest.starts_with("INDEXED BY ")) {
    std::size_t name_ends = rest.find(' ', std::string_view("INDEXED BY ").size());
    return name_ends == std::string_view::npos ? sql.size() : at + name_ends + 1;
  }
  if (rest.starts_with("CROSS JOIN ")) {
    out.sql += "JOIN ";
    return at + std::string_view("CROSS JOIN ").size();
  }
  return at;
}

// Quoted literals and identifiers and `--` comments are copied as they are.
Rewritten rewrite_placeholders(std::string_view sql) {
  Rewritten out;
  char quote = 0;  // the quote of the literal or identifier being copied
  bool in_comment = false;
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (in_comment) {
      in_comment = c != '\n';
    } else if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '-' && sql.substr(i, 2) == "--") {
      in_comment = true;
    } else if (c == '?') {
      i = copy_placeholder(sql, i, out);
      continue;
    } else if (std::size_t next = drop_planner_hint(sql, i, out); next != i) {
      i = next;
      continue;
    }
    out.sql += c;
    ++i;
  }
  return out;
}

// SQLite's conversion of a real to an integer: toward zero, clamped to the int64 range.
std::int64_t truncated(double value) {
  if (std::isnan(value)) return 0;
  if (value <= static_cast<double>(std::numeric_limits<std::int64_t>::min())) {
    return std::numeric_limits<std::int64_t>::min();
  }
  if (value >= static_cast<double>(std::numeric_limits<std::int64_t>::max())) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return static_cast<std::int64_t>(value);
}

double to_real(std::string_view text) {
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// Whether what follows an integer's digits is at most a decimal fraction ("12" or "12.5000").
bool at_most_a_fraction(std::string_view rest) {
  return rest.empty() ||
         (rest[0] == '.' && rest.find_first_not_of("0123456789", 1) == std::string_view::npos);
}

// Text results spell booleans "t"/"f" and numerics with their scale ("12.5000"); SQLite would
// read them as 1/0 and 12.
std::int64_t to_integer(std::string_view text) {
  if (text == "t") return 1;
  if (text == "f") return 0;
  std::int64_t value = 0;
  const char* end_of_text = text.data() + text.size();
  auto [end, error] = std::from_chars(text.data(), end_of_text, value);
  // The exact integer part where there is one, so that a wide numeric keeps all its digits;
  // otherwise a real such as "1e-05" or "1.5e+20".
  if (error == std::errc() && at_most_a_fraction({end, end_of_text})) return value;
  return truncated(to_real(text));
}

sql::Failure failure_of(const PGresult* result, const PGconn* connection) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string_view code = state ? state : "";
  if (code == "23505") return sql::Failure::key_taken;
  if (code == "40001" || code == "40P01") return sql::Failure::retry;
  if (code == "53100") return sql::Failure::disk_full;
  if (code.starts_with("58")) return sql::Failure::disk_failed;
  if (PQstatus(connection) == CONNECTION_BAD) return sql::Failure::connection_lost;
  return sql::Failure::other;
}

// libpq's message without its newline. A result may carry none (no memory for one, a lost
// connection): then the connection's message, or at least the status.
std::string reason(const PGresult* result, const PGconn* connection) {
  std::string text = PQresultErrorMessage(result);
  if (text.empty()) text = PQerrorMessage(connection);
  if (text.empty()) text = PQresStatus(PQresultStatus(result));
  text.erase(text.find_last_not_of(" \n") + 1);
  return text;
}

}  // namespace

class PgConnection::CachedStatement final : public sql::Statement {
 public:
  CachedStatement(PgConnection& connection, std::string_view sql)
      : connection_(connection), sql_(sql), rewritten_(rewrite_placeholders(sql)) {
    parameters_.resize(rewritten_.used.size());
  }

  void bind_integer(int index, std::int64_t value) override {
    parameter(index) = {std::to_string(value), kInt8};
  }
  void bind_real(int index, double value) override {
    std::array<char, 32> digits{};
    auto [end, error] = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    parameter(index) = {std::string(digits.data(), end), kFloat8};
  }
  void bind_text(int index, std::string_view value) override {
    // Text parameters travel NUL-terminated, and PostgreSQL's text cannot hold a NUL anyway.
    if (value.find('\0') != std::string_view::npos) {
      throw sql::Error("bind text with a NUL byte in " + sql_);
    }
    parameter(index) = {std::string(value), kInferred};
  }
  void bind_blob(int index, std::string_view bytes) override {
    parameter(index) = {std::string(bytes), kBytea};
  }
  void bind_null(int index) override { parameter(index) = {std::nullopt, kInferred}; }

  bool step() override {
    if (!result_) execute();
    row_ = std::min(row_ + 1, PQntuples(result_.get()));
    return row_ < PQntuples(result_.get());
  }

  void run() override {
    if (!connection_.defer_writes_) {
      sql::Statement::run();
      return;
    }
    Arguments arguments = arguments_of_bound();
    const std::string& name = variant();
    connection_.send_deferred(name, arguments.values, arguments.lengths, arguments.formats, sql_);
  }

  std::int64_t integer(int column) const override { return to_integer(cell(column)); }
  double real(int column) const override { return to_real(cell(column)); }
  std::string text(int column) const override { return std::string(cell(column)); }
  std::string blob(int column) const override {
    if (is_null(column)) return {};
    std::size_t length = 0;
    unsigned char* bytes = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row_, column)), &length);
    if (!bytes) throw sql::Error("decode bytea column of " + sql_ + ": out of memory");
    std::string decoded(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return decoded;
  }
  // Also true before the first row and after the last, so that reads there give the NULL values.
  bool is_null(int column) const override { return PQgetisnull(result_.get(), row_, column) != 0; }
  int column_count() const override { return PQnfields(result_.get()); }
  // As integer(), real() and blob() read them; everything else reads as text.
  sql::ColumnType column_type(int column) const override {
    if (is_null(column)) return sql::ColumnType::null;
    switch (PQftype(result_.get(), column)) {
      case kBool:
      case kInt2:
      case kInt4:
      case kInt8:
        return sql::ColumnType::integer;
      case kFloat4:
      case kFloat8:
      case kNumeric:
        return sql::ColumnType::real;
      case kBytea:
        return sql::ColumnType::blob;
      default:
        return sql::ColumnType::text;
    }
  }

  void reset() override {
    result_.reset();
    row_ = -1;
    std::fill(parameters_.begin(), parameters_.end(), Parameter{});
  }

 private:
  struct Parameter {
    std::optional<std::string> value;  // empty for NULL
    Oid type = kInferred;
  };
  // One server-side preparation of the statement, for the parameter types it declared.
  struct Variant {
    std::vector<Oid> types;
    std::string name;
  };

  Parameter& parameter(int index) {
    if (index < 1 || index > static_cast<int>(parameters_.size())) {
      throw sql::Error("bind parameter " + std::to_string(index) + ", which " + sql_ + " lacks");
    }
    return parameters_[static_cast<std::size_t>(index) - 1];
  }

  // libpq gives a NULL as an empty value, which reads as 0, 0.0 and "".
  std::string_view cell(int column) const {
    return {PQgetvalue(result_.get(), row_, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))};
  }

  // The bound values as libpq takes them; they point into parameters_.
  struct Arguments {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
  };
  Arguments arguments_of_bound() const {
    Arguments arguments;
    for (const Parameter& parameter : parameters_) {
      arguments.values.push_back(parameter.value ? parameter.value->c_str() : nullptr);
      arguments.lengths.push_back(parameter.value ? static_cast<int>(parameter.value->size()) : 0);
      // bytea in binary needs no escaping
      arguments.formats.push_back(parameter.type == kBytea ? 1 : 0);
    }
    return arguments;
  }

  void execute() {
    Arguments arguments = arguments_of_bound();
    const std::string& name = variant();
    if (connection_.has_pending()) {
      // Behind the writes still unanswered, in the same round trip as theirs.
      connection_.send_deferred(name, arguments.values, arguments.lengths, arguments.formats, sql_);
      result_ = connection_.settle_keeping_last();
      return;
    }
    Result result(PQexecPrepared(connection_.handle(), name.c_str(),
                                 static_cast<int>(parameters_.size()), arguments.values.data(),
                                 arguments.lengths.data(), arguments.formats.data(), 0));
    connection_.check(result.get(), sql_);
    connection_.count_changes(result.get());
    result_ = std::move(result);
  }

  // The preparation that accepts the values bound now. NULL suits any declared type; any other
  // value needs the type it was prepared for, or the server would read "2.5" as a bigint.
  const std::string& variant() {
    auto fits = [this](const Variant& variant) {
      return std::equal(parameters_.begin(), parameters_.end(), variant.types.begin(),
                        [](const Parameter& bound, Oid declared) {
                          return !bound.value || bound.type == declared;
                        });
    };
    auto found = std::find_if(variants_.begin(), variants_.end(), fits);
    return found != variants_.end() ? found->name : prepare().name;
  }

  // Prepares the statement for the types of the values bound now.
  const Variant& prepare() {
    std::vector<Oid> types;
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
      // A number the text skips (?1 and ?3 but no ?2) gives the server nothing to infer from.
      bool unused = !rewritten_.used[i] && parameters_[i].type == kInferred;
      types.push_back(unused ? kText : parameters_[i].type);
    }
    std::string name = connection_.next_statement_name();
    connection_.settle();  // a preparation waits for its answer, which pipeline mode cannot
    Result result(PQprepare(connection_.handle(), name.c_str(), rewritten_.sql.c_str(),
                            static_cast<int>(types.size()), types.data()));
    connection_.check(result.get(), sql_);
    return variants_.emplace_back(Variant{std::move(types), std::move(name)});
  }

  PgConnection& connection_;
  std::string sql_;
  Rewritten rewritten_;
  std::vector<Parameter> parameters_;
  std::vector<Variant> variants_;
  Result result_;
  int row_ = -1;  // the row being read; -1 before the first
};

PgConnection::PgConnection(const std::string& uri) : connection_(PQconnectdb(uri.c_str())) {
  // The URI may carry a password, so the message names the server only as libpq does.
  if (PQstatus(connection_.get()) != CONNECTION_OK) {
    throw sql::Error("connect to PostgreSQL: " + reason(nullptr, connection_.get()),
                     sql::Failure::connection_lost);
  }
  // Text goes both ways as UTF-8 whatever the environment says, and reals print with every digit
  // they need to read back the same double.
  // The server's notices ("relation already exists, skipping") are not errors, and libpq would
  // print them to standard error, past depot's log format.
  PQsetNoticeProcessor(
      connection_.get(), [](void*, const char*) {}, nullptr);
  exec("SET client_encoding = 'UTF8'; SET extra_float_digits = 3");
}

PgConnection::~PgConnection() = default;

sql::Query PgConnection::query(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    found =
        statements_.emplace(std::string(sql), std::make_unique<CachedStatement>(*this, sql)).first;
  }
  return sql::Query(*found->second);
}

void PgConnection::exec(const char* sql) {
  settle();
  Result result(PQexec(connection_.get(), sql));
  check(result.get(), sql);
  count_changes(result.get());
}

int PgConnection::changes() {
  settle();
  return changes_;
}

void PgConnection::send_deferred(const std::string& name, const std::vector<const char*>& values,
                                 const std::vector<int>& lengths, const std::vector<int>& formats,
                                 const std::string& sql) {
  PGconn* connection = connection_.get();
  if (PQpipelineStatus(connection) == PQ_PIPELINE_OFF && PQenterPipelineMode(connection) != 1) {
    throw sql::Error(sql + ": enter pipeline mode: " + reason(nullptr, connection),
                     failure_of(nullptr, connection));
  }
  if (PQsendQueryPrepared(connection, name.c_str(), static_cast<int>(values.size()), values.data(),
                          lengths.data(), formats.data(), 0) != 1) {
    std::string why = reason(nullptr, connection);
    pending_.clear();
    throw sql::Error(sql + ": " + why, sql::Failure::connection_lost);
  }
  pending_.push_back(sql);
}

void PgConnection::settle() {
  if (!pending_.empty()) settle_keeping_last();
}

PgConnection::Result PgConnection::settle_keeping_last() {
  PGconn* connection = connection_.get();
  std::vector<std::string> sent;
  sent.swap(pending_);
  auto lost = [&](const std::string& what) {
    return sql::Error(what + ": " + reason(nullptr, connection), sql::Failure::connection_lost);
  };
  if (PQpipelineSync(connection) != 1) throw lost("send pipeline sync");
  // Each statement's answer comes followed by a null; after a failure the later statements answer
  // PGRES_PIPELINE_ABORTED; the sync's answer ends the pipeline.
  std::optional<sql::Error> failure;
  Result last;
  std::size_t answered = 0;
  std::size_t nulls = 0;
  while (true) {
    Result result(PQgetResult(connection));
    if (!result) {
      if (PQstatus(connection) == CONNECTION_BAD || ++nulls > sent.size() + 1) {
        throw lost("read pipelined answers");
      }
      continue;
    }
    ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_PIPELINE_SYNC) break;
    if (answered == sent.size()) continue;
    const std::string& sql = sent[answered++];
    if (status == PGRES_PIPELINE_ABORTED || failure) continue;
    try {
      check(result.get(), sql);
      count_changes(result.get());
    } catch (const sql::Error& e) {
      failure = e;
    }
    if (answered == sent.size()) last = std::move(result);
  }
  if (PQexitPipelineMode(connection) != 1) throw lost("leave pipeline mode");
  if (failure) throw *failure;
  return last;
}

std::string PgConnection::day_of(const std::string& column,
                                 const std::string& offset_parameter) const {
  // bigint division truncates as SQLite's does; AT TIME ZONE 'UTC' ignores the session's zone.
  return "to_char(to_timestamp(" + column + " / 1000 + " + offset_parameter +
         " * 60) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
}

std::vector<std::string> PgConnection::tables() {
  sql::Query q = query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
      "AND table_type = 'BASE TABLE' ORDER BY table_name");
  return q.first_column_texts();
}

std::vector<std::string> PgConnection::columns(const std::string& table) {
  sql::Query q = query(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
      "AND table_name = ? ORDER BY ordinal_position");
  q.bind(1, table);
  return q.first_column_texts();
}

bool PgConnection::raise_ids_above(const std::string& table, std::int64_t id) {
  std::string sequence = table + "_id_seq";
  std::unique_ptr<char, decltype(&PQfreemem)> quoted(
      PQescapeIdentifier(connection_.get(), sequence.c_str(), sequence.size()), &PQfreemem);
  if (!quoted) throw sql::Error("quote " + sequence + ": " + reason(nullptr, connection_.get()));
  {
    // A missing relation would be an error, and would abort the transaction it runs in.
    sql::Query exists = query("SELECT to_regclass(?) IS NOT NULL");
    exists.bind(1, quoted.get());
    if (!exists.step() || exists.integer(0) == 0) return false;
  }
  // The sequence's last id handed out is last_value once it has handed out any (is_called), and
  // the one before its first otherwise. setval leaves it handing out id + 1 next. Like every
  // sequence change, this one stays even if the transaction rolls back.
  sql::Query raise =
      query(std::string("SELECT setval(?1, ?2) FROM ") + quoted.get() +
            " WHERE ?2 > CASE WHEN is_called THEN last_value ELSE last_value - 1 END");
  raise.bind(1, quoted.get()).bind(2, id);
  return raise.step();
}

std::string PgConnection::next_statement_name() { return "s" + std::to_string(++prepared_); }

void PgConnection::check(const PGresult* result, std::string_view sql) const {
  ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return;
  }
  throw sql::Error(std::string(sql) + ": " + reason(result, connection_.get()),
                   failure_of(result, connection_.get()));
}

void PgConnection::count_changes(PGresult* result) {
  std::string_view command = PQcmdStatus(result);
  if (command.starts_with("INSERT") || command.starts_with("UPDATE") ||
      command.starts_with("DELETE")) {
    std::string_view rows = PQcmdTuples(result);
    std::from_chars(rows.data(), rows.data() + rows.size(), changes_);
  }
}

}  // namespace depot::postgres
