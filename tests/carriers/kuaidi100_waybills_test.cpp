#include "carriers/kuaidi100/kuaidi100_waybills.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <future>
#include <string>
#include <utility>

#include "carriers/kuaidi100/kuaidi100_waybill_messages.h"
#include "carriers/kuaidi100_label_receiver.h"
#include "net/encoding.h"

namespace depot::carriers {
namespace {

namespace json = boost::json;
using namespace depot::testing;

constexpr const char* kLabelKey = "3c9e1a7f5b2d4e6a";
constexpr const char* kLabelSecret = "9d2f7e1c5a3b4d6e8f0a1c3e5b7d9f2a";
constexpr const char* kPartnerKey = "pk-51e8c0d2";
constexpr const char* kTrackingCallback = "http://depot.example/api/v1/hooks/kuaidi100/1/tok-3f";

WaybillAccount waybill_account(std::string url, std::string secret = kLabelSecret) {
  WaybillAccount account;
  account.url = std::move(url);
  account.key = kLabelKey;
  account.secret = std::move(secret);
  return account;
}

std::map<std::string, std::string> sf_account() {
  return {{"partnerId", "7551234567"},
          {"partnerKey", kPartnerKey},
          {"tempId", "tpl-sf-150"},
          {"net", "深圳宝安网点"}};
}

WaybillRequest request_for(std::string parcel_key) {
  WaybillRequest request;
  request.company = "shunfeng";
  request.carrier_account = sf_account();
  request.recipient = {"李雷", "13800138000", "浙江省杭州市西湖区文三路 90 号"};
  request.sender = {"韩梅梅仓库", "13900139000", "广东省深圳市宝安区航城大道 8 号"};
  request.cargo = "马克杯 ×2";
  request.count = 1;
  request.weight_kg = 1.25;
  request.parcel_key = std::move(parcel_key);
  request.callback_url = kTrackingCallback;
  return request;
}

Result<IssuedWaybill> order_now(WaybillIssuer& issuer, const WaybillAccount& account,
                                const WaybillRequest& request) {
  std::promise<Result<IssuedWaybill>> promise;
  auto future = promise.get_future();
  issuer.order(account, request, [&promise](Result<IssuedWaybill> waybill) {
    promise.set_value(std::move(waybill));
  });
  return future.get();
}

Status cancel_now(WaybillIssuer& issuer, const WaybillAccount& account,
                  const WaybillCancel& request) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  issuer.cancel(account, request, [&promise](Status status) { promise.set_value(status); });
  return future.get();
}

std::string text_of(const json::value& value) { return std::string(value.as_string()); }

std::string closed_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

// ---- order ----

TEST(Kuaidi100Waybills, OrdersWithTheSignedFormAndGetsAnInlinePngLabel) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret);
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  Result<IssuedWaybill> waybill =
      order_now(waybills, waybill_account(receiver.url() + "/"), request_for("depot-1-7-1"));
  ASSERT_TRUE(waybill.ok()) << waybill.error().message;
  EXPECT_TRUE(receiver.problems().empty()) << receiver.problems().front();
  EXPECT_EQ(waybill->tracking_no, "SF1000000000001");
  EXPECT_EQ(waybill->provider_order_no, "KD1000000000001");
  EXPECT_EQ(waybill->label.format, "png");
  EXPECT_EQ(waybill->label.bytes, net::base64_decode(kPngLabelBase64).value());

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/label/order?method=order");
  auto fields = form_fields(requests[0].body);
  EXPECT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields["key"], kLabelKey);
  // Chinese goes as UTF-8, not \u escapes, as Kuaidi100's own clients send it.
  EXPECT_NE(fields["param"].find("李雷"), std::string::npos);
  json::object param = json::parse(fields["param"]).as_object();
  EXPECT_EQ(param.at("kuaidicom"), "shunfeng");
  EXPECT_EQ(param.at("partnerId"), "7551234567");
  EXPECT_EQ(param.at("partnerKey"), kPartnerKey);
  EXPECT_EQ(param.at("net"), "深圳宝安网点");
  EXPECT_EQ(param.at("tempId"), "tpl-sf-150");
  EXPECT_EQ(param.at("recMan").at("name"), "李雷");
  EXPECT_EQ(param.at("recMan").at("mobile"), "13800138000");
  EXPECT_EQ(param.at("sendMan").at("printAddr"), "广东省深圳市宝安区航城大道 8 号");
  EXPECT_EQ(param.at("cargo"), "马克杯 ×2");
  EXPECT_EQ(param.at("count"), 1);
  EXPECT_EQ(param.at("weight"), "1.25");
  EXPECT_EQ(param.at("orderId"), "depot-1-7-1");
  EXPECT_EQ(param.at("expType"), "标准快递");
  EXPECT_EQ(param.at("printType"), "IMAGE");
  EXPECT_EQ(param.at("payType"), "SHIPPER");
  EXPECT_EQ(param.at("needSubscribe"), true);
  EXPECT_EQ(param.at("pollCallBackUrl"), kTrackingCallback);
  EXPECT_EQ(param.at("resultv2"), "1");
}

