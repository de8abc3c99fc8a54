// The XLSX adapter of TableWriter, read back by another implementation: openpyxl (Debian's
// python3-openpyxl) opens the workbook and prints every cell with its type, so the test sees what
// a spreadsheet sees — typed numbers and dates, text that stays text, the header on each sheet.
#include "exports/xlsx/xlsx_table_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "support/test_support.h"

namespace depot::exports {
namespace {

using namespace std::chrono;

// Every sheet of the workbook at `path` as openpyxl reads it: "# name" per sheet, then a line per
// row of "type:value" cells joined by " | ".
std::string read_back(const std::string& path) {
  std::string script = R"(
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
for sheet in book.worksheets:
    print("# " + sheet.title)
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value = cell.value
            if value is None:
                cells.append("empty")
            elif cell.is_date:
                cells.append("date:" + value.isoformat() + ":" + cell.number_format)
            elif isinstance(value, (int, float)):
                cells.append("number:" + repr(value) + ":" + cell.number_format)
            else:
                cells.append(cell.data_type + ":" + str(value))
        print(" | ".join(cells))
)";
  testing::TempDir dir;
  std::string script_path = dir.file("read.py");
  std::ofstream(script_path) << script;
  std::string command = "/usr/bin/python3 " + script_path + " " + path + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "cannot run python3";
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

TEST(XlsxTableWriter, WritesTypedCellsThatASpreadsheetReadsBack) {
  testing::TempDir dir;
  std::string path = dir.file("orders.xlsx");
  XlsxTableWriter writer(path);
  ASSERT_OK(writer.begin("orders", {{"order_no", 20},
                                    {"客户", 10},
                                    {"units", 8},
                                    {"total", 10},
                                    {"created_at", 20},
                                    {"day", 12},
                                    {"notes", 20}}));
  LocalDay day = local_days(year(2026) / 1 / 31);
  ASSERT_OK(writer.add_row({std::string("D-1"), std::string("张三"), std::int64_t{3}, Money{12345},
                            LocalTime(day + hours(8) + minutes(5) + seconds(9)), day,
                            std::string("=1+2")}));
  ASSERT_OK(writer.add_row({std::string("D-2"), Cell{}, std::int64_t{-1}, Money{-50},
                            LocalTime(day), day, std::string("")}));
  ASSERT_OK(writer.finish());

  EXPECT_EQ(read_back(path),
            "# orders\n"
            "s:order_no | s:客户 | s:units | s:total | s:created_at | s:day | s:notes\n"
            "s:D-1 | s:张三 | number:3:General | number:123.45:0.00 | "
            "date:2026-01-31T08:05:09:yyyy-mm-dd hh:mm:ss | "
            "date:2026-01-31T00:00:00:yyyy-mm-dd | s:=1+2\n"
            "s:D-2 | empty | number:-1:General | number:-0.5:0.00 | "
            "date:2026-01-31T00:00:00:yyyy-mm-dd hh:mm:ss | "
            "date:2026-01-31T00:00:00:yyyy-mm-dd | empty\n");
}

TEST(XlsxTableWriter, GoesOnToANewSheetWithTheHeaderWhenOneIsFull) {
  testing::TempDir dir;
  std::string path = dir.file("ledger.xlsx");
  XlsxTableWriter writer(path, 2);
  ASSERT_OK(writer.begin("ledger", {{"id", 8}}));
  for (std::int64_t id = 1; id <= 5; ++id) ASSERT_OK(writer.add_row({id}));
  ASSERT_OK(writer.finish());
  EXPECT_EQ(read_back(path),
            "# ledger\ns:id\nnumber:1:General\nnumber:2:General\n"
            "# ledger (2)\ns:id\nnumber:3:General\nnumber:4:General\n"
            "# ledger (3)\ns:id\nnumber:5:General\n");
}

TEST(XlsxTableWriter, FailsWhenTheFileCannotBeCreated) {
  testing::TempDir dir;
  XlsxTableWriter writer(dir.file("no/such/dir/x.xlsx"));
  Status begun = writer.begin("x", {{"a", 1}});
  if (begun.ok()) begun = writer.finish();  // libxlsxwriter opens the file when it closes
  ASSERT_FALSE(begun.ok());
  EXPECT_EQ(begun.error().code, ErrorCode::unavailable);
}

}  // namespace
}  // namespace depot::exports
