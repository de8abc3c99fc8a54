// Bulk shipment files (POST /api/v1/shipments/import): the bytes decoded (UTF-8, BOM,
// GBK/GB18030), split into records and read into shipment rows.
#include "csv_input.h"
#include "http/import_rows.h"

using namespace depot;
using namespace depot::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (auto records = fuzz::csv_records(data, size)) (void)read_import_rows(*records);
  return 0;
}
