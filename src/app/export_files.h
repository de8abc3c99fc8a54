#pragma once
// Where finished exports wait to be downloaded (RPT-2), and shipping batches' PDFs: files beside
// the database, each named by the service that makes it. An export's file is written in place by
// a TableWriter, a PDF through write(), and both are streamed from there by the HTTP server, so no
// file ever passes through memory whole. Thread-safe.

#include <functional>
#include <string>
#include <string_view>

#include "domain/result.h"

namespace depot {

class ExportFiles {
 public:
  virtual ~ExportFiles() = default;
  // Where the file called `name` lives (names are the service's own: letters, digits, '-', '.').
  virtual std::string path_of(const std::string& name) = 0;
  // Whether the file called `name` is there.
  virtual bool exists(const std::string& name) = 0;
  // Writes the file called `name` from what `produce` hands the sink it is given, under another
  // name until it is whole, so a reader never finds half a file; a failure (`produce`'s own, or
  // the disk's) leaves nothing.
  using Sink = std::function<void(std::string_view bytes)>;
  virtual Status write(const std::string& name,
                       const std::function<Status(const Sink& sink)>& produce) = 0;
  // Removes the file, if it is there.
  virtual void remove(const std::string& name) = 0;
  // Removes every file: exports do not outlive the process that made them.
  virtual void remove_all() = 0;
};

}  // namespace depot
