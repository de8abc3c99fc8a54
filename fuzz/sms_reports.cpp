// Aliyun SMS delivery reports (SmsReport callbacks) as POSTed to depot.
#include "http/sms_reports.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)depot::http::parse_sms_reports(depot::fuzz::text_of(data, size));
  return 0;
}
