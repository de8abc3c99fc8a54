#pragma once
// The CarrierTracker port spoken to a tracking aggregator with Kuaidi100's (快递100) protocol:
//   subscribe: POST {url}/poll, form fields schema=json and param (kuaidi100_messages.h);
//   query:     POST {url}/poll/query.do, form fields customer, sign and param, where sign is the
//              upper-case hex MD5 of param + key + customer;
//   pushes:    the aggregator POSTs the form fields param and sign to the callback URL, where sign
//              is the upper-case hex MD5 of param + salt; read_push() checks it in constant time.
// Both requests are application/x-www-form-urlencoded. Kuaidi100 answers its refusals with HTTP
// 200 and a returnCode (mapped in kuaidi100_messages.h); an HTTP error, a transport failure or a
// timeout means the answer did not come from the aggregator, so it is `unavailable` and retried.
// An account without a URL, key, salt (subscribe) or customer (query), or a parcel without a
// carrier, number or http(s) callback URL, is refused as `invalid` without sending anything: a
// push the salt cannot authenticate would be worthless.
//
// Thread safety: subscribe() and query() may be called from any thread at once and never wait on
// the network. A request refused before sending is answered on the caller's thread before the
// call returns; any other answer runs `done` on the CurlLoop's thread. The loop must outlive the
// requests; the tracker itself may go before the answers come. read_push() is pure.

#include <algorithm>
#include <chrono>
#include <functional>
#include <string_view>

#include "app/carrier_tracker.h"
#include "net/curl_loop.h"

namespace depot::carriers {

// An aggregator that accepts the connection and never answers holds each request until
// `timeout`: it then ends as `unavailable` (the subscription is retried on its backoff, the
// query when the parcel is next due), and nothing but the tracker's own requests waited.
struct Kuaidi100TrackerOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};

  // The defaults with each request bounded by `timeout` (its connection by the shorter of the
  // two).
  static Kuaidi100TrackerOptions within(std::chrono::milliseconds timeout) {
    Kuaidi100TrackerOptions options;
    options.timeout = timeout;
    options.connect_timeout = std::min(options.connect_timeout, timeout);
    return options;
  }
};

class Kuaidi100Tracker final : public CarrierTracker {
 public:
  explicit Kuaidi100Tracker(net::CurlLoop& loop, Kuaidi100TrackerOptions options = {});

  void subscribe(const TrackingAccount& account, const TrackedParcel& parcel,
                 std::function<void(Status)> done) override;
  void query(const TrackingAccount& account, const TrackedParcel& parcel,
             std::function<void(Result<TrackingReport>)> done) override;
  Result<TrackingReport> read_push(const TrackingAccount& account, std::string_view param,
                                   std::string_view sign) const override;

 private:
  net::CurlLoop& loop_;
  const Kuaidi100TrackerOptions options_;
};

}  // namespace depot::carriers
