// Address divisions as orders, webhooks and settings give them: province, city and district
// (NUL-separated) matched against China's division table, the picker's codes looked up, and the
// address printed.
#include "domain/divisions.h"
#include "fuzz_input.h"

using namespace depot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string_view> parts = fuzz::parts_of(fuzz::text_of(data, size), 4);
  (void)match_division(parts[0], parts[1], parts[2]);
  (void)division_choices(parts[0]);
  (void)printed_address(parts[0], parts[1], parts[2], parts[3]);
  return 0;
}
