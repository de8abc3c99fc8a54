#include "channels/wechat/wechat_channel.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/http_receiver.h"

namespace depot::channels {
namespace {

namespace json = boost::json;
using depot::testing::HttpReceiver;
using depot::testing::ReceivedRequest;
using depot::testing::ReceiverAnswer;
using std::chrono::milliseconds;
using Kind = SendOutcome::Kind;

constexpr const char* kAppid = "wx0123456789abcdef";
constexpr const char* kSecret = "0123456789abcdef0123456789abcdef";

ReceiverAnswer json_answer(const json::object& body, int status = 200) {
  ReceiverAnswer answer;
  answer.status = status;
  answer.body = json::serialize(body);
  return answer;
}

// WeChat's API as far as template messages go: stable tokens for the apps it knows, checked on
// every send, and a record of what was sent.
class FakeWechat {
 public:
  using SendAnswer = std::function<std::optional<ReceiverAnswer>(const json::object& message)>;

  FakeWechat() : receiver_([this](const ReceivedRequest& request) { return answer(request); }) {}

  std::string url() const { return receiver_.url(); }
  const HttpReceiver& receiver() const { return receiver_; }

  // Another server forced a new token: the one depot holds is no longer accepted.
  void rotate_token() {
    std::lock_guard lock(mutex_);
    current_token_ = "TOKEN_" + std::to_string(++token_serial_);
  }
  void set_expires_in(int seconds) {
    std::lock_guard lock(mutex_);
    expires_in_ = seconds;
  }
  void answer_sends_with(SendAnswer answer) {
    std::lock_guard lock(mutex_);
    send_answer_ = std::move(answer);
  }
  int token_fetches() const {
    std::lock_guard lock(mutex_);
    return token_fetches_;
  }
  int forced_fetches() const {
    std::lock_guard lock(mutex_);
    return forced_fetches_;
  }
  std::vector<json::object> token_requests() const {
    std::lock_guard lock(mutex_);
    return token_requests_;
  }
  std::vector<json::object> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  ReceiverAnswer answer(const ReceivedRequest& request) {
    std::lock_guard lock(mutex_);
    json::object body = json::parse(request.body).as_object();
    if (request.method == "POST" && request.target == "/cgi-bin/stable_token") {
      token_requests_.push_back(body);
      ++token_fetches_;
      auto app = apps_.find(std::string(body["appid"].as_string()));
      if (app == apps_.end()) return json_answer({{"errcode", 40013}, {"errmsg", "invalid appid"}});
      if (body["secret"].as_string() != app->second || body["grant_type"] != "client_credential") {
        return json_answer({{"errcode", 40125}, {"errmsg", "invalid appsecret, rid: 6f1a"}});
      }
      if (body["force_refresh"].as_bool()) {
        ++forced_fetches_;
        current_token_ = "TOKEN_" + std::to_string(++token_serial_);
      }
      return json_answer({{"access_token", current_token_}, {"expires_in", expires_in_}});
    }
    const std::string send_path = "/cgi-bin/message/template/send?access_token=";
    if (request.method == "POST" && request.target.starts_with(send_path)) {
      if (request.target.substr(send_path.size()) != current_token_) {
        return json_answer(
            {{"errcode", 40001},
             {"errmsg", "invalid credential, access_token is invalid or not latest"}});
      }
      if (send_answer_) {
        if (auto special = send_answer_(body)) return *special;
      }
      messages_.push_back(body);
      return json_answer({{"errcode", 0}, {"errmsg", "ok"}, {"msgid", 2000 + messages_.size()}});
    }
    return json_answer({{"errcode", 40066}, {"errmsg", "invalid url"}}, 404);
  }

