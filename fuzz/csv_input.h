#pragma once
// What the three CSV harnesses share: the bytes decoded (UTF-8, BOM, GBK/GB18030) and split into
// records, as every bulk import does before reading its own rows.
#include <optional>
#include <vector>

#include "fuzz_input.h"
#include "http/csv.h"

namespace depot::fuzz {

inline std::optional<std::vector<http::CsvRow>> csv_records(const std::uint8_t* data,
                                                            std::size_t size) {
  Result<std::string> text = http::decode_csv_text(text_of(data, size));
  if (!text.ok()) return std::nullopt;
  Result<std::vector<http::CsvRow>> records = http::parse_csv(*text);
  if (!records.ok()) return std::nullopt;
  return std::move(*records);
}

}  // namespace depot::fuzz
