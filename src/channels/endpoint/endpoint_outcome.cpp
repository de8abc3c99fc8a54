#include "channels/endpoint/endpoint_outcome.h"

#include <string>

namespace depot::channels {

namespace {

// How a provider's answer is judged: an address curl cannot use never works, a transport failure or
// an overloaded provider may work later, and any other refusal will not change on a retry.
SendOutcome::Kind judge(const net::HttpResponse& response) {
  if (response.error == CURLE_UNSUPPORTED_PROTOCOL || response.error == CURLE_URL_MALFORMAT) {
    return SendOutcome::Kind::permanent;
  }
  if (response.error != CURLE_OK) return SendOutcome::Kind::retry_later;
  if (response.status >= 200 && response.status < 300) return SendOutcome::Kind::sent;
  if (response.status == 408 || response.status == 425 || response.status == 429 ||
      response.status >= 500) {
    return SendOutcome::Kind::retry_later;
  }
  return SendOutcome::Kind::permanent;
}

}  // namespace

SendOutcome endpoint_outcome(const net::HttpResponse& response, std::string_view endpoint) {
  SendOutcome outcome;
  outcome.kind = judge(response);
  outcome.response = net::summary(response);
  if (response.error == CURLE_ABORTED_BY_CALLBACK) {
    outcome.response = "interrupted: depot stopped before " + std::string(endpoint) + " answered";
  } else if (response.error == CURLE_OK && outcome.kind == SendOutcome::Kind::retry_later) {
    outcome.retry_after = net::retry_after(response);
  }
  return outcome;
}

}  // namespace depot::channels
