#include "net/curl_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/http_receiver.h"

namespace depot::net {
namespace {

using depot::testing::HttpReceiver;
using depot::testing::ReceivedRequest;
using depot::testing::ReceiverAnswer;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

HttpResponse exchange(CurlLoop& loop, const HttpRequest& request) {
  std::promise<HttpResponse> promise;
  auto future = promise.get_future();
  loop.http(request, [&promise](HttpResponse response) { promise.set_value(std::move(response)); });
  return future.get();
}

HttpRequest get(std::string url) {
  HttpRequest request;
  request.method = "GET";
  request.url = std::move(url);
  return request;
}

// A port that was listening a moment ago and is closed now: connecting is refused at once.
std::string closed_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

TEST(CurlLoop, AnswersTheStatusBodyAndLowerCasedHeaders) {
  HttpReceiver receiver([](const ReceivedRequest&) {
    ReceiverAnswer answer;
    answer.status = 202;
    answer.body = R"({"accepted":true})";
    answer.headers = {{"X-Request-Id", "req-42"}, {"Retry-After", " 7 "}};
    return answer;
  });
  CurlLoop loop;
  HttpResponse response = exchange(loop, get(receiver.url() + "/status"));
  ASSERT_EQ(response.error, CURLE_OK) << response.error_text;
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.body, R"({"accepted":true})");
  EXPECT_EQ(response.headers["x-request-id"], "req-42");
  EXPECT_EQ(response.headers["retry-after"], "7");
  EXPECT_EQ(response.headers["content-type"], "application/json");
  EXPECT_EQ(response.headers.count("X-Request-Id"), 0u);
}

TEST(CurlLoop, SendsTheMethodHeadersAndBody) {
  HttpReceiver receiver;
  CurlLoop loop;
  HttpRequest request;
  request.url = receiver.url() + "/hooks?x=1";
  request.headers = {"Content-Type: application/json", "X-Signature: abc"};
  request.body = R"({"n":1})";
  HttpResponse response = exchange(loop, request);
  ASSERT_EQ(response.error, CURLE_OK) << response.error_text;
  request.method = "PUT";
  request.body = "second";
  ASSERT_EQ(exchange(loop, request).error, CURLE_OK);
  ASSERT_EQ(exchange(loop, get(receiver.url() + "/plain")).error, CURLE_OK);

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hooks?x=1");
  EXPECT_EQ(requests[0].headers["content-type"], "application/json");
  EXPECT_EQ(requests[0].headers["x-signature"], "abc");
  EXPECT_EQ(requests[0].headers.count("expect"), 0u);
  EXPECT_EQ(requests[0].body, R"({"n":1})");
  EXPECT_EQ(requests[1].method, "PUT");
  EXPECT_EQ(requests[1].body, "second");
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(requests[2].body, "");
}

TEST(CurlLoop, ManySlowRequestsRunAtOnce) {
  constexpr int kRequests = 200;
  constexpr milliseconds kDelay{500};
  HttpReceiver receiver([kDelay](const ReceivedRequest&) {
    ReceiverAnswer answer;
    answer.delay = kDelay;
    return answer;
  });
  CurlLoop loop;
  std::atomic<int> ok{0};
  std::atomic<int> answered{0};
  std::promise<void> all_answered;
  auto started = steady_clock::now();
  for (int i = 0; i < kRequests; ++i) {
    loop.http(get(receiver.url() + "/slow/" + std::to_string(i)), [&](HttpResponse response) {
      if (response.error == CURLE_OK && response.status == 200) ++ok;
      if (++answered == kRequests) all_answered.set_value();
    });
  }
  all_answered.get_future().wait();
  auto elapsed = steady_clock::now() - started;
  EXPECT_EQ(ok.load(), kRequests);
  EXPECT_EQ(receiver.count(), static_cast<std::size_t>(kRequests));
  // One after another they would take 100 s; together, about one delay.
  EXPECT_LT(elapsed, 10 * kDelay);
}

TEST(CurlLoop, QueuesTransfersBeyondTheLimit) {
  constexpr milliseconds kDelay{200};
  HttpReceiver receiver([kDelay](const ReceivedRequest&) {
    ReceiverAnswer answer;
    answer.delay = kDelay;
    return answer;
  });
  CurlLoop loop(CurlLoopOptions{.max_in_flight = 2});
  std::atomic<int> ok{0};
  std::atomic<int> answered{0};
  std::promise<void> all_answered;
  auto started = steady_clock::now();
  for (int i = 0; i < 6; ++i) {
    loop.http(get(receiver.url()), [&](HttpResponse response) {
      if (response.error == CURLE_OK && response.status == 200) ++ok;
      if (++answered == 6) all_answered.set_value();
    });
  }
  all_answered.get_future().wait();
  EXPECT_EQ(ok.load(), 6);
  // Two at a time: three rounds of the delay.
  EXPECT_GE(steady_clock::now() - started, 3 * kDelay - milliseconds(20));
}

TEST(CurlLoop, RejectsALimitOfZero) {
  EXPECT_THROW(CurlLoop(CurlLoopOptions{.max_in_flight = 0}), std::invalid_argument);
}

TEST(CurlLoop, AnswersATransportErrorForAClosedPort) {
  CurlLoop loop;
  HttpResponse response = exchange(loop, get(closed_url() + "/x"));
  EXPECT_EQ(response.error, CURLE_COULDNT_CONNECT);
  EXPECT_FALSE(response.error_text.empty());
  EXPECT_EQ(response.status, 0);
}

TEST(CurlLoop, GivesUpOnASlowAnswerAtTheTimeout) {
  HttpReceiver receiver([](const ReceivedRequest&) {
    ReceiverAnswer answer;
    answer.delay = milliseconds(3000);
    return answer;
  });
  CurlLoop loop;
  HttpRequest request = get(receiver.url());
  request.timeout = milliseconds(200);
  auto started = steady_clock::now();
  HttpResponse response = exchange(loop, request);
  EXPECT_EQ(response.error, CURLE_OPERATION_TIMEDOUT);
  EXPECT_LT(steady_clock::now() - started, milliseconds(2000));
}

TEST(CurlLoop, RefusesAResponseBodyOverTheCap) {
  HttpReceiver receiver([](const ReceivedRequest&) {
    ReceiverAnswer answer;
    answer.body = std::string(Transfer::kMaxResponseBytes + 1, 'x');
    return answer;
  });
  CurlLoop loop;
  HttpResponse response = exchange(loop, get(receiver.url()));
  EXPECT_EQ(response.error, CURLE_WRITE_ERROR);
  EXPECT_NE(response.error_text.find("larger than"), std::string::npos) << response.error_text;
}

TEST(CurlLoop, FollowsOnlyHttpUrls) {
  CurlLoop loop;
  HttpResponse response = exchange(loop, get("file:///etc/passwd"));
  EXPECT_EQ(response.error, CURLE_UNSUPPORTED_PROTOCOL);
  EXPECT_TRUE(response.body.empty());
}

// perform() with a prepared transfer; the second one to the same host reuses the connection.
TEST(CurlLoop, PerformsPreparedTransfersOnAKeptAliveConnection) {
  HttpReceiver receiver;
  CurlLoop loop;
  std::vector<long> new_connections;
  for (int i = 0; i < 2; ++i) {
    auto transfer = std::make_unique<Transfer>();
    std::string url = receiver.url() + "/prepared";
    curl_easy_setopt(transfer->handle(), CURLOPT_URL, url.c_str());
    transfer->add_header("X-Attempt: " + std::to_string(i));
    transfer->set_body("attempt " + std::to_string(i));
    std::promise<std::pair<CURLcode, long>> promise;
    loop.perform(std::move(transfer),
                 [&promise](std::unique_ptr<Transfer> finished, CURLcode code) {
                   long connects = -1;
                   curl_easy_getinfo(finished->handle(), CURLINFO_NUM_CONNECTS, &connects);
                   EXPECT_EQ(finished->status(), 200);
                   promise.set_value({code, connects});
                 });
    auto [code, connects] = promise.get_future().get();
    ASSERT_EQ(code, CURLE_OK);
    new_connections.push_back(connects);
  }
  EXPECT_EQ(new_connections, (std::vector<long>{1, 0}));
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].headers["x-attempt"], "1");
  EXPECT_EQ(requests[1].body, "attempt 1");
}

