#pragma once
// Kuaidi100's electronic-waybill messages (电子面单, POST {url}/label/order) without the network:
// the JSON `param` of an order and of a cancellation, the signed form around it, what the answers
// say in depot's terms, and what a label's bytes are. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/waybill_accounts.h"
#include "app/waybill_issuer.h"
#include "domain/result.h"

namespace depot::carriers::kuaidi100 {

// An order's param: every field of the carrier account except those depot sets per parcel
// (kWaybillParcelFields), then kuaidicom, recMan and sendMan {name, mobile, printAddr}, cargo,
// count, weight in kilograms as text ("0.5", when > 0), orderId (the parcel key), and — unless
// the account sets them — expType "标准快递", printType "IMAGE" and payType "SHIPPER". With a
// callback URL, needSubscribe true, pollCallBackUrl and resultv2 "1" (as tracking subscriptions
// ask), so tracking starts with the waybill. JSON with Chinese written as is (UTF-8), as
// Kuaidi100's own clients send it.
std::string order_param(const WaybillRequest& request);

// A cancellation's param: the carrier account's identity (partnerId, partnerKey, partnerSecret,
// partnerName, net, code, checkMan, tbNet, those it has), kuaidicom, kuaidinum, orderId (the
// carrier's order number, kdComOrderNum, when the order gave one) and reason.
std::string cancel_param(const WaybillCancel& request);

// The form Kuaidi100 reads: param, key, t (milliseconds since the epoch, as text) and sign, the
// upper-case hex MD5 of param + t + key + secret.
std::string signed_form(std::string_view param, std::string_view key, std::string_view secret,
                        std::int64_t t_millis);

// What an order's answer {success, code, message, data: {kuaidinum, kdComOrderNum, label,
// imgBase64, …}} says. The label comes either as bytes (imgBase64, or label given as base64 or as
// a data: URL) or as a link to fetch (label as an http(s) URL).
struct OrderAnswer {
  std::string tracking_no;
  std::string provider_order_no;
  std::string label_bytes;  // decoded; empty when there are none
  std::string label_url;    // an http(s) link; empty when there is none
};

// ok when success is true or code is 200, with a tracking number; `unavailable` for an answer that
// is not Kuaidi100's (not a JSON object), a server error or throttling (code 429 or 5xx), or a
// success without a tracking number (the same orderId asks again safely); `invalid`, with
// Kuaidi100's message, for any other refusal: retrying cannot fix a bad account, template or
// address.
Result<OrderAnswer> read_order_answer(std::string_view body);

// What a cancellation's answer says, read as an order's is (without the data).
Status read_cancel_answer(std::string_view body);

// The label these bytes are: "png" (PNG signature) or "pdf" ("%PDF-"); nothing for anything
// else (HTML, JPEG, an error page), which depot cannot print as a carrier label.
std::optional<WaybillLabel> label_of(std::string bytes);

}  // namespace depot::carriers::kuaidi100
