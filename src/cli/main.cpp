// depot: order management, warehouse and shipping notifications for e-commerce merchants.
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // Everything depot creates (the data directory, the database and its WAL, media, labels,
  // exports, backups, the demo login) holds merchants' data and secrets: private to its user.
  ::umask(077);
  // Registering a command can throw too (CLI11 refuses a clashing option name), so everything
  // runs inside the one handler that turns an escaped exception into a logged exit code.
  try {
    CLI::App app{"depot: orders, stock and shipping notifications for e-commerce merchants"};
    app.require_subcommand(1);
    int exit_code = 0;
    depot::cli::add_serve_command(app, exit_code);
    depot::cli::add_migrate_command(app, exit_code);
    depot::cli::add_apikey_command(app, exit_code);
    depot::cli::add_user_command(app, exit_code);
    depot::cli::add_backup_command(app, exit_code);
    depot::cli::add_migrate_store_command(app, exit_code);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    }
    return exit_code;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
