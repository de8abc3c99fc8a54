// Bulk order files (POST /api/v1/orders/import): the bytes decoded (UTF-8, BOM, GBK/GB18030),
// split into records and read into order rows.
#include "fuzz_input.h"
#include "http/csv.h"
#include "http/order_csv.h"

using namespace depot;
using namespace depot::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Result<std::string> text = decode_csv_text(fuzz::text_of(data, size));
  if (!text.ok()) return 0;
  Result<std::vector<CsvRow>> records = parse_csv(*text);
  if (!records.ok()) return 0;
  (void)read_order_rows(*records);
  return 0;
}
