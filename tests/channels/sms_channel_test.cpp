#include <gtest/gtest.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>

#include <chrono>
#include <ctime>
#include <future>
#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include "channels/sms/aliyun_signature.h"
#include "channels/sms/aliyun_sms_channel.h"
#include "net/curl_loop.h"
#include "support/http_receiver.h"

namespace depot::channels {
namespace {

using depot::testing::HttpReceiver;
using depot::testing::ReceivedRequest;
using depot::testing::ReceiverAnswer;
using Kind = SendOutcome::Kind;
using Params = std::map<std::string, std::string>;

constexpr const char* kKeyId = "LTAI5tDepotTestKey";
constexpr const char* kSecret = "dEpOt/Secret+Key=1";

// ---- An independent reading of Aliyun's rules, for the fake to check requests with ----

std::string escape(const std::string& text) {
  // curl escapes every byte but ALPHA DIGIT - . _ ~, which is Aliyun's rule too.
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

std::string unescape(const std::string& text) {
  int size = 0;
  char* plain = curl_easy_unescape(nullptr, text.data(), static_cast<int>(text.size()), &size);
  std::string out(plain, static_cast<std::size_t>(size));
  curl_free(plain);
  return out;
}

Params parse_form(const std::string& body) {
  Params params;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    std::string pair = body.substr(start, end - start);
    std::size_t equals = pair.find('=');
    if (equals != std::string::npos) {
      params[unescape(pair.substr(0, equals))] = unescape(pair.substr(equals + 1));
    }
    start = end + 1;
  }
  return params;
}

std::string expected_signature(const std::string& method, const Params& params,
                               const std::string& secret) {
  std::string canonical;
  for (const auto& [name, value] : params) {
    if (name == "Signature") continue;
    canonical += (canonical.empty() ? "" : "&") + escape(name) + "=" + escape(value);
  }
  std::string to_sign = method + "&" + escape("/") + "&" + escape(canonical);
  std::string key = secret + "&";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), digest, &size);
  unsigned char encoded[64];
  int length = EVP_EncodeBlock(encoded, digest, static_cast<int>(size));
  return std::string(reinterpret_cast<char*>(encoded), static_cast<std::size_t>(length));
}

// Aliyun's SendSms endpoint as far as a client can tell: it checks the signature against its own
// copy of the secret, the common parameters and the timestamp, refusing as Aliyun does, and then
// answers what the test set (by default, success).
class AliyunSmsFake {
 public:
  AliyunSmsFake() : receiver_([this](const ReceivedRequest& request) { return answer(request); }) {}

