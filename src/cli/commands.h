#pragma once
// The depot command line: one file per subcommand, each registering itself on the CLI11 app.
// A subcommand's callback stores its exit code in `exit_code`.

#include <CLI/CLI.hpp>

#include <string>

namespace depot::cli {

void add_serve_command(CLI::App& app, int& exit_code);
void add_migrate_command(CLI::App& app, int& exit_code);
void add_apikey_command(CLI::App& app, int& exit_code);
void add_user_command(CLI::App& app, int& exit_code);
void add_backup_command(CLI::App& app, int& exit_code);
void add_migrate_store_command(CLI::App& app, int& exit_code);

// Where the database file lives inside a data directory.
std::string database_path(const std::string& data_dir);

}  // namespace depot::cli
