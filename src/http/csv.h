#pragma once
// CSV uploads (bulk imports of shipments, checkpoints and orders): decoding the bytes to UTF-8
// the way spreadsheets in China save them, and splitting the text into RFC 4180 records that
// remember their line numbers.
// Pure functions; safe to call from any thread.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"
#include "http/message.h"

namespace depot::http {

// The upload as UTF-8. A UTF-8 byte order mark is dropped. Text that is not valid UTF-8 (strictly:
// no overlong forms, surrogates or code points past U+10FFFF) is read as GB18030, a superset of
// GBK, which is what Excel on Chinese Windows writes for "CSV". Fails (`invalid`, field "body")
// when neither reading works, or when a UTF-8 byte order mark is followed by invalid UTF-8.
// Short GBK texts can happen to be valid UTF-8 too; those are read as UTF-8.
Result<std::string> decode_csv_text(std::string_view bytes);

struct CsvRow {
  std::size_t line = 0;  // 1-based line in the file where the record starts
  std::vector<std::string> fields;
};

// RFC 4180 records: fields separated by commas; a field in double quotes may hold commas, line
// breaks and "" for a quote. Lines end in CRLF or LF, and the last line break is optional. Empty
// lines are skipped; a line of commas is a record of empty fields. Like Excel, a stray quote
// inside an unquoted field, or text after a closing quote, is kept as written. Fails (`invalid`,
// field "body", naming the line) when a quoted field is never closed. Runs in one pass, linear
// in the size of the text.
Result<std::vector<CsvRow>> parse_csv(std::string_view utf8_text);

// The records of an uploaded CSV file, decoded and parsed as above: the body when its
// Content-Type is text/csv, or the part named "file" of a multipart/form-data body (a browser's
// upload form); 415 for any other body.
Result<std::vector<CsvRow>> csv_records(const Request& request);

}  // namespace depot::http