  std::string url() const { return receiver_.url(); }
  std::size_t count() const { return receiver_.count(); }
  void set_answer(ReceiverAnswer answer) {
    std::lock_guard lock(mutex_);
    answer_ = std::move(answer);
  }
  std::vector<Params> accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
  }

 private:
  static ReceiverAnswer success() {
    ReceiverAnswer ok;
    ok.body = R"({"Code":"OK","Message":"OK","BizId":"900619746936498440^0",)"
              R"("RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990"})";
    return ok;
  }

  static ReceiverAnswer refusal(int status, const std::string& code) {
    ReceiverAnswer refused;
    refused.status = status;
    refused.body = R"({"Code":")" + code + R"(","Message":"refused by the fake","RequestId":"R"})";
    return refused;
  }

  ReceiverAnswer answer(const ReceivedRequest& request) {
    if (request.method != "POST" || request.target != "/" ||
        request.headers.count("content-type") == 0 ||
        request.headers.at("content-type") != "application/x-www-form-urlencoded") {
      return refusal(400, "InvalidParameter");
    }
    Params params = parse_form(request.body);
    static const std::regex kTimestamp(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
    for (const auto& [name, value] : Params{{"Action", "SendSms"},
                                            {"Version", "2017-05-25"},
                                            {"Format", "JSON"},
                                            {"SignatureMethod", "HMAC-SHA1"},
                                            {"SignatureVersion", "1.0"}}) {
      if (params[name] != value) return refusal(400, "InvalidParameter");
    }
    if (params["AccessKeyId"] != kKeyId) return refusal(404, "InvalidAccessKeyId.NotFound");
    if (params["SignatureNonce"].empty()) return refusal(400, "MissingSignatureNonce");
    if (!std::regex_match(params["Timestamp"], kTimestamp) || !recent(params["Timestamp"])) {
      return refusal(400, "InvalidTimeStamp.Format");
    }
    if (params["Signature"] != expected_signature("POST", params, kSecret)) {
      return refusal(400, "SignatureDoesNotMatch");
    }
    std::lock_guard lock(mutex_);
    accepted_.push_back(params);
    return answer_;
  }

  // Aliyun refuses a request stamped more than 15 minutes from its own clock.
  static bool recent(const std::string& timestamp) {
    std::tm utc{};
    strptime(timestamp.c_str(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    auto stamped = std::chrono::system_clock::from_time_t(timegm(&utc));
    auto skew = std::chrono::system_clock::now() - stamped;
    return std::chrono::abs(skew) < std::chrono::minutes(15);
  }

  mutable std::mutex mutex_;
  ReceiverAnswer answer_ = success();
  std::vector<Params> accepted_;  // GUARDED_BY(mutex_)
  HttpReceiver receiver_;
};

ChannelAccount account_for(const std::string& url, const std::string& secret = kSecret) {
  ChannelAccount account;
  account.kind = ChannelKind::sms;
  account.url = url;
  account.settings = {
      {"access_key_id", kKeyId}, {"access_key_secret", secret}, {"sign_name", "迪波商城"}};
  account.templates = {{"shipment.created", "SMS_153055065"}};
  return account;
}

OutgoingMessage message_for(std::string key = "7:42:sms:13800138000") {
  OutgoingMessage message;
  message.key = std::move(key);
  message.event = "shipment.created";
  message.recipient = "13800138000";
  message.text = "您的订单已发货";
  message.variables = {{"order", "DP-1001"}, {"carrier", "顺丰 速运"}, {"tracking", "SF1*2~3"}};
  return message;
}

SendOutcome send(Channel& channel, const ChannelAccount& account, const OutgoingMessage& message) {
  std::promise<SendOutcome> promise;
  auto future = promise.get_future();
  channel.send(account, message,
               [&promise](SendOutcome outcome) { promise.set_value(std::move(outcome)); });
  if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    ADD_FAILURE() << "the channel did not answer in time";
    return {};
  }
  return future.get();
}

std::string closed_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

ReceiverAnswer aliyun_code(const std::string& code) {
  ReceiverAnswer answer;
  answer.body = R"({"Code":")" + code + R"(","Message":"some reason","RequestId":"R-1"})";
  return answer;
}

class AliyunSmsChannelTest : public ::testing::Test {
 protected:
  net::CurlLoop loop_;
  AliyunSmsChannel channel_{loop_};
  AliyunSmsFake aliyun_;
};

TEST_F(AliyunSmsChannelTest, SendsASignedRequestAndKeepsTheBizId) {
  SendOutcome outcome = send(channel_, account_for(aliyun_.url()), message_for());
  ASSERT_EQ(outcome.kind, Kind::sent) << outcome.response;
  EXPECT_EQ(outcome.provider_id, "900619746936498440^0");
  EXPECT_TRUE(outcome.response.starts_with("HTTP 200 ")) << outcome.response;
  EXPECT_EQ(outcome.response.find(kSecret), std::string::npos);

  auto accepted = aliyun_.accepted();
  ASSERT_EQ(accepted.size(), 1u);
  Params& params = accepted[0];
  EXPECT_EQ(params["PhoneNumbers"], "13800138000");
  EXPECT_EQ(params["SignName"], "迪波商城");
  EXPECT_EQ(params["TemplateCode"], "SMS_153055065");
  EXPECT_EQ(params["OutId"], "7:42:sms:13800138000");
  EXPECT_EQ(params["RegionId"], "cn-hangzhou");
  EXPECT_EQ(params.count("AccessKeySecret"), 0u);
  boost::json::value variables = boost::json::parse(params["TemplateParam"]);
  EXPECT_EQ(variables, boost::json::parse(
                           R"({"order":"DP-1001","carrier":"顺丰 速运","tracking":"SF1*2~3"})"));
}

TEST_F(AliyunSmsChannelTest, SignsEachRequestWithAFreshNonce) {
  ASSERT_EQ(send(channel_, account_for(aliyun_.url()), message_for()).kind, Kind::sent);
  ASSERT_EQ(send(channel_, account_for(aliyun_.url() + "/"), message_for()).kind, Kind::sent);
  auto accepted = aliyun_.accepted();
  ASSERT_EQ(accepted.size(), 2u);
  EXPECT_NE(accepted[0]["SignatureNonce"], accepted[1]["SignatureNonce"]);
}

TEST_F(AliyunSmsChannelTest, AWrongSecretIsRefusedForGood) {
  SendOutcome outcome = send(channel_, account_for(aliyun_.url(), "not-the-secret"), message_for());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_NE(outcome.response.find("SignatureDoesNotMatch"), std::string::npos);
  EXPECT_TRUE(aliyun_.accepted().empty());
}

TEST_F(AliyunSmsChannelTest, AnIllegalNumberIsPermanent) {
  aliyun_.set_answer(aliyun_code("isv.MOBILE_NUMBER_ILLEGAL"));
  SendOutcome outcome = send(channel_, account_for(aliyun_.url()), message_for());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_NE(outcome.response.find("isv.MOBILE_NUMBER_ILLEGAL"), std::string::npos);
}

TEST_F(AliyunSmsChannelTest, RateLimitsAndAnEmptyBalanceAreRetriedLater) {
  for (const char* code : {"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "isp.SYSTEM_ERROR",
                           "isv.OUT_OF_SERVICE"}) {
    aliyun_.set_answer(aliyun_code(code));
    SendOutcome outcome = send(channel_, account_for(aliyun_.url()), message_for());
    EXPECT_EQ(outcome.kind, Kind::retry_later) << code;
  }
}

TEST_F(AliyunSmsChannelTest, AServerErrorIsRetriedAfterWhatItAsks) {
  ReceiverAnswer unavailable;
  unavailable.status = 503;
  unavailable.body = "<html>Service Unavailable</html>";
  unavailable.content_type = "text/html";
  unavailable.headers = {{"Retry-After", "7"}};
  aliyun_.set_answer(unavailable);
  SendOutcome outcome = send(channel_, account_for(aliyun_.url()), message_for());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_EQ(outcome.retry_after, std::chrono::milliseconds(7000));
  EXPECT_TRUE(outcome.response.starts_with("HTTP 503")) << outcome.response;
}

TEST_F(AliyunSmsChannelTest, AClosedPortIsRetriedLater) {
  SendOutcome outcome = send(channel_, account_for(closed_url()), message_for());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_TRUE(outcome.response.starts_with("no answer: ")) << outcome.response;
}

TEST_F(AliyunSmsChannelTest, ASlowAnswerIsRetriedLater) {
  AliyunSmsChannel impatient(loop_,
                             {std::chrono::milliseconds(2000), std::chrono::milliseconds(300)});
  ReceiverAnswer slow = aliyun_code("OK");
  slow.delay = std::chrono::milliseconds(3000);
  aliyun_.set_answer(slow);
  SendOutcome outcome = send(impatient, account_for(aliyun_.url()), message_for());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_TRUE(outcome.response.starts_with("no answer: ")) << outcome.response;
}

TEST_F(AliyunSmsChannelTest, AnEventWithoutATemplateIsRefusedWithoutSending) {
  OutgoingMessage message = message_for();
  message.event = "order.cancelled";
  SendOutcome outcome = send(channel_, account_for(aliyun_.url()), message);
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_NE(outcome.response.find("order.cancelled"), std::string::npos);
  ChannelAccount no_sign = account_for(aliyun_.url());
  no_sign.settings.erase("sign_name");
  EXPECT_EQ(send(channel_, no_sign, message_for()).kind, Kind::permanent);
  EXPECT_EQ(aliyun_.count(), 0u);
}

// ---- The signature, against the examples in Aliyun's documentation ----

TEST(AliyunSignature, MatchesTheSmsDocumentationExample) {
  Params params = {{"AccessKeyId", "testId"},
                   {"Action", "SendSms"},
                   {"Format", "XML"},
                   {"OutId", "123"},
                   {"PhoneNumbers", "15300000001"},
                   {"RegionId", "cn-hangzhou"},
                   {"SignName", "阿里云短信测试专用"},
                   {"SignatureMethod", "HMAC-SHA1"},
                   {"SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"},
                   {"SignatureVersion", "1.0"},
                   {"TemplateCode", "SMS_71390007"},
                   {"TemplateParam", R"({"customer":"test"})"},
                   {"Timestamp", "2017-07-12T02:42:19Z"},
                   {"Version", "2017-05-25"}};
  EXPECT_EQ(aliyun_string_to_sign("GET", params),
            "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123"
            "%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF"
            "%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8"
            "%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1"
            "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0"
            "%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A"
            "%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z"
            "%26Version%3D2017-05-25");
  EXPECT_EQ(aliyun_rpc_signature("GET", params, "testSecret"), "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
  // A Signature already among the parameters is not signed.
  params["Signature"] = "zJDF+Lrzhj/ThnlvIToysFRq6t4=";
  EXPECT_EQ(aliyun_rpc_signature("GET", params, "testSecret"), "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
}

TEST(AliyunSignature, MatchesTheRpcDocumentationExample) {
  Params params = {{"TimeStamp", "2016-02-23T12:46:24Z"},
                   {"Format", "XML"},
                   {"AccessKeyId", "testid"},
                   {"Action", "DescribeRegions"},
                   {"SignatureMethod", "HMAC-SHA1"},
                   {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
                   {"Version", "2014-05-26"},
                   {"SignatureVersion", "1.0"}};
  EXPECT_EQ(aliyun_rpc_signature("GET", params, "testsecret"), "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
}

TEST(AliyunSignature, PercentEncodesTheWayAliyunDoes) {
  EXPECT_EQ(aliyun_percent_encode("a b*c~d-e_f.g+h/i=j&k"), "a%20b%2Ac~d-e_f.g%2Bh%2Fi%3Dj%26k");
  EXPECT_EQ(aliyun_percent_encode("短"), "%E7%9F%AD");
  EXPECT_EQ(aliyun_canonical_query({{"b", "2"}, {"a", "1 1"}, {"Signature", "x"}}), "a=1%201&b=2");
}

TEST(AliyunSendSmsAnswer, MapsCodesAndStatuses) {
  auto answer = [](long status, std::string body) {
    net::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    return read_send_sms_answer(response);
  };
  EXPECT_EQ(answer(200, R"({"Code":"OK","BizId":"1"})").kind, Kind::sent);
  for (const char* code :
       {"isv.MOBILE_NUMBER_ILLEGAL", "isv.INVALID_PARAMETERS", "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.SMS_SIGNATURE_ILLEGAL", "isv.TEMPLATE_MISSING_PARAMETERS",
        "isv.BLACK_KEY_CONTROL_LIMIT", "InvalidAccessKeyId.NotFound", "SignatureDoesNotMatch"}) {
    EXPECT_EQ(answer(200, R"({"Code":")" + std::string(code) + R"("})").kind, Kind::permanent)
        << code;
  }
  EXPECT_EQ(answer(400, R"({"Code":"SignatureDoesNotMatch"})").kind, Kind::permanent);
  EXPECT_EQ(answer(500, R"({"Code":"InternalError"})").kind, Kind::retry_later);
  EXPECT_EQ(answer(502, "bad gateway").kind, Kind::retry_later);
  EXPECT_EQ(answer(429, "").kind, Kind::retry_later);
  EXPECT_EQ(answer(200, "not json").kind, Kind::retry_later);
  EXPECT_EQ(answer(404, "<html>not found</html>").kind, Kind::permanent);
  net::HttpResponse no_answer;
  no_answer.error = CURLE_COULDNT_CONNECT;
  no_answer.error_text = "Connection refused";
  EXPECT_EQ(read_send_sms_answer(no_answer).kind, Kind::retry_later);
  EXPECT_EQ(answer(200, R"({"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":")" +
                            std::string(400, 'x') + "\"}")
                .response.size(),
            std::string("HTTP 200 ").size() + 300 + std::string("…").size());
}

}  // namespace
}  // namespace depot::channels
