#pragma once
// Errors as application/problem+json (RFC 9457). The one place an ErrorCode becomes a status.

#include "domain/result.h"
#include "http/message.h"

namespace depot::http {

int status_of(ErrorCode code);
Response problem(const Error& error);
// A problem with a status that no ErrorCode stands for (405 and the like).
Response problem(int status, std::string title, std::string detail);

}  // namespace depot::http
