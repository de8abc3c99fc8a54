#include "carriers/kuaidi100/kuaidi100_tracker.h"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "carriers/kuaidi100/kuaidi100_messages.h"
#include "carriers/kuaidi100/kuaidi100_wire.h"
#include "domain/text.h"

namespace depot::carriers {
namespace {

// What is missing for a request, checked before anything is sent.
std::optional<Error> missing(const TrackingAccount& account, const TrackedParcel& parcel,
                             bool subscribing) {
  std::vector<FieldError> fields;
  if (!is_http_url(account.url)) fields.push_back({"url", "must be an http:// or https:// URL"});
  if (account.key.empty()) fields.push_back({"key", "is required"});
  if (subscribing && account.salt.empty()) {
    fields.push_back({"salt", "is required: it authenticates the aggregator's pushes"});
  }
  if (!subscribing && account.customer.empty()) fields.push_back({"customer", "is required"});
  if (parcel.company.empty()) fields.push_back({"company", "is required"});
  if (parcel.number.empty()) fields.push_back({"number", "is required"});
  if (subscribing && !is_http_url(parcel.callback_url)) {
    fields.push_back({"callback_url", "must be an http:// or https:// URL"});
  }
  if (fields.empty()) return std::nullopt;
  return invalid_fields(std::move(fields));
}

}  // namespace

Kuaidi100Tracker::Kuaidi100Tracker(net::CurlLoop& loop, Kuaidi100TrackerOptions options)
    : loop_(loop), options_(options) {}

void Kuaidi100Tracker::subscribe(const TrackingAccount& account, const TrackedParcel& parcel,
                                 std::function<void(Status)> done) {
  if (auto refusal = missing(account, parcel, true)) {
    done(std::move(*refusal));
    return;
  }
  std::string param = kuaidi100::subscribe_param(account, parcel);
  net::HttpRequest request;
  request.method = "POST";
  request.url = kuaidi100::base_url(account.url) + "/poll";
  request.headers = {kuaidi100::kFormContentType};
  request.body = kuaidi100::form_body({{"schema", "json"}, {"param", param}});
  request.connect_timeout = options_.connect_timeout;
  request.timeout = options_.timeout;
  // The param holds the key and the callback URL its token, so neither is logged; the host is.
  loop_.http(request, [host = net::host_of(account.url),
                       done = std::move(done)](const net::HttpResponse& response) {
    Status status = [&]() -> Status {
      if (auto failure = kuaidi100::exchange_failure(response)) return std::move(*failure);
      return kuaidi100::read_subscribe_answer(response.body);
    }();
    if (!status.ok() && response.error != CURLE_ABORTED_BY_CALLBACK) {
      spdlog::warn("kuaidi100 subscription at {}: {}", host, status.error().message);
    }
    done(std::move(status));
  });
}

void Kuaidi100Tracker::query(const TrackingAccount& account, const TrackedParcel& parcel,
                             std::function<void(Result<TrackingReport>)> done) {
  if (auto refusal = missing(account, parcel, false)) {
    done(std::move(*refusal));
    return;
  }
  std::string param = kuaidi100::query_param(parcel);
  std::string sign = kuaidi100::md5_upper_hex(param + account.key + account.customer);
  net::HttpRequest request;
  request.method = "POST";
  request.url = kuaidi100::base_url(account.url) + "/poll/query.do";
  request.headers = {kuaidi100::kFormContentType};
  request.body =
      kuaidi100::form_body({{"customer", account.customer}, {"sign", sign}, {"param", param}});
  request.connect_timeout = options_.connect_timeout;
  request.timeout = options_.timeout;
  loop_.http(request, [host = net::host_of(account.url),
                       done = std::move(done)](const net::HttpResponse& response) {
    Result<TrackingReport> report = [&]() -> Result<TrackingReport> {
      if (auto failure = kuaidi100::exchange_failure(response)) return std::move(*failure);
      return kuaidi100::read_query_answer(response.body);
    }();
    if (!report.ok() && report.error().code != ErrorCode::not_found &&
        response.error != CURLE_ABORTED_BY_CALLBACK) {
      spdlog::warn("kuaidi100 query at {}: {}", host, report.error().message);
    }
    done(std::move(report));
  });
}

Result<TrackingReport> Kuaidi100Tracker::read_push(const TrackingAccount& account,
                                                   std::string_view param,
                                                   std::string_view sign) const {
  if (account.salt.empty()) {
    return error(ErrorCode::unauthenticated, "the account has no salt to check pushes with");
  }
  std::string expected = kuaidi100::md5_upper_hex(std::string(param) + account.salt);
  // Hex says the same in either case; only the digits are compared, and in constant time.
  std::string given = ascii_lower(sign);
  std::string wanted = ascii_lower(expected);
  if (given.size() != wanted.size() ||
      CRYPTO_memcmp(given.data(), wanted.data(), wanted.size()) != 0) {
    return error(ErrorCode::unauthenticated, "the push's sign does not match the account's salt");
  }
  return kuaidi100::read_push_param(param);
}

}  // namespace depot::carriers
