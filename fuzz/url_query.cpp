// Request targets as the server splits them: the percent-decoded path, and the query string's
// parameters (also the form bodies of pushes and of the tracking page), each read as the routes
// read a page size.
#include "fuzz_input.h"
#include "http/json_input.h"
#include "http/url.h"

using namespace depot;
using namespace depot::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view target = fuzz::text_of(data, size);
  (void)url_decode(target, false);
  Request request;
  request.query = parse_query(target);
  for (const auto& [name, value] : request.query) {
    (void)query_integer(request, name, 50, 1, 1000);
  }
  return 0;
}
