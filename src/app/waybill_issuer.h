#pragma once
// The electronic-waybill port (电子面单): asks the aggregator for a carrier's waybill for one
// parcel — its tracking number and printable label — and gives one back. An adapter speaking
// Kuaidi100's label protocol implements it (src/carriers/kuaidi100/).
//
// Thread safety: order() and cancel() may be called from any thread and never wait on the
// network; `done` runs exactly once, on a thread of the adapter's choosing, and must not block.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "app/waybill_ports.h"
#include "domain/result.h"

namespace depot {

// A person on a waybill: the recipient or the sender.
struct WaybillParty {
  std::string name;
  std::string mobile;
  std::string print_addr;  // the whole address as printed: province city district detail
};

struct WaybillRequest {
  std::string company;  // the aggregator's carrier code ("shunfeng")
  // The carrier account's fields (partnerId, partnerKey, tempId, expType, …) as configured.
  std::map<std::string, std::string> carrier_account;
  WaybillParty recipient;
  WaybillParty sender;
  std::string cargo;  // what the parcel holds, as printed
  std::int64_t count = 1;
  double weight_kg = 0;    // 0: not given
  std::string parcel_key;  // `orderId`: the same on every retry of this parcel
  // Where the aggregator pushes tracking (needSubscribe with pollCallBackUrl); empty: no
  // subscription with the waybill.
  std::string callback_url;
  std::string recipient_phone;  // the recipient's phone, for carriers whose tracking needs it
};

struct IssuedWaybill {
  std::string tracking_no;
  std::string provider_order_no;  // kdComOrderNum, when given
  WaybillLabel label;             // empty bytes when the aggregator gave none
};

struct WaybillCancel {
  std::string company;
  std::map<std::string, std::string> carrier_account;
  std::string tracking_no;
  std::string provider_order_no;
  std::string reason;
};

class WaybillIssuer {
 public:
  virtual ~WaybillIssuer() = default;
  // Errors: `unavailable` for what a retry may cure (transport failure, 5xx, throttling);
  // `invalid` for a refusal retrying cannot fix (bad account, address the carrier does not
  // serve), with the aggregator's words in the message.
  virtual void order(const WaybillAccount& account, const WaybillRequest& request,
                     std::function<void(Result<IssuedWaybill>)> done) = 0;
  virtual void cancel(const WaybillAccount& account, const WaybillCancel& request,
                      std::function<void(Status)> done) = 0;
};

}  // namespace depot
