// multipart/form-data uploads (product images, CSV files from the console): the first line of
// the input is the Content-Type header's value, the rest the body.
#include "http/multipart.h"
#include "fuzz_input.h"

using namespace depot;
using namespace depot::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = fuzz::text_of(data, size);
  std::size_t line_end = input.find('\n');
  std::string_view content_type = input.substr(0, line_end);
  std::string_view body =
      line_end == std::string_view::npos ? std::string_view() : input.substr(line_end + 1);
  (void)parse_multipart(content_type, body);
  return 0;
}
