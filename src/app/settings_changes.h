#pragma once
// What a settings update changed, field by field under the API's names, for the audit log
// (SEC-3). Settings hold no secrets (provider accounts keep theirs apart).

#include <vector>

#include "app/ports.h"

namespace depot {

std::vector<FieldChange> settings_changes(const MerchantSettings& before,
                                          const MerchantSettings& after);

}  // namespace depot
