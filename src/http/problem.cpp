#include "http/problem.h"

#include <boost/json.hpp>

#include <string>

namespace depot::http {

namespace json = boost::json;

int status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed:
      return 400;
    case ErrorCode::unauthenticated:
      return 401;
    case ErrorCode::forbidden:
      return 403;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::conflict:
    case ErrorCode::insufficient_stock:
      return 409;
    case ErrorCode::precondition_failed:
      return 412;
    case ErrorCode::too_large:
      return 413;
    case ErrorCode::unsupported_media:
      return 415;
    case ErrorCode::invalid:
      return 422;
    case ErrorCode::precondition_required:
      return 428;
    case ErrorCode::rate_limited:
      return 429;
    case ErrorCode::unavailable:
      return 503;
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

namespace {

const char* title_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed:
      return "Malformed request";
    case ErrorCode::unauthenticated:
      return "Authentication required";
    case ErrorCode::forbidden:
      return "Forbidden";
    case ErrorCode::not_found:
      return "Not found";
    case ErrorCode::conflict:
      return "Conflict";
    case ErrorCode::insufficient_stock:
      return "Insufficient stock";
    case ErrorCode::precondition_failed:
      return "Version mismatch";
    case ErrorCode::too_large:
      return "Request too large";
    case ErrorCode::unsupported_media:
      return "Unsupported media type";
    case ErrorCode::invalid:
      return "Invalid request";
    case ErrorCode::precondition_required:
      return "If-Match required";
    case ErrorCode::rate_limited:
      return "Too many requests";
    case ErrorCode::unavailable:
      return "Service unavailable";
    case ErrorCode::internal:
      return "Internal error";
  }
  return "Error";
}

}  // namespace

namespace {

constexpr int kUnavailableRetryAfterSeconds = 5;

json::object problem_body(int status, std::string title, std::string detail) {
  return {{"type", "about:blank"},
          {"title", std::move(title)},
          {"status", status},
          {"detail", std::move(detail)}};
}

}  // namespace

Response problem(int status, std::string title, std::string detail) {
  json::object body = problem_body(status, std::move(title), std::move(detail));
  return Response{status, "application/problem+json", json::serialize(body), {}};
}

Response problem(const Error& error) {
  int status = status_of(error.code);
  json::object body = problem_body(status, title_of(error.code), error.message);
  if (!error.fields.empty()) {
    json::array fields;
    for (const FieldError& field : error.fields) {
      fields.push_back(json::object{{"field", field.field}, {"message", field.message}});
    }
    body["errors"] = std::move(fields);
  }
  Response response{status, "application/problem+json", json::serialize(body), {}};
  if (error.code == ErrorCode::unauthenticated) {
    response.with_header("WWW-Authenticate", "Bearer");
  }
  // Unavailable is passing (a full disk, a provider down, a stop under way): say when to retry.
  if (error.code == ErrorCode::unavailable) {
    response.with_header("Retry-After", std::to_string(kUnavailableRetryAfterSeconds));
  }
  return response;
}

}  // namespace depot::http
