// JSON bodies of POST /api/v1/orders and PATCH /api/v1/orders/{id}: read as the routes do, the
// domain's checks added, and the 422 answer rendered.
#include "domain/order_rules.h"
#include "fuzz_input.h"
#include "http/json_input.h"
#include "http/order_input.h"
#include "http/problem.h"
#include "json_body.h"

using namespace depot;
using namespace depot::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::optional<boost::json::object> body = fuzz::json_body_of(fuzz::text_of(data, size));
  if (!body) return 0;
  std::vector<FieldError> draft_errors;
  OrderDraft draft = read_order_draft(*body, draft_errors);
  if (!draft_errors.empty()) add_rule_errors(draft_errors, validate_draft(draft));
  if (auto failed = field_errors(std::move(draft_errors))) (void)problem(*failed);
  std::vector<FieldError> patch_errors;
  OrderPatch patch = read_order_patch(*body, patch_errors);
  if (!patch_errors.empty() && patch.lines)
    add_rule_errors(patch_errors, validate_lines(*patch.lines));
  if (auto failed = field_errors(std::move(patch_errors))) (void)problem(*failed);
  return 0;
}
