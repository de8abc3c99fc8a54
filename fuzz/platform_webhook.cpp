// Inbound platform webhooks (POST /api/v1/hooks/platforms/{tenant}/{id}): the first byte picks
// the platform (generic, Shopify, Taobao), the rest is the body, read as the route reads it once
// the signature holds; a refusal is renamed into the platform's terms as the route does.
#include "fuzz_input.h"
#include "http/json_input.h"
#include "http/platform_orders.h"
#include "http/problem.h"

using namespace depot;
using namespace depot::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = fuzz::text_of(data, size);
  if (input.empty()) return 0;
  std::string_view platform = kPlatforms[static_cast<unsigned char>(input[0]) % 3];
  Request request;
  request.headers["content-type"] = "application/json";
  request.body = input.substr(1);
  Result<boost::json::object> body = parse_object(request);
  if (!body.ok()) return 0;
  Result<PlatformReading> reading = read_platform_order(platform, *body);
  if (!reading.ok()) {
    (void)problem(reading.error());
    return 0;
  }
  // What the use case may refuse, in depot's field paths.
  Error refused = invalid_fields({{"lines[0].sku", "no such product"},
                                  {"lines[7].quantity", "is not in stock"},
                                  {"customer.name", "is required"},
                                  {"shipping_address.district", "is not in the city"}});
  (void)in_platform_terms(platform, *reading, refused);
  return 0;
}
