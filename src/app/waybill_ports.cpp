#include "app/waybill_ports.h"

#include "app/documents.h"
#include "domain/enum_names.h"

namespace depot {

namespace {

constexpr EnumNames<WaybillStatus, 4> kWaybillStatuses = {{
    {WaybillStatus::requested, "requested"},
    {WaybillStatus::issued, "issued"},
    {WaybillStatus::failed, "failed"},
    {WaybillStatus::cancelled, "cancelled"},
}};

constexpr EnumNames<BatchStatus, 3> kBatchStatuses = {{
    {BatchStatus::queued, "queued"},
    {BatchStatus::running, "running"},
    {BatchStatus::finished, "finished"},
}};

constexpr EnumNames<BatchOutcome, 4> kBatchOutcomes = {{
    {BatchOutcome::pending, "pending"},
    {BatchOutcome::shipped, "shipped"},
    {BatchOutcome::skipped, "skipped"},
    {BatchOutcome::failed, "failed"},
}};

constexpr EnumNames<PaperSize, 2> kPaperSizes = {{
    {PaperSize::label, "label"},
    {PaperSize::a4, "a4"},
}};

}  // namespace

std::string_view to_string(WaybillStatus status) { return name_of(kWaybillStatuses, status); }
std::optional<WaybillStatus> parse_waybill_status(std::string_view text) {
  return value_of(kWaybillStatuses, text);
}
std::string_view to_string(BatchStatus status) { return name_of(kBatchStatuses, status); }
std::optional<BatchStatus> parse_batch_status(std::string_view text) {
  return value_of(kBatchStatuses, text);
}
std::string_view to_string(BatchOutcome outcome) { return name_of(kBatchOutcomes, outcome); }
std::optional<BatchOutcome> parse_batch_outcome(std::string_view text) {
  return value_of(kBatchOutcomes, text);
}
std::optional<PaperSize> parse_paper_size(std::string_view text) {
  return value_of(kPaperSizes, text);
}

}  // namespace depot
