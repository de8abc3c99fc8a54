// The CSV adapter of TableWriter: the bytes it writes (BOM, CRLF, RFC 4180 quoting), typed cells,
// and the guard against CSV injection.
#include "exports/csv/csv_table_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace depot::exports {
namespace {

using namespace std::chrono;

std::string field(const Cell& cell) {
  std::string line;
  append_csv_field(line, cell);
  return line;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(CsvTableWriter, WritesABomTheHeaderAndCrlfRows) {
  testing::TempDir dir;
  std::string path = dir.file("orders.csv");
  CsvTableWriter writer(path);
  ASSERT_OK(writer.begin("orders", {{"order_no", 10}, {"客户", 10}, {"total", 10}}));
  ASSERT_OK(writer.add_row({std::string("D-1"), std::string("张三"), Money{12345}}));
  ASSERT_OK(writer.add_row({std::string("D-2"), Cell{}, Money{-5}}));
  ASSERT_OK(writer.finish());
  EXPECT_EQ(read_file(path),
            "\xEF\xBB\xBF"
            "order_no,客户,total\r\n"
            "D-1,张三,123.45\r\n"
            "D-2,,-0.05\r\n");
}

TEST(CsvTableWriter, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  EXPECT_EQ(field(std::string("plain")), "plain");
  EXPECT_EQ(field(std::string("a,b")), "\"a,b\"");
  EXPECT_EQ(field(std::string("say \"hi\"")), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field(std::string("line1\nline2")), "\"line1\nline2\"");
  EXPECT_EQ(field(std::string("a\r\nb")), "\"a\r\nb\"");
}

TEST(CsvTableWriter, GuardsTextThatASpreadsheetWouldRunAsAFormula) {
  EXPECT_EQ(field(std::string("=HYPERLINK(\"http://x\")")), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(field(std::string("+8613800138000")), "'+8613800138000");
  EXPECT_EQ(field(std::string("-2+3")), "'-2+3");
  EXPECT_EQ(field(std::string("@SUM(A1)")), "'@SUM(A1)");
  EXPECT_EQ(field(std::string("\tcmd")), "'\tcmd");
  EXPECT_EQ(field(std::string("\r=1")), "\"'\r=1\"");
  EXPECT_EQ(field(std::string("＝1+1")), "'＝1+1");
  // Only the first character counts, and typed numbers are numbers, negative or not.
  EXPECT_EQ(field(std::string("a=b")), "a=b");
  EXPECT_EQ(field(std::int64_t{-3}), "-3");
  EXPECT_EQ(field(Money{-150}), "-1.50");
}

TEST(CsvTableWriter, WritesMoneyWithTwoDecimalsAndLocalTimes) {
  EXPECT_EQ(field(Money{0}), "0.00");
  EXPECT_EQ(field(Money{7}), "0.07");
  EXPECT_EQ(field(Money{100}), "1.00");
  EXPECT_EQ(field(Money{INT64_MIN}), "-92233720368547758.08");
  LocalDay day = local_days(year(2026) / 1 / 31);
  EXPECT_EQ(field(day), "2026-01-31");
  EXPECT_EQ(field(LocalTime(day + hours(8) + minutes(5) + seconds(9))), "2026-01-31 08:05:09");
  EXPECT_EQ(field(Cell{}), "");
}

TEST(CsvTableWriter, FailsWhenTheFileCannotBeCreated) {
  testing::TempDir dir;
  CsvTableWriter writer(dir.file("no/such/dir/x.csv"));
  Status begun = writer.begin("x", {{"a", 1}});
  ASSERT_FALSE(begun.ok());
  EXPECT_EQ(begun.error().code, ErrorCode::unavailable);
  EXPECT_FALSE(writer.add_row({std::int64_t{1}}).ok());
}

}  // namespace
}  // namespace depot::exports
