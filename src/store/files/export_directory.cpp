#include "store/files/export_directory.h"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace depot::files {

namespace fs = std::filesystem;

ExportDirectory::ExportDirectory(std::string directory) : directory_(std::move(directory)) {
  fs::create_directories(directory_);
}

std::string ExportDirectory::path_of(const std::string& name) {
  return (fs::path(directory_) / name).string();
}

void ExportDirectory::remove(const std::string& name) {
  std::error_code ec;
  fs::remove(path_of(name), ec);
  if (ec) spdlog::warn("removing export file {}: {}", name, ec.message());
}

void ExportDirectory::remove_all() {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory_, ec)) {
    std::error_code removed;
    fs::remove_all(entry.path(), removed);
    if (removed) spdlog::warn("removing {}: {}", entry.path().string(), removed.message());
  }
  if (ec) spdlog::warn("listing {}: {}", directory_, ec.message());
}

}  // namespace depot::files
