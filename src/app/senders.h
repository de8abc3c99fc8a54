#pragma once
// Where the merchant's parcels leave from: warehouse main's sender address, printed on waybills
// and documents, and the origin province of its parcels' routes for delivery estimates.

#include <optional>
#include <string>

#include "app/ports.h"

namespace depot {

// Warehouse main's sender address; nothing until the merchant records one.
std::optional<SenderAddress> main_sender(ReadTx& tx);

// The sender's province as a division code ("330000"); "" when the province is not one depot
// knows (an address recorded before it was checked).
std::string origin_province(const SenderAddress& sender);

}  // namespace depot
