#include "http/csv.h"

#include <gtest/gtest.h>
#include <iconv.h>

#include <string>
#include <vector>

namespace depot::http {
namespace {

using Fields = std::vector<std::string>;

// `utf8` as GB18030 bytes, the way Excel on Chinese Windows saves a CSV.
std::string to_gb18030(const std::string& utf8) {
  iconv_t descriptor = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(descriptor, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* out_at = out.data();
  std::size_t out_left = out.size();
  EXPECT_NE(iconv(descriptor, &in, &in_left, &out_at, &out_left), static_cast<std::size_t>(-1));
  iconv_close(descriptor);
  out.resize(out.size() - out_left);
  return out;
}

void expect_invalid_body(const Error& error) {
  EXPECT_EQ(error.code, ErrorCode::invalid);
  ASSERT_EQ(error.fields.size(), 1u);
  EXPECT_EQ(error.fields[0].field, "body");
}

TEST(CsvDecode, DropsUtf8ByteOrderMark) {
  auto text = decode_csv_text("\xEF\xBB\xBF运单号,快递公司\r\n");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text, "运单号,快递公司\r\n");
}

TEST(CsvDecode, KeepsUtf8AsItIs) {
  auto text = decode_csv_text("顺丰,中通\n");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text, "顺丰,中通\n");
  EXPECT_EQ(*decode_csv_text(""), "");
}

TEST(CsvDecode, ReadsGbk) {
  // 顺丰 is CB B3 B7 E1 and 中通 is D6 D0 CD A8 in GBK.
  auto text = decode_csv_text("\xCB\xB3\xB7\xE1,\xD6\xD0\xCD\xA8");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text, "顺丰,中通");

  std::string sheet = "运单号,快递公司,备注\r\nSF1234567890123,顺丰速运,\"易碎，轻放\"\r\n";
  auto decoded = decode_csv_text(to_gb18030(sheet));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, sheet);
}

TEST(CsvDecode, DropsGb18030ByteOrderMark) {
  auto text = decode_csv_text("\x84\x31\x95\x33\xCB\xB3\xB7\xE1");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text, "顺丰");
}

TEST(CsvDecode, RefusesTextThatIsNeither) {
  auto stray = decode_csv_text("abc,\xFF\xFE");
  ASSERT_FALSE(stray.ok());
  expect_invalid_body(stray.error());
  EXPECT_NE(stray.error().message.find("byte 4"), std::string::npos) << stray.error().message;

  auto truncated = decode_csv_text("\xCB\xB3\xB7");  // 顺 and half of 丰
  ASSERT_FALSE(truncated.ok());
  expect_invalid_body(truncated.error());

  auto marked = decode_csv_text("\xEF\xBB\xBF\xCB\xB3\xB7\xE1");  // a UTF-8 mark, then GBK
  ASSERT_FALSE(marked.ok());
  expect_invalid_body(marked.error());
}

TEST(CsvDecode, ValidatesUtf8Strictly) {
  // Overlong "/", a surrogate, a code point past U+10FFFF, a truncated sequence: none is UTF-8,
  // so none may come back unchanged (they are read as GB18030 or refused).
  for (std::string bytes :
       {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xB8"}) {
    auto text = decode_csv_text(bytes);
    EXPECT_TRUE(!text.ok() || *text != bytes) << ::testing::PrintToString(bytes);
  }
  // The edges that are valid: U+0080, U+D7FF, U+E000, U+10FFFF.
  for (std::string bytes : {"\xC2\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    auto text = decode_csv_text(bytes);
    ASSERT_TRUE(text.ok()) << ::testing::PrintToString(bytes);
    EXPECT_EQ(*text, bytes);
  }
}

TEST(CsvParse, ReadsQuotedFields) {
  auto rows = parse_csv("a,\"b,c\",\"say \"\"hi\"\"\",\"\",\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].fields, (Fields{"a", "b,c", "say \"hi\"", "", ""}));
}

TEST(CsvParse, KeepsStrayQuotesAsWritten) {
  auto rows = parse_csv("5\" box,\"a\"b\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].fields, (Fields{"5\" box", "ab"}));
}

