#pragma once
// Expected failures as values. A use case answers Result<T>; the HTTP edge maps ErrorCode to a
// status code in exactly one place. Exceptions are kept for bugs and start-up failures.

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace depot {

enum class ErrorCode {
  invalid,                // a field is missing or has a bad value
  malformed,              // the request could not be read at all
  not_found,              // no such resource for this merchant
  conflict,               // the current state forbids it
  insufficient_stock,     // not enough available stock
  precondition_failed,    // a stale version
  precondition_required,  // a version was required and not given
  unauthenticated,
  forbidden,
  unsupported_media,
  too_large,
  rate_limited,
  unavailable,
  internal,
};

// One field at fault, named by its path in the input ("lines[0].quantity").
struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<FieldError> fields;
};

inline Error invalid_field(std::string field, std::string message) {
  std::string summary = field + ": " + message;
  return Error{ErrorCode::invalid, std::move(summary), {{std::move(field), std::move(message)}}};
}

// An `invalid` Error naming every field in `fields` (not empty); its message names the first.
inline Error invalid_fields(std::vector<FieldError> fields) {
  std::string message = fields.front().field + ": " + fields.front().message;
  if (fields.size() > 1) message += " (and " + std::to_string(fields.size() - 1) + " more)";
  return Error{ErrorCode::invalid, std::move(message), std::move(fields)};
}

inline Error error(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error)
      : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace depot
