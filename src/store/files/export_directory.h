#pragma once
// Export files (the ExportFiles port) in one directory of their own under the data directory.

#include <string>

#include "app/export_files.h"

namespace depot::files {

class ExportDirectory final : public ExportFiles {
 public:
  // Creates the directory if needed.
  explicit ExportDirectory(std::string directory);

  std::string path_of(const std::string& name) override;
  bool exists(const std::string& name) override;
  Status write(const std::string& name,
               const std::function<Status(const Sink& sink)>& produce) override;
  void remove(const std::string& name) override;
  void remove_all() override;

 private:
  std::string directory_;
};

}  // namespace depot::files