TEST(Kuaidi100Waybills, TheAccountsOwnChoicesWinOverDefaultsButNotOverThePerParcelFields) {
  WaybillRequest request = request_for("depot-1-8-1");
  request.carrier_account["expType"] = "顺丰特惠";
  request.carrier_account["payType"] = "MONTHLY";
  request.carrier_account["orderId"] = "from-the-account";
  request.callback_url.clear();
  request.weight_kg = 0;
  json::object param = json::parse(kuaidi100::order_param(request)).as_object();
  EXPECT_EQ(param.at("expType"), "顺丰特惠");
  EXPECT_EQ(param.at("payType"), "MONTHLY");
  EXPECT_EQ(param.at("orderId"), "depot-1-8-1");
  EXPECT_FALSE(param.contains("weight"));
  EXPECT_FALSE(param.contains("needSubscribe"));
  EXPECT_FALSE(param.contains("pollCallBackUrl"));
}

TEST(Kuaidi100Waybills, ARetryWithTheSameParcelKeyGetsTheSameWaybill) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret);
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  WaybillAccount account = waybill_account(receiver.url());
  Result<IssuedWaybill> first = order_now(waybills, account, request_for("depot-1-7-1"));
  Result<IssuedWaybill> again = order_now(waybills, account, request_for("depot-1-7-1"));
  Result<IssuedWaybill> other = order_now(waybills, account, request_for("depot-1-9-1"));
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  EXPECT_EQ(again->tracking_no, first->tracking_no);
  EXPECT_NE(other->tracking_no, first->tracking_no);
  EXPECT_EQ(receiver.issued(), 2u);
  // Each request is signed afresh (its own t), and every signature held.
  EXPECT_TRUE(receiver.problems().empty()) << receiver.problems().front();
}

TEST(Kuaidi100Waybills, FetchesALabelGivenAsALink) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret, LabelDelivery::link_pdf);
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  Result<IssuedWaybill> waybill =
      order_now(waybills, waybill_account(receiver.url()), request_for("depot-1-7-1"));
  ASSERT_TRUE(waybill.ok()) << waybill.error().message;
  EXPECT_EQ(waybill->label.format, "pdf");
  EXPECT_EQ(waybill->label.bytes, kPdfLabel);
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, "/labels/" + waybill->tracking_no);
}

TEST(Kuaidi100Waybills, KeepsTheWaybillWithoutALabelThatIsNeitherPngNorPdf) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret, LabelDelivery::link_html);
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  Result<IssuedWaybill> waybill =
      order_now(waybills, waybill_account(receiver.url()), request_for("depot-1-7-1"));
  ASSERT_TRUE(waybill.ok()) << waybill.error().message;
  EXPECT_EQ(waybill->tracking_no, "SF1000000000001");
  EXPECT_TRUE(waybill->label.format.empty());
  EXPECT_TRUE(waybill->label.bytes.empty());
}

