// What the Kuaidi100-protocol aggregator sends depot: a push's `param` (tracking pushes, read
// once their signature holds), and the answers to subscriptions, queries, waybill orders and
// cancellations, and the bytes of a label.
#include "carriers/kuaidi100/kuaidi100_messages.h"
#include "carriers/kuaidi100/kuaidi100_waybill_messages.h"
#include "fuzz_input.h"

using namespace depot::carriers::kuaidi100;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = depot::fuzz::text_of(data, size);
  (void)read_push_param(input);
  (void)read_query_answer(input);
  (void)read_subscribe_answer(input);
  (void)read_order_answer(input);
  (void)read_cancel_answer(input);
  (void)label_of(std::string(input));
  (void)china_time(input);
  return 0;
}