  mutable std::mutex mutex_;
  const std::map<std::string, std::string> apps_{{kAppid, kSecret}, {"wx_second_app", "second"}};
  std::string current_token_ = "TOKEN_1";     // GUARDED_BY(mutex_)
  int token_serial_ = 1;                      // GUARDED_BY(mutex_)
  int expires_in_ = 7200;                     // GUARDED_BY(mutex_)
  int token_fetches_ = 0;                     // GUARDED_BY(mutex_)
  int forced_fetches_ = 0;                    // GUARDED_BY(mutex_)
  SendAnswer send_answer_;                    // GUARDED_BY(mutex_)
  std::vector<json::object> token_requests_;  // GUARDED_BY(mutex_)
  std::vector<json::object> messages_;        // GUARDED_BY(mutex_)
  HttpReceiver receiver_;  // last: it stops serving before the state it reads goes
};

ChannelAccount account_for(const std::string& url, std::string appid = kAppid,
                           std::string secret = kSecret) {
  ChannelAccount account;
  account.kind = ChannelKind::wechat;
  account.url = url;
  account.settings = {{"appid", std::move(appid)}, {"secret", std::move(secret)}};
  account.templates = {{"shipment.created", "TPL_shipped_0001"}};
  return account;
}

OutgoingMessage shipment_created(int n = 1) {
  OutgoingMessage message;
  message.key = "d-" + std::to_string(n);
  message.event = "shipment.created";
  message.recipient = "oABCD1234openid";
  message.link = "https://track.example/SF123";
  message.variables = {{"order_number", "SO-100" + std::to_string(n)}, {"carrier", "顺丰速运"}};
  return message;
}

SendOutcome deliver(Channel& channel, const ChannelAccount& account,
                    const OutgoingMessage& message) {
  std::promise<SendOutcome> promise;
  auto future = promise.get_future();
  channel.send(account, message,
               [&promise](SendOutcome outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

// Sends `count` messages at once and waits for every answer.
std::vector<SendOutcome> deliver_at_once(Channel& channel, const ChannelAccount& account,
                                         int count) {
  std::vector<std::promise<SendOutcome>> promises(count);
  std::vector<std::future<SendOutcome>> futures;
  for (auto& promise : promises) futures.push_back(promise.get_future());
  for (int i = 0; i < count; ++i) {
    channel.send(account, shipment_created(i), [&promises, i](SendOutcome outcome) {
      promises[i].set_value(std::move(outcome));
    });
  }
  std::vector<SendOutcome> outcomes;
  for (auto& future : futures) outcomes.push_back(future.get());
  return outcomes;
}

std::string closed_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

TEST(WechatChannel, SendsATemplateMessage) {
  FakeWechat wechat;
  net::CurlLoop loop;
  WechatChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(wechat.url() + "/"), shipment_created());
  ASSERT_EQ(outcome.kind, Kind::sent) << outcome.response;
  EXPECT_EQ(outcome.provider_id, "2001");
  EXPECT_EQ(outcome.response.find("TOKEN_"), std::string::npos) << outcome.response;

  auto tokens = wechat.token_requests();
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0]["grant_type"], "client_credential");
  EXPECT_EQ(tokens[0]["appid"], kAppid);
  EXPECT_EQ(tokens[0]["force_refresh"], false);

  auto messages = wechat.messages();
  ASSERT_EQ(messages.size(), 1u);
  json::object expected_data{{"carrier", {{"value", "顺丰速运"}}},
                             {"order_number", {{"value", "SO-1001"}}}};
  EXPECT_EQ(messages[0]["touser"], "oABCD1234openid");
  EXPECT_EQ(messages[0]["template_id"], "TPL_shipped_0001");
  EXPECT_EQ(messages[0]["url"], "https://track.example/SF123");
  EXPECT_EQ(messages[0]["client_msg_id"], "d-1");
  EXPECT_EQ(messages[0]["data"], expected_data);
}

TEST(WechatChannel, LeavesOutAnEmptyLink) {
  FakeWechat wechat;
  net::CurlLoop loop;
  WechatChannel channel(loop);
  OutgoingMessage message = shipment_created();
  message.link.clear();
  ASSERT_EQ(deliver(channel, account_for(wechat.url()), message).kind, Kind::sent);
  EXPECT_FALSE(wechat.messages().at(0).contains("url"));
}

TEST(WechatChannel, FetchesOneTokenForManySends) {
  FakeWechat wechat;
  net::CurlLoop loop;
  WechatChannel channel(loop);
  // All of them ask for the token before it arrives; one fetch serves them all.
  for (const SendOutcome& outcome : deliver_at_once(channel, account_for(wechat.url()), 20)) {
    EXPECT_EQ(outcome.kind, Kind::sent) << outcome.response;
  }
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(deliver(channel, account_for(wechat.url()), shipment_created(i)).kind, Kind::sent);
  }
  EXPECT_EQ(wechat.token_fetches(), 1);
  EXPECT_EQ(wechat.messages().size(), 25u);
}

TEST(WechatChannel, KeepsATokenPerApp) {
  FakeWechat wechat;
  net::CurlLoop loop;
  WechatChannel channel(loop);
  ASSERT_EQ(deliver(channel, account_for(wechat.url()), shipment_created()).kind, Kind::sent);
  ASSERT_EQ(
      deliver(channel, account_for(wechat.url(), "wx_second_app", "second"), shipment_created())
          .kind,
      Kind::sent);
  ASSERT_EQ(deliver(channel, account_for(wechat.url()), shipment_created()).kind, Kind::sent);
  EXPECT_EQ(wechat.token_fetches(), 2);
}

TEST(WechatChannel, RefreshesARefusedTokenOnceAndSendsAgain) {
  FakeWechat wechat;
  net::CurlLoop loop;
  WechatChannel channel(loop);
  ASSERT_EQ(deliver(channel, account_for(wechat.url()), shipment_created()).kind, Kind::sent);
  wechat.rotate_token();
  // Every one of them is refused with the same token; one forced refresh serves them all.
  for (const SendOutcome& outcome : deliver_at_once(channel, account_for(wechat.url()), 10)) {
    EXPECT_EQ(outcome.kind, Kind::sent) << outcome.response;
  }
  EXPECT_EQ(wechat.token_fetches(), 2);
  EXPECT_EQ(wechat.forced_fetches(), 1);
  EXPECT_EQ(wechat.token_requests().at(1)["force_refresh"], true);
  EXPECT_EQ(wechat.messages().size(), 11u);
}

TEST(WechatChannel, ATokenRefusedAfterARefreshIsRetriedLater) {
  FakeWechat wechat;
  wechat.answer_sends_with([](const json::object&) -> std::optional<ReceiverAnswer> {
    return json_answer({{"errcode", 42001}, {"errmsg", "access_token expired"}});
  });
  net::CurlLoop loop;
  WechatChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(wechat.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_NE(outcome.response.find("42001"), std::string::npos);
  EXPECT_EQ(wechat.token_fetches(), 2);
  EXPECT_EQ(wechat.forced_fetches(), 1);
}

TEST(WechatChannel, RenewsATokenBeforeItExpires) {
  FakeWechat wechat;
  wechat.set_expires_in(2);  // renewed after half its life: one second
  net::CurlLoop loop;
  WechatChannel channel(loop);
  ASSERT_EQ(deliver(channel, account_for(wechat.url()), shipment_created()).kind, Kind::sent);
  ASSERT_EQ(deliver(channel, account_for(wechat.url()), shipment_created()).kind, Kind::sent);
  EXPECT_EQ(wechat.token_fetches(), 1);
  std::this_thread::sleep_for(milliseconds(1100));
  ASSERT_EQ(deliver(channel, account_for(wechat.url()), shipment_created()).kind, Kind::sent);
  EXPECT_EQ(wechat.token_fetches(), 2);
  EXPECT_EQ(wechat.forced_fetches(), 0);
}

TEST(WechatChannel, ACustomerWhoUnsubscribedIsPermanent) {
  FakeWechat wechat;
  wechat.answer_sends_with([](const json::object&) -> std::optional<ReceiverAnswer> {
    return json_answer({{"errcode", 43004}, {"errmsg", "require subscribe rid: 64b0"}});
  });
  net::CurlLoop loop;
  WechatChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(wechat.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_NE(outcome.response.find("43004"), std::string::npos) << outcome.response;
  EXPECT_EQ(outcome.provider_id, "");
  EXPECT_EQ(wechat.token_fetches(), 1);
}

TEST(WechatChannel, ABusySystemAndAQuotaAreRetriedLater) {
  for (int errcode : {-1, 45009}) {
    FakeWechat wechat;
    wechat.answer_sends_with([errcode](const json::object&) -> std::optional<ReceiverAnswer> {
      return json_answer({{"errcode", errcode}, {"errmsg", "system error"}});
    });
    net::CurlLoop loop;
    WechatChannel channel(loop);
    EXPECT_EQ(deliver(channel, account_for(wechat.url()), shipment_created()).kind,
              Kind::retry_later)
        << errcode;
  }
}

TEST(WechatChannel, AnOverloadedApiIsRetriedAfterItsRetryAfter) {
  FakeWechat wechat;
  wechat.answer_sends_with([](const json::object&) -> std::optional<ReceiverAnswer> {
    ReceiverAnswer busy;
    busy.status = 503;
    busy.body = "upstream busy";
    busy.headers = {{"Retry-After", "5"}};
    return busy;
  });
  net::CurlLoop loop;
  WechatChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(wechat.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_EQ(outcome.response, "HTTP 503: upstream busy");
  EXPECT_EQ(outcome.retry_after, std::chrono::seconds(5));
}

TEST(WechatChannel, NeverShowsTheTokenInAResponse) {
  FakeWechat wechat;
  wechat.answer_sends_with([](const json::object&) -> std::optional<ReceiverAnswer> {
    ReceiverAnswer echo;  // a proxy's error page that repeats the request line
    echo.status = 404;
    echo.content_type = "text/html";
    echo.body = "<h1>Not Found</h1> POST /cgi-bin/message/template/send?access_token=TOKEN_1";
    return echo;
  });
  net::CurlLoop loop;
  WechatChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(wechat.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_EQ(outcome.response.find("TOKEN_1"), std::string::npos) << outcome.response;
  EXPECT_NE(outcome.response.find("access_token=***"), std::string::npos) << outcome.response;
}

TEST(WechatChannel, AWrongSecretIsPermanentAndNotShown) {
  FakeWechat wechat;
  net::CurlLoop loop;
  WechatChannel channel(loop);
  // The app's token is cached for its own account; an account naming the same appid with
  // another secret does not get it.
  ASSERT_EQ(deliver(channel, account_for(wechat.url()), shipment_created()).kind, Kind::sent);
  SendOutcome outcome =
      deliver(channel, account_for(wechat.url(), kAppid, "not-the-secret"), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_NE(outcome.response.find("40125"), std::string::npos) << outcome.response;
  EXPECT_EQ(outcome.response.find("not-the-secret"), std::string::npos);
  EXPECT_EQ(wechat.messages().size(), 1u);
  // A refusal is not cached: the next send asks again.
  deliver(channel, account_for(wechat.url(), kAppid, "not-the-secret"), shipment_created());
  EXPECT_EQ(wechat.token_fetches(), 3);
}

TEST(WechatChannel, AMissingTemplateIsPermanent) {
  FakeWechat wechat;
  net::CurlLoop loop;
  WechatChannel channel(loop);
  ChannelAccount account = account_for(wechat.url());
  account.templates.clear();
  SendOutcome outcome = deliver(channel, account, shipment_created());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_EQ(outcome.response, "no WeChat template is set for shipment.created");
  EXPECT_EQ(wechat.receiver().count(), 0u);
}

TEST(WechatChannel, AnApiThatIsDownIsRetriedLater) {
  net::CurlLoop loop;
  WechatChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(closed_url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_FALSE(outcome.response.empty());
}

TEST(WechatChannel, AnswersSendsInFlightWhenTheChannelAndLoopStop) {
  FakeWechat wechat;
  wechat.answer_sends_with([](const json::object&) -> std::optional<ReceiverAnswer> {
    ReceiverAnswer slow;
    slow.delay = milliseconds(5000);
    return slow;
  });
  std::atomic<int> calls{0};
  {
    net::CurlLoop loop;
    {
      WechatChannel channel(loop);
      channel.send(account_for(wechat.url()), shipment_created(), [&calls](SendOutcome outcome) {
        EXPECT_EQ(outcome.kind, Kind::retry_later);
        ++calls;
      });
      while (wechat.receiver().count() < 2) std::this_thread::sleep_for(milliseconds(5));
    }  // the channel goes first, as it would in the composition root
  }
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace depot::channels
