#include "store/files/export_directory.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

namespace depot::files {

namespace fs = std::filesystem;

ExportDirectory::ExportDirectory(std::string directory) : directory_(std::move(directory)) {
  fs::create_directories(directory_);
}

std::string ExportDirectory::path_of(const std::string& name) {
  return (fs::path(directory_) / name).string();
}

bool ExportDirectory::exists(const std::string& name) {
  std::error_code ec;
  return fs::exists(path_of(name), ec);
}

Status ExportDirectory::write(const std::string& name,
                              const std::function<Status(const Sink& sink)>& produce) {
  std::string path = path_of(name);
  std::string partial = path + ".part";
  Status written = [&]() -> Status {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    Status produced = produce([&out](std::string_view bytes) {
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    });
    out.close();
    if (produced.ok() && !out) {
      return error(ErrorCode::unavailable, "the file " + name + " could not be written");
    }
    return produced;
  }();
  std::error_code ec;
  if (written.ok()) fs::rename(partial, path, ec);
  if (!written.ok() || ec) fs::remove(partial, ec);
  if (written.ok() && ec) {
    return error(ErrorCode::unavailable,
                 "the file " + name + " could not be kept: " + ec.message());
  }
  return written;
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
