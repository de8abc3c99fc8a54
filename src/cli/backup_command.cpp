#include <iostream>

#include "cli/commands.h"
#include "store/sqlite/sqlite_store.h"

namespace depot::cli {

void add_backup_command(CLI::App& app, int& exit_code) {
  // PostgreSQL has its own tools for this (pg_dump, pg_basebackup): see docs/operations.md.
  auto* command = app.add_subcommand(
      "backup",
      "Copy the SQLite database to a file; safe while depot serves from the same directory");
  auto data_dir = std::make_shared<std::string>("./data");
  auto target = std::make_shared<std::string>();
  command->add_option("--data", *data_dir, "Data directory")->envname("DEPOT_DATA");
  command->add_option("--to", *target, "Backup file to write")->required();
  command->callback([data_dir, target, &exit_code] {
    sqlite::SqliteStore store(database_path(*data_dir));
    store.backup_to(*target);
    std::cout << "backed up to " << *target << "\n";
    exit_code = 0;
  });
}

}  // namespace depot::cli
