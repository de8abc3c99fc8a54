#include "exports/xlsx/xlsx_table_writer.h"

#include <xlsxwriter.h>

#include <filesystem>

#include "domain/text.h"

namespace depot::exports {

namespace {

constexpr std::size_t kMaxCellChars = 32767;

Status failed(std::string_view what, lxw_error code) {
  return error(ErrorCode::unavailable, "the export file cannot be written: " + std::string(what) +
                                           ": " + lxw_strerror(code));
}

lxw_datetime excel_time(LocalTime time) {
  LocalDay day = std::chrono::floor<std::chrono::days>(time);
  std::chrono::year_month_day date{day};
  std::chrono::hh_mm_ss clock{time - day};
  return lxw_datetime{static_cast<int>(date.year()),
                      static_cast<int>(static_cast<unsigned>(date.month())),
                      static_cast<int>(static_cast<unsigned>(date.day())),
                      static_cast<int>(clock.hours().count()),
                      static_cast<int>(clock.minutes().count()),
                      static_cast<double>(clock.seconds().count())};
}

}  // namespace

XlsxTableWriter::~XlsxTableWriter() {
  // Closing is the only way libxlsxwriter frees a workbook; the unfinished file is the owner's.
  if (workbook_ != nullptr) workbook_close(workbook_);
}

Status XlsxTableWriter::begin(const std::string& title, const std::vector<Column>& columns) {
  scratch_ = std::filesystem::path(path_).parent_path().string();
  if (scratch_.empty()) scratch_ = ".";
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = scratch_.data();
  options.use_zip64 = LXW_TRUE;  // a million rows can pass the 4 GiB of a plain zip member
  workbook_ = workbook_new_opt(path_.c_str(), &options);
  if (workbook_ == nullptr) {
    return error(ErrorCode::unavailable, "the export file cannot be created");
  }
  header_format_ = workbook_add_format(workbook_);
  format_set_bold(header_format_);
  money_format_ = workbook_add_format(workbook_);
  format_set_num_format(money_format_, "0.00");
  time_format_ = workbook_add_format(workbook_);
  format_set_num_format(time_format_, "yyyy-mm-dd hh:mm:ss");
  day_format_ = workbook_add_format(workbook_);
  format_set_num_format(day_format_, "yyyy-mm-dd");
  title_ = title;
  columns_ = columns;
  return add_sheet();
}

Status XlsxTableWriter::add_sheet() {
  ++sheets_;
  std::string name = std::string(utf8_prefix(title_, 24));
  if (sheets_ > 1) name += " (" + std::to_string(sheets_) + ")";
  sheet_ = workbook_add_worksheet(workbook_, name.c_str());
  if (sheet_ == nullptr) return error(ErrorCode::unavailable, "the export sheet cannot be added");
  row_ = 0;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    auto column = static_cast<lxw_col_t>(i);
    worksheet_set_column(sheet_, column, column, columns_[i].width, nullptr);
    lxw_error written =
        worksheet_write_string(sheet_, 0, column, columns_[i].title.c_str(), header_format_);
    if (written != LXW_NO_ERROR) return failed("header", written);
  }
  worksheet_freeze_panes(sheet_, 1, 0);
  return {};
}

Status XlsxTableWriter::add_row(const std::vector<Cell>& cells) {
  if (workbook_ == nullptr) return error(ErrorCode::unavailable, "the export file is not open");
  if (row_ == rows_per_sheet_) {
    if (Status added = add_sheet(); !added.ok()) return added;
  }
  ++row_;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    Status written =
        write_cell(static_cast<std::uint32_t>(row_), static_cast<std::uint16_t>(i), cells[i]);
    if (!written.ok()) return written;
  }
  return {};
}

Status XlsxTableWriter::write_cell(std::uint32_t row, std::uint16_t column, const Cell& cell) {
  lxw_error written = LXW_NO_ERROR;
  if (const auto* text = std::get_if<std::string>(&cell)) {
    if (text->empty()) return {};
    std::string shown(utf8_prefix(*text, kMaxCellChars));
    written = worksheet_write_string(sheet_, row, column, shown.c_str(), nullptr);
  } else if (const auto* number = std::get_if<std::int64_t>(&cell)) {
    written = worksheet_write_number(sheet_, row, column, static_cast<double>(*number), nullptr);
  } else if (const auto* money = std::get_if<Money>(&cell)) {
    written = worksheet_write_number(sheet_, row, column, static_cast<double>(money->minor) / 100,
                                     money_format_);
  } else if (const auto* time = std::get_if<LocalTime>(&cell)) {
    lxw_datetime excel = excel_time(*time);
    written = worksheet_write_datetime(sheet_, row, column, &excel, time_format_);
  } else if (const auto* day = std::get_if<LocalDay>(&cell)) {
    lxw_datetime excel = excel_time(LocalTime(*day));
    written = worksheet_write_datetime(sheet_, row, column, &excel, day_format_);
  }
  if (written != LXW_NO_ERROR) return failed("a cell", written);
  return {};
}

Status XlsxTableWriter::finish() {
  if (workbook_ == nullptr) return error(ErrorCode::unavailable, "the export file is not open");
  lxw_error closed = workbook_close(workbook_);
  workbook_ = nullptr;
  if (closed != LXW_NO_ERROR) return failed("closing the workbook", closed);
  return {};
}

}  // namespace depot::exports
