#include <filesystem>

#include "cli/commands.h"

namespace depot::cli {

std::string database_path(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  return (std::filesystem::path(data_dir) / "depot.db").string();
}

}  // namespace depot::cli
