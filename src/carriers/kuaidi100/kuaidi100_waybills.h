#pragma once
// The WaybillIssuer port spoken to an aggregator with Kuaidi100's electronic-waybill protocol
// (电子面单, messages in kuaidi100_waybill_messages.h):
//   order:  POST {url}/label/order?method=order
//   cancel: POST {url}/label/order?method=cancel
// each a form (application/x-www-form-urlencoded) of param (JSON), key, t (milliseconds) and
// sign, the upper-case hex MD5 of param + t + key + secret. The parcel key goes as orderId, which
// the aggregator deduplicates on: a retry of the same parcel gets the same waybill back, never a
// second one, so `unavailable` is always safe to retry.
//
// The label comes inline (base64: a PNG or a PDF) or as a link, fetched at once on the same loop
// (http(s) only, no redirects, at most net::Transfer::kMaxResponseBytes). A label that is neither
// PNG nor PDF, too large, or refused by its host (4xx) leaves the waybill without a label (logged):
// the tracking number is bought and stands. A transport failure or 5xx fetching it is
// `unavailable`, and the retry gets the same number and tries the label again.
//
// An account without an http(s) URL, key or secret, or a request without a carrier, partnerId,
// parcel key or a recipient's and sender's name, mobile and address (or, to cancel, a tracking
// number), is refused as `invalid` without sending anything. Nothing logged or returned holds the
// key, the secret or the carrier account's fields; logs name the aggregator's host only.
//
// Thread safety: order() and cancel() may be called from any thread at once and never wait on the
// network. A request refused before sending is answered on the caller's thread before the call
// returns; any other answer runs `done` on the CurlLoop's thread. The loop must outlive the
// requests; this object may go before the answers come.

#include <chrono>
#include <functional>

#include "app/waybill_issuer.h"
#include "net/curl_loop.h"

namespace depot::carriers {

struct Kuaidi100WaybillsOptions {
  std::chrono::milliseconds connect_timeout{3000};
  // Carriers' systems stand behind the aggregator's answer: it is slower than a tracking query.
  std::chrono::milliseconds timeout{20000};
};

class Kuaidi100Waybills final : public WaybillIssuer {
 public:
  explicit Kuaidi100Waybills(net::CurlLoop& loop, Kuaidi100WaybillsOptions options = {});

  void order(const WaybillAccount& account, const WaybillRequest& request,
             std::function<void(Result<IssuedWaybill>)> done) override;
  void cancel(const WaybillAccount& account, const WaybillCancel& request,
              std::function<void(Status)> done) override;

 private:
  net::CurlLoop& loop_;
  const Kuaidi100WaybillsOptions options_;
};

}  // namespace depot::carriers
