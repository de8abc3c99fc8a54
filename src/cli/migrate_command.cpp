#include <iostream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace depot::cli {

void add_migrate_command(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("migrate", "Create or upgrade the database schema");
  auto data_dir = std::make_shared<std::string>("./data");
  auto db = std::make_shared<std::string>();
  command->add_option("--data", *data_dir, "Data directory")->envname("DEPOT_DATA");
  add_db_option(*command, *db);
  command->callback([data_dir, db, &exit_code] {
    int applied = 0;
    int version = 0;
    if (db->empty()) {
      sqlite::Connection connection(database_path(*data_dir), true);
      applied = sqlite::migrate(connection);
      version = sqlite::latest_schema_version();
    } else {
      require_postgres_uri(*db);
      postgres::PgConnection connection(*db);
      applied = postgres::migrate(connection);
      version = postgres::latest_schema_version();
    }
    std::cout << "schema at version " << version << " (" << applied << " migration(s) applied)\n";
    exit_code = 0;
  });
}

}  // namespace depot::cli
