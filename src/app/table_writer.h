#pragma once
// The port exports write through (RPT-2): a table of typed cells written row by row into a file of
// one format (CSV, XLSX: one adapter each in src/exports/). Each row goes to the file as it is
// added, so a table of any length never sits in memory. A writer belongs to one export and is
// used by one thread at a time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "domain/result.h"

namespace depot {

// An amount in minor units (fen), shown with two decimals.
struct Money {
  std::int64_t minor = 0;
};

// Times and days on the merchant's wall clock: exports show local time, as the merchant reads it.
using LocalTime = std::chrono::local_seconds;
using LocalDay = std::chrono::local_days;

// An empty cell (std::monostate), text, a whole number, money, a local time or a local day.
using Cell = std::variant<std::monostate, std::string, std::int64_t, Money, LocalTime, LocalDay>;

struct Column {
  std::string title;
  int width = 12;  // in characters, for formats that lay out columns
};

class TableWriter {
 public:
  virtual ~TableWriter() = default;

  // Creates the file and writes the header row. `title` names the table (a sheet's name).
  virtual Status begin(const std::string& title, const std::vector<Column>& columns) = 0;
  // One row, a cell per column.
  virtual Status add_row(const std::vector<Cell>& cells) = 0;
  // Completes and closes the file. A writer dropped before finish() leaves an unfinished file
  // for its owner to remove.
  virtual Status finish() = 0;
};

// Makes a writer of one format for a new file at `path`.
using TableWriterFactory = std::function<std::unique_ptr<TableWriter>(const std::string& path)>;

}  // namespace depot