// Runs one transfer from loop.transfer() to `url` and answers its result and how many new
// connections it opened, giving the handle back.
std::pair<CURLcode, long> run_recycled(CurlLoop& loop, const std::string& url) {
  auto transfer = loop.transfer();
  curl_easy_setopt(transfer->handle(), CURLOPT_URL, url.c_str());
  std::promise<std::pair<CURLcode, long>> promise;
  loop.perform(std::move(transfer),
               [&loop, &promise](std::unique_ptr<Transfer> finished, CURLcode code) {
                 long connects = -1;
                 curl_easy_getinfo(finished->handle(), CURLINFO_NUM_CONNECTS, &connects);
                 loop.recycle(std::move(finished));
                 promise.set_value({code, connects});
               });
  return promise.get_future().get();
}

TEST(CurlLoop, ARecycledTransferStartsClean) {
  HttpReceiver receiver;
  CurlLoop loop;
  auto first = loop.transfer();
  CURL* handle = first->handle();
  std::string url = receiver.url() + "/first";
  curl_easy_setopt(first->handle(), CURLOPT_URL, url.c_str());
  first->add_header("X-Secret: 1");
  first->set_body("first body");
  std::promise<CURLcode> done;
  loop.perform(std::move(first), [&](std::unique_ptr<Transfer> finished, CURLcode code) {
    EXPECT_EQ(finished->response_body(), "{}");
    loop.recycle(std::move(finished));
    done.set_value(code);
  });
  ASSERT_EQ(done.get_future().get(), CURLE_OK);

  auto second = loop.transfer();
  EXPECT_EQ(second->handle(), handle);  // the handle is reused
  EXPECT_EQ(second->response_body(), "");
  second.reset();
  ASSERT_EQ(run_recycled(loop, receiver.url() + "/second").first, CURLE_OK);
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, "/second");
  EXPECT_EQ(requests[1].headers.count("x-secret"), 0u);
  EXPECT_EQ(requests[1].body, "");
}

