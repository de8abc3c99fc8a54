#pragma once
// Where finished exports wait to be downloaded (RPT-2): files beside the database, each named by
// the export service. An export's file is written in place by a TableWriter and streamed from
// there by the HTTP server, so no export ever passes through memory whole. Thread-safe.

#include <string>

namespace depot {

class ExportFiles {
 public:
  virtual ~ExportFiles() = default;
  // Where the file called `name` lives (names are the service's own: letters, digits, '-', '.').
  virtual std::string path_of(const std::string& name) = 0;
  // Removes the file, if it is there.
  virtual void remove(const std::string& name) = 0;
  // Removes every file: exports do not outlive the process that made them.
  virtual void remove_all() = 0;
};

}  // namespace depot
