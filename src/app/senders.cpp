#include "app/senders.h"

#include <variant>

#include "domain/divisions.h"

namespace depot {

std::optional<SenderAddress> main_sender(ReadTx& tx) {
  for (Warehouse& warehouse : tx.warehouses()) {
    if (warehouse.code == kMainWarehouse) return std::move(warehouse.sender);
  }
  return std::nullopt;
}

std::string origin_province(const SenderAddress& sender) {
  auto match = match_division(sender.province, sender.city, sender.district);
  const auto* found = std::get_if<DivisionMatch>(&match);
  return found != nullptr ? found->province_code : std::string();
}

}  // namespace depot