// curl's default cache shrinks with the transfers in flight: as the last ones of a burst finish,
// it closes connections the next burst would have reused. The loop keeps as many as its limit.
TEST(CurlLoop, KeepsItsConnectionsFromOneBurstOfTransfersToTheNext) {
  constexpr int kBurst = 8;
  HttpReceiver receiver([](const ReceivedRequest& request) {
    // /slow/N answers after (N + 1) × 100 ms: every transfer of a burst is under way before the
    // first ends, and they end one at a time.
    ReceiverAnswer answer;
    int n = std::stoi(request.target.substr(request.target.rfind('/') + 1));
    answer.delay = milliseconds(100 * (n + 1));
    return answer;
  });
  CurlLoop loop(CurlLoopOptions{.max_in_flight = kBurst});
  auto burst = [&] {
    std::vector<std::future<std::pair<CURLcode, long>>> results;
    for (int i = 0; i < kBurst; ++i) {
      results.push_back(std::async(std::launch::async, [&, i] {
        return run_recycled(loop, receiver.url() + "/slow/" + std::to_string(i));
      }));
    }
    long opened = 0;
    for (auto& result : results) {
      auto [code, connects] = result.get();
      EXPECT_EQ(code, CURLE_OK);
      opened += connects;
    }
    return opened;
  };
  EXPECT_EQ(burst(), kBurst);
  EXPECT_EQ(burst(), 0);
}

TEST(CurlLoop, ACompletionMayStartAnotherTransfer) {
  HttpReceiver receiver;
  CurlLoop loop;
  std::promise<HttpResponse> second;
  loop.http(get(receiver.url() + "/first"), [&](HttpResponse first) {
    EXPECT_EQ(first.status, 200);
    loop.http(get(receiver.url() + "/second"),
              [&second](HttpResponse response) { second.set_value(std::move(response)); });
  });
  EXPECT_EQ(second.get_future().get().status, 200);
  EXPECT_EQ(receiver.count(), 2u);
}

