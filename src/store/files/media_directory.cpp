#include "store/files/media_directory.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/text.h"

namespace depot::files {

MediaDirectory::MediaDirectory(std::string directory) : directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
}

Status MediaDirectory::put(const std::string& name, std::string_view bytes) {
  std::string final_path = directory_ + "/" + name;
  std::string temp_path = final_path + ".tmp";
  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return error(ErrorCode::unavailable, "cannot store the image");
  std::size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  bool ok = written == bytes.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    std::remove(temp_path.c_str());
    return error(ErrorCode::unavailable, "cannot store the image");
  }
  return {};
}

std::optional<std::string> MediaDirectory::get(const std::string& name) {
  // Names are ours (hex + extension): anything else, such as "../x", is simply not there.
  for (char c : name) {
    if (!is_valid_code(std::string_view(&c, 1))) return std::nullopt;
  }
  if (name.empty() || name.front() == '.' || name.find("..") != std::string::npos) {
    return std::nullopt;
  }
  // "." and the like name the directory itself, which a stream opens and reads as empty.
  std::string path = directory_ + "/" + name;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

}  // namespace depot::files
