#pragma once
// Reading the body of PATCH /api/v1/settings: every field may be left out, none may be null (a
// setting cannot be unset), unknown fields are refused, and every fault is named by its path
// ("reports.lead_days", "alert_contacts[0].channel").

#include <boost/json.hpp>

#include <vector>

#include "app/merchant_service.h"
#include "domain/result.h"

namespace depot::http {

SettingsPatch read_settings_patch(const boost::json::object& body, std::vector<FieldError>& errors);

}  // namespace depot::http
