#pragma once
// What a write changed in a product, field by field, as the audit log shows it (SEC-3): money as
// yuan, attributes as "key=value" text. Images, version and timestamps are left out.

#include <vector>

#include "domain/catalog.h"
#include "domain/field_change.h"

namespace depot {

std::vector<FieldChange> product_changes(const Product& before, const Product& after);
// A new product: its fields from nothing (barcode and attributes only when it has them).
std::vector<FieldChange> product_created_changes(const Product& product);

}  // namespace depot
