#include "logging/log_fields.h"

namespace depot::logging {

namespace {
thread_local const LogFields* innermost_scope = nullptr;
}  // namespace

LogFields::LogFields(std::span<const LogField> fields) : fields_(fields), outer_(innermost_scope) {
  innermost_scope = this;
}

LogFields::~LogFields() { innermost_scope = outer_; }

const LogFields* LogFields::innermost() { return innermost_scope; }

}  // namespace depot::logging
