#pragma once
// Reading the bodies of the rule routes: a rule (POST /api/v1/rules), a change to one (PATCH
// /api/v1/rules/{id}), a dry run, a blacklist entry and the geocoder account. Unknown fields are
// refused and every fault is named by its field.

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "app/geocoder.h"
#include "app/rule_service.h"
#include "domain/result.h"
#include "domain/rule.h"

namespace depot::http {

// The body of POST /api/v1/rules/dry-run: the expression to try and how many orders to try it on.
struct DryRunInput {
  std::string expression;
  std::int64_t limit = 0;
};

Rule read_rule_draft(const boost::json::object& body, std::vector<FieldError>& errors);
RulePatch read_rule_patch(const boost::json::object& body, std::vector<FieldError>& errors);
DryRunInput read_dry_run(const boost::json::object& body, std::vector<FieldError>& errors);
BlacklistEntry read_blacklist_entry(const boost::json::object& body,
                                    std::vector<FieldError>& errors);
GeocoderConfig read_geocoder_config(const boost::json::object& body,
                                    std::vector<FieldError>& errors);

}  // namespace depot::http