TEST(Kuaidi100Waybills, ALabelLinkThatFailsIsRetriedWithoutASecondWaybill) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret, LabelDelivery::link_pdf);
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  WaybillAccount account = waybill_account(receiver.url());
  // The order is answered by the receiver itself; then the label's host fails.
  Result<IssuedWaybill> first = order_now(waybills, account, request_for("depot-1-7-1"));
  ASSERT_TRUE(first.ok());
  receiver.answer_next(http_answer(200, R"({"success":true,"code":200,"data":{"kuaidinum":")" +
                                            first->tracking_no + R"(","label":")" + receiver.url() +
                                            "/labels/" + first->tracking_no + R"("}})"));
  receiver.answer_next(http_answer(503, "busy", "text/plain"));
  Result<IssuedWaybill> failed = order_now(waybills, account, request_for("depot-1-7-1"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::unavailable);
  Result<IssuedWaybill> retried = order_now(waybills, account, request_for("depot-1-7-1"));
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_EQ(retried->tracking_no, first->tracking_no);
  EXPECT_EQ(retried->label.format, "pdf");
  EXPECT_EQ(receiver.issued(), 1u);
}

TEST(Kuaidi100Waybills, ARefusalIsInvalidWithTheAggregatorsWords) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret);
  receiver.refuse_partner("7551234567", "月结账号不存在或已停用");
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  Result<IssuedWaybill> waybill =
      order_now(waybills, waybill_account(receiver.url()), request_for("depot-1-7-1"));
  ASSERT_FALSE(waybill.ok());
  EXPECT_EQ(waybill.error().code, ErrorCode::invalid);
  EXPECT_NE(waybill.error().message.find("月结账号不存在或已停用"), std::string::npos);
  EXPECT_EQ(waybill.error().message.find(kPartnerKey), std::string::npos);
  EXPECT_EQ(waybill.error().message.find(kLabelSecret), std::string::npos);
  EXPECT_EQ(receiver.issued(), 0u);
}

TEST(Kuaidi100Waybills, AWrongSecretFailsTheSignatureTheReceiverChecks) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret);
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  Result<IssuedWaybill> waybill = order_now(
      waybills, waybill_account(receiver.url(), "not-the-secret"), request_for("depot-1-7-1"));
  ASSERT_FALSE(waybill.ok());
  EXPECT_EQ(waybill.error().code, ErrorCode::invalid);
  EXPECT_NE(waybill.error().message.find("签名错误"), std::string::npos);
  ASSERT_EQ(receiver.problems().size(), 1u);
  EXPECT_EQ(receiver.problems()[0], "bad sign");
  EXPECT_EQ(receiver.issued(), 0u);
}

TEST(Kuaidi100Waybills, ServerErrorsAndNoAnswerAreUnavailable) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret);
  receiver.answer_next(http_answer(500, "<html>500 Internal Server Error</html>", "text/html"));
  receiver.answer_next(http_answer(200, R"({"success":false,"code":500,"message":"服务器错误"})"));
  receiver.answer_next(http_answer(200, R"({"success":false,"code":"429","message":"请求频繁"})"));
  receiver.answer_next(http_answer(200, "<html>maintenance</html>", "text/html"));
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  WaybillAccount account = waybill_account(receiver.url());
  for (int i = 0; i < 4; ++i) {
    Result<IssuedWaybill> waybill = order_now(waybills, account, request_for("depot-1-7-1"));
    ASSERT_FALSE(waybill.ok()) << i;
    EXPECT_EQ(waybill.error().code, ErrorCode::unavailable) << i << waybill.error().message;
  }
  Result<IssuedWaybill> unreachable =
      order_now(waybills, waybill_account(closed_url()), request_for("depot-1-7-1"));
  ASSERT_FALSE(unreachable.ok());
  EXPECT_EQ(unreachable.error().code, ErrorCode::unavailable);
}

TEST(Kuaidi100Waybills, RefusesAnIncompleteRequestWithoutSendingIt) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret);
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  WaybillRequest request = request_for("");
  request.carrier_account.erase("partnerId");
  request.recipient.mobile.clear();
  WaybillAccount account = waybill_account(receiver.url());
  account.secret.clear();
  Result<IssuedWaybill> waybill = order_now(waybills, account, request);
  ASSERT_FALSE(waybill.ok());
  EXPECT_EQ(waybill.error().code, ErrorCode::invalid);
  std::set<std::string> named;
  for (const FieldError& field : waybill.error().fields) named.insert(field.field);
  EXPECT_EQ(named, (std::set<std::string>{"secret", "partnerId", "parcel_key", "recMan.mobile"}));
  EXPECT_EQ(receiver.count(), 0u);
}

