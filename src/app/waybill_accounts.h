#pragma once
// The merchant's electronic-waybill account with the aggregator (电子面单,
// PUT/GET /api/v1/carriers/kuaidi100/waybill): its URL, key and secret, and per carrier the
// fields that carrier's account needs (partnerId, partnerKey, tempId, …) by the aggregator's
// names. Checked when saved; secrets (the key, the secret, and each carrier's
// kWaybillSecretFields) are kept when a save omits them and never shown again.
//
// Thread safety: every member may be called from any thread; callbacks run on the store's writer.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/ports.h"
#include "app/write.h"

namespace depot {

// The fields of the aggregator's order that depot sets per parcel (WaybillRequest): a carrier
// account may not hold them, and an issuer never takes them from one.
inline constexpr std::string_view kWaybillParcelFields[] = {
    "kuaidicom", "recMan",  "sendMan",       "cargo",           "count",
    "weight",    "orderId", "needSubscribe", "pollCallBackUrl", "resultv2",
};
bool is_waybill_parcel_field(std::string_view field);

// A save. `accounts`, by carrier code (depot's "SF" or the aggregator's "shunfeng"), replaces the
// stored set when given (a carrier left out is removed) and keeps it when not; within a carrier
// given again, an omitted secret field keeps the stored value.
struct WaybillAccountInput {
  std::string url;
  std::string key;     // empty: keep the stored one
  std::string secret;  // empty: keep the stored one
  std::optional<std::map<std::string, std::map<std::string, std::string>>> accounts;
};

// One carrier's account as shown: its fields without the secrets, and which secrets are set.
struct WaybillCarrierView {
  std::map<std::string, std::string> fields;
  std::map<std::string, bool> secrets_set;  // every kWaybillSecretFields name
};

struct WaybillAccountView {
  std::string url;
  bool key_set = false;
  bool secret_set = false;
  std::map<std::string, WaybillCarrierView> carriers;  // by depot carrier code
  Instant updated_at;
  bool created = false;  // this request set the account up
};

class WaybillAccounts {
 public:
  // Longest field name and value a carrier account may hold.
  static constexpr std::size_t kMaxFieldName = 64;
  static constexpr std::size_t kMaxFieldValue = 1024;

  WaybillAccounts(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Needs Permission::manage; not_found when there is no account yet.
  Result<WaybillAccountView> get(const Actor& actor);
  // Needs Permission::manage. Refused (invalid, naming each field) when the URL is not http(s),
  // the key or secret is missing on the first save, a carrier code is unknown ("accounts.XYZ") or
  // named twice, a carrier has no partnerId, or a field is one depot sets per parcel (orderId,
  // recMan, …). Records an audit entry with secrets as "(changed)".
  void save(const Actor& actor, WaybillAccountInput input, Callback<WaybillAccountView> done);

 private:
  Store& store_;
  Clock& clock_;
};

WaybillAccountView view_of(const WaybillAccount& account);

}  // namespace depot
