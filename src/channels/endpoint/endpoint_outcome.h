#pragma once
// How a POST to an endpoint the merchant or its platform runs went (merchant webhooks, platform
// write-backs), as the notification log records it: any 2xx → sent; 408, 425, 429, 5xx and
// transport failures → retry_later, with the wait a Retry-After asks for; a URL curl cannot use
// and every other status → permanent. A send cut off by depot's stop is retried.

#include <string_view>

#include "app/channel.h"
#include "net/curl_loop.h"

namespace depot::channels {

// `endpoint` names the other side in the interrupted message ("the endpoint", "the platform").
SendOutcome endpoint_outcome(const net::HttpResponse& response, std::string_view endpoint);

}  // namespace depot::channels
