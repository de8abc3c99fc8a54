#include <iostream>

#include "cli/commands.h"
#include "store/sqlite/sqlite_store.h"

namespace depot::cli {

void add_migrate_command(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("migrate", "Create or upgrade the database schema");
  auto data_dir = std::make_shared<std::string>("./data");
  command->add_option("--data", *data_dir, "Data directory")->envname("DEPOT_DATA");
  command->callback([data_dir, &exit_code] {
    sqlite::Connection db(database_path(*data_dir), true);
    int applied = sqlite::migrate(db);
    std::cout << "schema at version " << sqlite::latest_schema_version() << " (" << applied
              << " migration(s) applied)\n";
    exit_code = 0;
  });
}

}  // namespace depot::cli