// ---- cancel ----

TEST(Kuaidi100Waybills, CancelsAWaybillByItsNumberAndTheCarriersOrderNumber) {
  Kuaidi100LabelReceiver receiver(kLabelKey, kLabelSecret);
  net::CurlLoop loop;
  Kuaidi100Waybills waybills(loop);
  WaybillAccount account = waybill_account(receiver.url());
  Result<IssuedWaybill> waybill = order_now(waybills, account, request_for("depot-1-7-1"));
  ASSERT_TRUE(waybill.ok());
  WaybillCancel cancel{"shunfeng", sf_account(), waybill->tracking_no, waybill->provider_order_no,
                       "客户取消订单"};
  Status cancelled = cancel_now(waybills, account, cancel);
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
  EXPECT_EQ(receiver.cancelled(), std::set<std::string>{waybill->tracking_no});
  EXPECT_TRUE(receiver.problems().empty()) << receiver.problems().front();

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].target, "/label/order?method=cancel");
  json::object param = json::parse(form_fields(requests[1].body)["param"]).as_object();
  EXPECT_EQ(param.at("kuaidicom"), "shunfeng");
  EXPECT_EQ(text_of(param.at("kuaidinum")), waybill->tracking_no);
  EXPECT_EQ(text_of(param.at("orderId")), waybill->provider_order_no);
  EXPECT_EQ(param.at("reason"), "客户取消订单");
  EXPECT_EQ(param.at("partnerId"), "7551234567");
  EXPECT_EQ(param.at("partnerKey"), kPartnerKey);
  EXPECT_FALSE(param.contains("tempId"));

  WaybillCancel unknown{"shunfeng", sf_account(), "SF9999999999999", "", "重复下单"};
  Status refused = cancel_now(waybills, account, unknown);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  EXPECT_NE(refused.error().message.find("单号不存在"), std::string::npos);
}

// ---- reading answers ----

TEST(Kuaidi100WaybillMessages, ReadsCodesWrittenAsNumbersOrAsText) {
  Result<kuaidi100::OrderAnswer> ok = kuaidi100::read_order_answer(
      R"({"code":"200","message":"ok","data":{"kuaidinum":"YT100","label":"https://x.example/l?id=1"}})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->tracking_no, "YT100");
  EXPECT_EQ(ok->label_url, "https://x.example/l?id=1");
  Result<kuaidi100::OrderAnswer> inline_data = kuaidi100::read_order_answer(
      R"({"success":true,"code":200,"data":{"kuaidinum":"YT101","label":"data:image/png;base64,)" +
      kPngLabelBase64 + R"("}})");
  ASSERT_TRUE(inline_data.ok());
  EXPECT_TRUE(kuaidi100::label_of(inline_data->label_bytes).has_value());
  Result<kuaidi100::OrderAnswer> no_number =
      kuaidi100::read_order_answer(R"({"success":true,"code":200,"data":{}})");
  ASSERT_FALSE(no_number.ok());
  EXPECT_EQ(no_number.error().code, ErrorCode::unavailable);
  Result<kuaidi100::OrderAnswer> refused =
      kuaidi100::read_order_answer(R"({"success":false,"code":30001,"message":"模板不存在"})");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  EXPECT_NE(refused.error().message.find("模板不存在"), std::string::npos);
}

TEST(Kuaidi100WaybillMessages, KnowsALabelByItsMagicBytes) {
  EXPECT_EQ(kuaidi100::label_of(kPdfLabel)->format, "pdf");
  EXPECT_EQ(kuaidi100::label_of(net::base64_decode(kPngLabelBase64).value())->format, "png");
  EXPECT_FALSE(kuaidi100::label_of("<html>label</html>").has_value());
  EXPECT_FALSE(kuaidi100::label_of("").has_value());
}

}  // namespace
}  // namespace depot::carriers