TEST(CsvParse, ReadsCrlfAndLfWithOrWithoutFinalLineEnd) {
  for (std::string text : {"a,b\r\nc,d\r\n", "a,b\r\nc,d", "a,b\nc,d\n", "a,b\nc,d"}) {
    auto rows = parse_csv(text);
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    ASSERT_EQ(rows->size(), 2u) << ::testing::PrintToString(text);
    EXPECT_EQ((*rows)[0].line, 1u);
    EXPECT_EQ((*rows)[0].fields, (Fields{"a", "b"}));
    EXPECT_EQ((*rows)[1].line, 2u);
    EXPECT_EQ((*rows)[1].fields, (Fields{"c", "d"}));
  }
  auto last_cr = parse_csv("a,b\r");
  ASSERT_TRUE(last_cr.ok());
  EXPECT_EQ((*last_cr)[0].fields, (Fields{"a", "b"}));
}

TEST(CsvParse, EmbeddedLineBreaksKeepLaterLineNumbers) {
  auto rows = parse_csv(
      "order,note\r\n"
      "D1,\"first\r\nsecond\r\nthird\"\r\n"
      "D2,\"a, \"\"quoted\"\"\nline\"\r\n"
      "D3,plain\r\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].line, 1u);
  EXPECT_EQ((*rows)[1].line, 2u);
  EXPECT_EQ((*rows)[1].fields, (Fields{"D1", "first\r\nsecond\r\nthird"}));
  EXPECT_EQ((*rows)[2].line, 5u);
  EXPECT_EQ((*rows)[2].fields, (Fields{"D2", "a, \"quoted\"\nline"}));
  EXPECT_EQ((*rows)[3].line, 7u);
  EXPECT_EQ((*rows)[3].fields, (Fields{"D3", "plain"}));
}

TEST(CsvParse, UnterminatedQuoteNamesItsLine) {
  auto rows = parse_csv("order,note\nD1,ok\nD2,\"never\nclosed\nD3,x\n");
  ASSERT_FALSE(rows.ok());
  expect_invalid_body(rows.error());
  EXPECT_NE(rows.error().message.find("line 3"), std::string::npos) << rows.error().message;

  EXPECT_FALSE(parse_csv("\"").ok());
  EXPECT_FALSE(parse_csv("a,\"b\"\"").ok());
}

TEST(CsvParse, SkipsBlankLines) {
  auto rows = parse_csv("\n\r\na,b\n\n\r\nc,d\n\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].line, 3u);
  EXPECT_EQ((*rows)[1].line, 6u);

  EXPECT_TRUE(parse_csv("")->empty());
  // Not blank: a record of empty fields, and an explicitly quoted empty field.
  auto empties = parse_csv(",,\n\"\"\n");
  ASSERT_TRUE(empties.ok());
  ASSERT_EQ(empties->size(), 2u);
  EXPECT_EQ((*empties)[0].fields, (Fields{"", "", ""}));
  EXPECT_EQ((*empties)[1].fields, (Fields{""}));
}

TEST(CsvParse, DecodedGbkUploadParses) {
  auto text = decode_csv_text(to_gb18030("运单号,快递公司\r\nJT0006968326954,极兔速递\r\n"));
  ASSERT_TRUE(text.ok()) << text.error().message;
  auto rows = parse_csv(*text);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].fields, (Fields{"JT0006968326954", "极兔速递"}));
}

TEST(CsvParse, ReadsTenThousandRows) {
  constexpr std::size_t kRows = 10'000;
  std::string text = "order_no,carrier,tracking_no,note\r\n";
  for (std::size_t i = 0; i < kRows; ++i) {
    std::string note = i % 100 == 0 ? "\"two\r\nlines, quoted \"\"x\"\"\"" : "plain";
    text += "D" + std::to_string(i) + ",SF,SF" + std::to_string(1000000000000 + i) + "," + note +
            "\r\n";
  }
  auto rows = parse_csv(text);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), kRows + 1);
  // One extra physical line for each of the 100 notes with a line break.
  EXPECT_EQ(rows->back().line, kRows + 1 + kRows / 100);
  EXPECT_EQ(rows->back().fields,
            (Fields{"D9999", "SF", "SF" + std::to_string(1000000000000 + 9999), "plain"}));
  EXPECT_EQ((*rows)[1].fields[3], "two\r\nlines, quoted \"x\"");
}

}  // namespace
}  // namespace depot::http
