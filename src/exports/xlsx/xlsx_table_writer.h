#pragma once
// The TableWriter port as an Excel workbook (XLSX) through libxlsxwriter in its constant-memory
// mode: each row is written to a temporary file beside the target as soon as the next one starts,
// and the workbook is zipped from those files at finish(), so memory stays flat however many rows
// there are. Cells keep their types: numbers and money (two decimals) as numbers, times and days
// as Excel dates on the merchant's wall clock, text as text (never a formula). A sheet holds at
// most `rows_per_sheet` rows under its header (Excel's limit is 1,048,575); the rows after them go
// on to a new sheet ("orders (2)") with the header repeated. Text longer than a cell may hold
// (32,767 characters) is cut there.

#include <string>

#include "app/table_writer.h"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace depot::exports {

inline constexpr std::int64_t kExcelRowsPerSheet = 1'048'575;

class XlsxTableWriter final : public TableWriter {
 public:
  explicit XlsxTableWriter(std::string path, std::int64_t rows_per_sheet = kExcelRowsPerSheet)
      : path_(std::move(path)), rows_per_sheet_(rows_per_sheet) {}
  ~XlsxTableWriter() override;
  XlsxTableWriter(const XlsxTableWriter&) = delete;
  XlsxTableWriter& operator=(const XlsxTableWriter&) = delete;

  Status begin(const std::string& title, const std::vector<Column>& columns) override;
  Status add_row(const std::vector<Cell>& cells) override;
  Status finish() override;

 private:
  Status add_sheet();
  Status write_cell(std::uint32_t row, std::uint16_t column, const Cell& cell);

  std::string path_;
  std::string scratch_;  // the directory of the temporary files: the target's own
  std::int64_t rows_per_sheet_;
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* header_format_ = nullptr;
  lxw_format* money_format_ = nullptr;
  lxw_format* time_format_ = nullptr;
  lxw_format* day_format_ = nullptr;
  std::string title_;
  std::vector<Column> columns_;
  int sheets_ = 0;
  std::int64_t row_ = 0;  // rows written on the current sheet, its header not counted
};

}  // namespace depot::exports
