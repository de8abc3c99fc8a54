#include "carriers/kuaidi100/kuaidi100_waybills.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "carriers/kuaidi100/kuaidi100_waybill_messages.h"
#include "carriers/kuaidi100/kuaidi100_wire.h"
#include "domain/text.h"

namespace depot::carriers {
namespace {

void check_party(std::vector<FieldError>& fields, const std::string& prefix,
                 const WaybillParty& who) {
  if (trimmed(who.name).empty()) fields.push_back({prefix + ".name", "is required"});
  if (trimmed(who.mobile).empty()) fields.push_back({prefix + ".mobile", "is required"});
  if (trimmed(who.print_addr).empty()) fields.push_back({prefix + ".printAddr", "is required"});
}

void check_account(std::vector<FieldError>& fields, const WaybillAccount& account,
                   const std::string& company,
                   const std::map<std::string, std::string>& carrier_account) {
  if (!is_http_url(account.url)) fields.push_back({"url", "must be an http:// or https:// URL"});
  if (account.key.empty()) fields.push_back({"key", "is required"});
  if (account.secret.empty()) fields.push_back({"secret", "is required"});
  if (company.empty()) fields.push_back({"company", "is required"});
  auto partner = carrier_account.find("partnerId");
  if (partner == carrier_account.end() || partner->second.empty()) {
    fields.push_back({"partnerId", "is required: the carrier account to bill"});
  }
}

std::optional<Error> missing(const WaybillAccount& account, const WaybillRequest& request) {
  std::vector<FieldError> fields;
  check_account(fields, account, request.company, request.carrier_account);
  if (request.parcel_key.empty()) fields.push_back({"parcel_key", "is required"});
  check_party(fields, "recMan", request.recipient);
  check_party(fields, "sendMan", request.sender);
  if (request.count < 1) fields.push_back({"count", "must be at least 1"});
  if (fields.empty()) return std::nullopt;
  return invalid_fields(std::move(fields));
}

std::optional<Error> missing(const WaybillAccount& account, const WaybillCancel& request) {
  std::vector<FieldError> fields;
  check_account(fields, account, request.company, request.carrier_account);
  if (request.tracking_no.empty()) fields.push_back({"tracking_no", "is required"});
  if (fields.empty()) return std::nullopt;
  return invalid_fields(std::move(fields));
}

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

net::HttpRequest label_request(const WaybillAccount& account, std::string_view method,
                               std::string_view param, const Kuaidi100WaybillsOptions& options) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = kuaidi100::base_url(account.url) + "/label/order?method=" + std::string(method);
  request.headers = {kuaidi100::kFormContentType};
  request.body = kuaidi100::signed_form(param, account.key, account.secret, now_millis());
  request.connect_timeout = options.connect_timeout;
  request.timeout = options.timeout;
  return request;
}

void log_failure(const char* what, const std::string& host, const net::HttpResponse& response,
                 const Error& failure) {
  if (response.error != CURLE_ABORTED_BY_CALLBACK) {
    spdlog::warn("kuaidi100 {} at {}: {}", what, host, failure.message);
  }
}

// The waybill with the label in `bytes`, or without one (logged) when they are not a label depot
// can print: the tracking number is bought either way.
IssuedWaybill with_label(IssuedWaybill waybill, std::string bytes, const std::string& from) {
  std::size_t size = bytes.size();
  if (std::optional<WaybillLabel> label = kuaidi100::label_of(std::move(bytes))) {
    waybill.label = std::move(*label);
  } else if (size > 0) {
    spdlog::warn(
        "kuaidi100 waybill {}: the label from {} is neither PNG nor PDF ({} bytes); "
        "kept without a label",
        waybill.tracking_no, from, size);
  }
  return waybill;
}

// Fetches the label at `url` and answers the waybill with it.
void fetch_label(net::CurlLoop& loop, const Kuaidi100WaybillsOptions& options,
                 IssuedWaybill waybill, const std::string& url,
                 std::function<void(Result<IssuedWaybill>)> done) {
  net::HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.connect_timeout = options.connect_timeout;
  request.timeout = options.timeout;
  // The link may carry a token in its query: only its host is logged.
  loop.http(request, [host = net::host_of(url), waybill = std::move(waybill),
                      done = std::move(done)](net::HttpResponse response) mutable {
    bool transient = response.error == CURLE_ABORTED_BY_CALLBACK ||
                     (response.error != CURLE_OK && response.error != CURLE_WRITE_ERROR) ||
                     response.status >= 500;
    if (transient) {
      Error failure =
          error(ErrorCode::unavailable, "the label of waybill " + waybill.tracking_no +
                                            " could not be fetched: " + net::summary(response));
      log_failure("label", host, response, failure);
      return done(std::move(failure));
    }
    if (response.error == CURLE_WRITE_ERROR || response.status != 200) {
      spdlog::warn("kuaidi100 waybill {}: its label at {} was not given ({}); kept without a label",
                   waybill.tracking_no, host,
                   response.error == CURLE_WRITE_ERROR ? "larger than the limit"
                                                       : net::summary(response, 80));
      return done(std::move(waybill));
    }
    done(with_label(std::move(waybill), std::move(response.body), host));
  });
}

}  // namespace

Kuaidi100Waybills::Kuaidi100Waybills(net::CurlLoop& loop, Kuaidi100WaybillsOptions options)
    : loop_(loop), options_(options) {}

void Kuaidi100Waybills::order(const WaybillAccount& account, const WaybillRequest& request,
                              std::function<void(Result<IssuedWaybill>)> done) {
  if (auto refusal = missing(account, request)) return done(std::move(*refusal));
  std::string param = kuaidi100::order_param(request);
  // The param holds the carrier account's password and the form the key: neither is logged.
  loop_.http(label_request(account, "order", param, options_),
             [loop = &loop_, options = options_, host = net::host_of(account.url),
              done = std::move(done)](const net::HttpResponse& response) mutable {
               Result<kuaidi100::OrderAnswer> answer = [&]() -> Result<kuaidi100::OrderAnswer> {
                 if (auto failure = kuaidi100::exchange_failure(response)) {
                   return std::move(*failure);
                 }
                 return kuaidi100::read_order_answer(response.body);
               }();
               if (!answer.ok()) {
                 log_failure("waybill", host, response, answer.error());
                 return done(answer.error());
               }
               IssuedWaybill waybill;
               waybill.tracking_no = std::move(answer->tracking_no);
               waybill.provider_order_no = std::move(answer->provider_order_no);
               if (!answer->label_url.empty()) {
                 return fetch_label(*loop, options, std::move(waybill), answer->label_url,
                                    std::move(done));
               }
               done(with_label(std::move(waybill), std::move(answer->label_bytes), host));
             });
}

void Kuaidi100Waybills::cancel(const WaybillAccount& account, const WaybillCancel& request,
                               std::function<void(Status)> done) {
  if (auto refusal = missing(account, request)) return done(std::move(*refusal));
  std::string param = kuaidi100::cancel_param(request);
  loop_.http(label_request(account, "cancel", param, options_),
             [host = net::host_of(account.url),
              done = std::move(done)](const net::HttpResponse& response) {
               Status status = [&]() -> Status {
                 if (auto failure = kuaidi100::exchange_failure(response)) {
                   return std::move(*failure);
                 }
                 return kuaidi100::read_cancel_answer(response.body);
               }();
               if (!status.ok()) log_failure("waybill cancel", host, response, status.error());
               done(std::move(status));
             });
}

}  // namespace depot::carriers