TEST(HttpHelpers, ReadRetryAfterAsSecondsOrADate) {
  auto now = std::chrono::system_clock::from_time_t(1700000000);  // Tue, 14 Nov 2023 22:13:20 GMT
  auto with = [](std::string value) {
    HttpResponse response;
    response.headers["retry-after"] = std::move(value);
    return response;
  };
  EXPECT_EQ(retry_after(with("120"), now), std::chrono::seconds(120));
  EXPECT_EQ(retry_after(with("Tue, 14 Nov 2023 22:14:20 GMT"), now), std::chrono::seconds(60));
  EXPECT_EQ(retry_after(with("Tue, 14 Nov 2023 22:00:00 GMT"), now), milliseconds(0));
  EXPECT_EQ(retry_after(with("soon"), now), std::nullopt);
  EXPECT_EQ(retry_after(with("2.0"), now), std::chrono::seconds(2));
  EXPECT_EQ(retry_after(with("2.5"), now), std::chrono::seconds(3));
  EXPECT_EQ(retry_after(with("2."), now), std::chrono::seconds(2));
  EXPECT_EQ(retry_after(with(".5"), now), std::nullopt);
  EXPECT_EQ(retry_after(HttpResponse{}, now), std::nullopt);
  EXPECT_EQ(retry_after(with("99999999999999999999"), now), std::chrono::hours(24));
}

TEST(HttpHelpers, SummariseAResponseInOneShortLine) {
  HttpResponse response;
  response.status = 502;
  response.body = "bad\r\ngateway";
  EXPECT_EQ(summary(response), "HTTP 502: bad  gateway");
  response.body = "网关错误";  // three bytes a character: the cut falls inside the second
  EXPECT_EQ(summary(response, 4), "HTTP 502: 网");
  response.body.clear();
  EXPECT_EQ(summary(response), "HTTP 502");
  HttpResponse failed;
  failed.error = CURLE_COULDNT_CONNECT;
  failed.error_text = "Failed to connect to 127.0.0.1 port 9: Connection refused";
  EXPECT_EQ(summary(failed), failed.error_text);
}

TEST(HttpHelpers, ShowOnlyAUrlsHost) {
  EXPECT_EQ(host_of("https://hooks.example.com/t/0123secret?token=abc"), "hooks.example.com");
  EXPECT_EQ(host_of("http://user:pass@127.0.0.1:8080/x"), "127.0.0.1:8080");
  EXPECT_EQ(host_of("not a url"), "(an unreadable url)");
}

TEST(CurlLoop, StoppingAnswersUnfinishedTransfersAsAborted) {
  HttpReceiver receiver([](const ReceivedRequest&) {
    ReceiverAnswer answer;
    answer.delay = milliseconds(5000);
    return answer;
  });
  std::vector<CURLcode> codes;  // written on the loop's thread, read after it stopped
  std::vector<CURLcode> chained;
  auto started = steady_clock::now();
  {
    CurlLoop loop(CurlLoopOptions{.max_in_flight = 1});
    for (int i = 0; i < 3; ++i) {
      loop.http(get(receiver.url()), [&](HttpResponse response) {
        codes.push_back(response.error);
        // A completion that hands over more work while the loop stops is answered at once.
        loop.http(get(receiver.url()),
                  [&chained](HttpResponse again) { chained.push_back(again.error); });
      });
    }
    // Let the first request reach the receiver; the other two wait in the queue.
    while (receiver.count() == 0) std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_LT(steady_clock::now() - started, milliseconds(4000));
  EXPECT_EQ(codes, std::vector<CURLcode>(3, CURLE_ABORTED_BY_CALLBACK));
  EXPECT_EQ(chained, std::vector<CURLcode>(3, CURLE_ABORTED_BY_CALLBACK));
}

}  // namespace
}  // namespace depot::net
