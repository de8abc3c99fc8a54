// depot migrate-store: moving a store from the SQLite file to PostgreSQL (docs/operations.md,
// "Moving a store to PostgreSQL"). The copy itself is the SQL stores' (store/sql/copy.h); this
// command picks the two databases, refuses a source it would have to change first, and reports.
// A refusal (exit code 2) is a std::invalid_argument naming the flag at fault.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "store/postgres/pg_store.h"
#include "store/sql/copy.h"
#include "store/sql/merchants.h"
#include "store/sqlite/sqlite_store.h"

namespace depot::cli {

namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

struct MigrateStoreOptions {
  std::string from;
  std::string to;
  std::string tenant;
};

// The data directory `--from sqlite:DIR` names.
std::string source_directory(const std::string& from) {
  if (!from.starts_with(kSqliteScheme) || from.size() == kSqliteScheme.size()) {
    throw std::invalid_argument(
        "--from: expected sqlite:DIR, DIR being depot's data directory, got '" + from + "'");
  }
  std::string dir = from.substr(kSqliteScheme.size());
  // database_path() would create a missing directory: the source is only ever read.
  if (!std::filesystem::is_directory(dir) || !std::filesystem::exists(database_path(dir))) {
    throw std::invalid_argument("--from: no depot store in " + dir);
  }
  return dir;
}

// The source must be readable as it is: upgrading it would change the store the merchant may
// want to go back to.
void check_source(sqlite::Connection& source, const std::string& dir) {
  std::vector<std::string> tables = source.tables();
  bool migrated = std::find(tables.begin(), tables.end(), "schema_migrations") != tables.end();
  int version = migrated ? sql::schema_version(source) : 0;
  int latest = sqlite::latest_schema_version();
  if (version != latest) {
    throw std::invalid_argument("--from: the store in " + dir + " is at schema version " +
                                std::to_string(version) + ", this depot's is " +
                                std::to_string(latest) +
                                (version < latest ? ": run `depot migrate --data " + dir + "` first"
                                                  : ": use the depot that wrote it"));
  }
  // A migration queues the merchants whose report rollups depot rebuilds when it next serves;
  // copied before that, PostgreSQL would get the rollups as they were.
  sql::Query queued = source.query("SELECT COUNT(*) FROM rollup_rebuilds");
  if (queued.step() && queued.integer(0) > 0) {
    throw std::invalid_argument("--from: the report rollups of " + dir +
                                " wait to be rebuilt: start `depot serve --data " + dir +
                                "` once, stop it, and run migrate-store again");
  }
}

std::int64_t merchants_in(const sql::CopyReport& report) {
  auto tenants = std::find_if(report.tables.begin(), report.tables.end(),
                              [](const sql::TableCopy& table) { return table.table == "tenants"; });
  return tenants == report.tables.end() ? 0 : tenants->rows;
}

int migrate_store(const MigrateStoreOptions& options) {
  std::string dir = source_directory(options.from);
  require_postgres_uri(options.to, "--to");
  // Not the writer: the connection is query-only, so nothing here can change the source.
  sqlite::Connection source(database_path(dir), false);
  check_source(source, dir);
  std::optional<TenantId> tenant;
  if (!options.tenant.empty()) {
    tenant = sql::find_tenant(source, options.tenant);
    if (!tenant) {
      throw std::invalid_argument("--tenant: no merchant '" + options.tenant + "' in " + dir);
    }
  }

  postgres::PgConnection target(options.to);
  int applied = postgres::migrate(target);
  if (applied > 0) {
    std::cout << "PostgreSQL schema at version " << postgres::latest_schema_version() << " ("
              << applied << " migration(s) applied)\n";
  }
  sql::CopyOptions copy;
  copy.tenant = tenant;
  copy.on_table = [](const sql::TableCopy& table) {
    std::cout << table.table << ": " << table.rows << " rows (" << table.added << " new)\n";
  };
  sql::CopyReport report = sql::copy_store(source, target, copy);
  if (!report.mismatch.empty()) {
    std::cerr << "depot: the copy did not check out and was rolled back: " << report.mismatch
              << "\n";
    return 1;
  }
  if (!report.changed()) {
    std::cout << "no change: PostgreSQL already held all " << report.rows() << " rows of "
              << merchants_in(report) << " merchant(s)\n";
  } else {
    std::cout << "copied " << report.added() << " new rows of " << merchants_in(report)
              << " merchant(s) (" << report.rows() << " in all, checked); raised "
              << report.sequences_raised << " id sequence(s)\n";
  }
  return 0;
}

}  // namespace

void add_migrate_store_command(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand(
      "migrate-store", "Copy a SQLite store into a PostgreSQL database, checked, in one commit");
  auto options = std::make_shared<MigrateStoreOptions>();
  command->add_option("--from", options->from, "The store to copy: sqlite:DIR (a data directory)")
      ->required();
  command
      ->add_option("--to", options->to,
                   "The PostgreSQL database (postgresql://user@host:port/name), migrated first")
      ->required();
  command->add_option("--tenant", options->tenant, "Copy only this merchant (its slug)");
  command->callback([options, &exit_code] {
    try {
      exit_code = migrate_store(*options);
    } catch (const std::invalid_argument& refused) {
      std::cerr << "depot: " << refused.what() << "\n";
      exit_code = 2;
    }
  });
}

}  // namespace depot::cli
