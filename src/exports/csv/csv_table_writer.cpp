#include "exports/csv/csv_table_writer.h"

#include <cinttypes>
#include <string_view>

namespace depot::exports {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// What a spreadsheet reads as the start of a formula, or (tab, CR) what hides one from view; the
// full-width forms count too, since some locales of Excel turn them into their ASCII forms.
bool starts_like_formula(std::string_view text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      break;
  }
  for (std::string_view wide : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"}) {
    if (text.substr(0, wide.size()) == wide) return true;  // ＝ ＋ － ＠
  }
  return false;
}

void append_text(std::string& line, std::string_view text) {
  bool guarded = starts_like_formula(text);
  bool quoted = text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quoted) line += '"';
  if (guarded) line += '\'';
  for (char c : text) {
    if (c == '"') line += '"';
    line += c;
  }
  if (quoted) line += '"';
}

void append_money(std::string& line, std::int64_t minor) {
  std::uint64_t magnitude =
      minor < 0 ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  char text[32];
  std::snprintf(text, sizeof text, "%s%" PRIu64 ".%02" PRIu64, minor < 0 ? "-" : "",
                magnitude / 100, magnitude % 100);
  line += text;
}

void append_day(std::string& line, LocalDay day) {
  std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  line += text;
}

void append_time(std::string& line, LocalTime time) {
  LocalDay day = std::chrono::floor<std::chrono::days>(time);
  append_day(line, day);
  std::chrono::hh_mm_ss clock{time - day};
  char text[16];
  std::snprintf(text, sizeof text, " %02d:%02d:%02d", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  line += text;
}

Status cannot_write() { return error(ErrorCode::unavailable, "the export file cannot be written"); }

}  // namespace

void append_csv_field(std::string& line, const Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) {
    append_text(line, *text);
  } else if (const auto* number = std::get_if<std::int64_t>(&cell)) {
    line += std::to_string(*number);
  } else if (const auto* money = std::get_if<Money>(&cell)) {
    append_money(line, money->minor);
  } else if (const auto* time = std::get_if<LocalTime>(&cell)) {
    append_time(line, *time);
  } else if (const auto* day = std::get_if<LocalDay>(&cell)) {
    append_day(line, *day);
  }
}

CsvTableWriter::~CsvTableWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Status CsvTableWriter::begin(const std::string&, const std::vector<Column>& columns) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) return cannot_write();
  line_ = kByteOrderMark;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) line_ += ',';
    append_text(line_, columns[i].title);
  }
  return write_line();
}

Status CsvTableWriter::add_row(const std::vector<Cell>& cells) {
  line_.clear();
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line_ += ',';
    append_csv_field(line_, cells[i]);
  }
  return write_line();
}

Status CsvTableWriter::write_line() {
  line_ += "\r\n";
  if (file_ == nullptr) return cannot_write();
  if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) return cannot_write();
  return {};
}

Status CsvTableWriter::finish() {
  std::FILE* file = file_;
  file_ = nullptr;
  if (file == nullptr || std::fclose(file) != 0) return cannot_write();
  return {};
}

}  // namespace depot::exports
