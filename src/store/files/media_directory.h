#pragma once
// Product images as files in one directory, written atomically (temp file, fsync, rename).

#include <string>

#include "app/ports.h"

namespace depot::files {

class MediaDirectory final : public MediaStore {
 public:
  explicit MediaDirectory(std::string directory);

  Status put(const std::string& name, std::string_view bytes) override;
  std::optional<std::string> get(const std::string& name) override;

 private:
  std::string directory_;
};

}  // namespace depot::files
