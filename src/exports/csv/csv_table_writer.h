#pragma once
// The TableWriter port as CSV that Excel opens as it is, Chinese included: UTF-8 with a byte order
// mark (without one Excel on Chinese Windows reads the bytes as GBK), RFC 4180 quoting, CRLF line
// ends. Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
// return, or their full-width forms) is written with a leading apostrophe, as OWASP advises
// against CSV injection; numbers, money and times are typed cells and written as they are.
// Money has two decimals ("12.30"), times are "YYYY-MM-DD HH:MM:SS", days "YYYY-MM-DD".

#include <cstdio>
#include <string>

#include "app/table_writer.h"

namespace depot::exports {

class CsvTableWriter final : public TableWriter {
 public:
  explicit CsvTableWriter(std::string path) : path_(std::move(path)) {}
  ~CsvTableWriter() override;
  CsvTableWriter(const CsvTableWriter&) = delete;
  CsvTableWriter& operator=(const CsvTableWriter&) = delete;

  Status begin(const std::string& title, const std::vector<Column>& columns) override;
  Status add_row(const std::vector<Cell>& cells) override;
  Status finish() override;

 private:
  Status write_line();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::string line_;  // the record being built, reused from row to row
};

// Appends one field as written: guarded against formulas when it is text, then quoted when it
// holds a comma, a quote or a line break.
void append_csv_field(std::string& line, const Cell& cell);

}  // namespace depot::exports
