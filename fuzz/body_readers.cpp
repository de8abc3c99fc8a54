// The JSON bodies of the catalogue, stock, settings and rule routes, each read by its own reader
// as the routes do and the 422 answer rendered. The first byte chooses the reader; the rest is the
// body, parsed as the server parses it.
#include <array>

#include "fuzz_input.h"
#include "http/inventory_input.h"
#include "http/json_input.h"
#include "http/problem.h"
#include "http/rule_input.h"
#include "http/settings_input.h"
#include "json_body.h"

using namespace depot;
using namespace depot::http;

namespace {

using Reader = void (*)(const boost::json::object&, std::vector<FieldError>&);

// Each reader's value is dropped: what is fuzzed is the reading and the errors it names.
template <auto read>
void run(const boost::json::object& body, std::vector<FieldError>& errors) {
  (void)read(body, errors);
}

// The first byte modulo the count picks the reader ('p' + i picks the i-th: 'p' is 8 * 14). The
// order of this list is the meaning of the seed corpus's first bytes: add at the end.
constexpr std::array<Reader, 14> kReaders = {
    run<read_product_draft>,   run<read_product_patch>,   run<read_warehouse>,
    run<read_sender_address>,  run<read_location_code>,   run<read_receipt>,
    run<read_adjustment>,      run<read_transfer>,        run<read_settings_patch>,
    run<read_rule_draft>,      run<read_rule_patch>,      run<read_dry_run>,
    run<read_blacklist_entry>, run<read_geocoder_config>,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Reader read = kReaders[data[0] % kReaders.size()];
  std::optional<boost::json::object> body = fuzz::json_body_of(fuzz::text_of(data + 1, size - 1));
  if (!body) return 0;
  std::vector<FieldError> errors;
  read(*body, errors);
  if (auto failed = field_errors(std::move(errors))) (void)problem(*failed);
  return 0;
}
