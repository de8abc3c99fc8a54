#pragma once
// Structured fields for the log lines a thread writes while a LogFields scope lives: how
// request-scoped context (a request's id, route, status) reaches the log without every message
// spelling it out. The JSON format writes them as members of the line's object, the text format
// as ` key=value` after the message.
//
// A scope is meant to wrap log calls, not a coroutine's suspension: a coroutine may resume on
// another thread, and another coroutine may run on this one in between. Fields hold views: what
// they name must outlive the scope. They reach formatters that run on the logging thread (spdlog's
// synchronous loggers, which depot uses).
//
// Thread safety: each thread sees only the scopes it opened itself.

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

namespace depot::logging {

struct LogField {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, double> value;
};

class LogFields {
 public:
  // Adds `fields` to this thread's lines until the scope ends; an inner scope's fields come after
  // an outer one's.
  explicit LogFields(std::span<const LogField> fields);
  ~LogFields();
  LogFields(const LogFields&) = delete;
  LogFields& operator=(const LogFields&) = delete;

  // Calls `visit(const LogField&)` with each field of this thread's open scopes, outermost first.
  template <class Visit>
  static void each(Visit&& visit) {
    visit_from(innermost(), visit);
  }

 private:
  static const LogFields* innermost();
  template <class Visit>
  static void visit_from(const LogFields* scope, Visit& visit) {
    if (scope == nullptr) return;
    visit_from(scope->outer_, visit);
    for (const LogField& field : scope->fields_) visit(field);
  }

  std::span<const LogField> fields_;
  const LogFields* outer_;
};

}  // namespace depot::logging
