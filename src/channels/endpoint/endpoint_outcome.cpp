#include "channels/endpoint/endpoint_outcome.h"

#include <string>

namespace depot::channels {

SendOutcome endpoint_outcome(const net::HttpResponse& response, std::string_view endpoint) {
  SendOutcome outcome;
  outcome.response = net::summary(response);
  if (response.error == CURLE_ABORTED_BY_CALLBACK) {
    outcome.kind = SendOutcome::Kind::retry_later;
    outcome.response = "interrupted: depot stopped before " + std::string(endpoint) + " answered";
  } else if (response.error == CURLE_UNSUPPORTED_PROTOCOL ||
             response.error == CURLE_URL_MALFORMAT) {
    outcome.kind = SendOutcome::Kind::permanent;
  } else if (response.error != CURLE_OK) {
    outcome.kind = SendOutcome::Kind::retry_later;
  } else if (response.status >= 200 && response.status < 300) {
    outcome.kind = SendOutcome::Kind::sent;
  } else if (response.status == 408 || response.status == 425 || response.status == 429 ||
             response.status >= 500) {
    outcome.kind = SendOutcome::Kind::retry_later;
    outcome.retry_after = net::retry_after(response);
  } else {
    outcome.kind = SendOutcome::Kind::permanent;
  }
  return outcome;
}

}  // namespace depot::channels
