#include "net/curl_threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
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

HttpReceiver slow_receiver(milliseconds delay) {
  return HttpReceiver([delay](const ReceivedRequest&) {
    ReceiverAnswer answer;
    answer.delay = delay;
    return answer;
  });
}

// A GET of `url` on `threads`; `done` gets curl's result and the HTTP status.
void get(CurlThreads& threads, const std::string& url, std::function<void(CURLcode, long)> done) {
  std::unique_ptr<Transfer> transfer = threads.transfer();
  curl_easy_setopt(transfer->handle(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(transfer->handle(), CURLOPT_PROTOCOLS_STR, "http");
  threads.perform(std::move(transfer), [&threads, done = std::move(done)](
                                           std::unique_ptr<Transfer> finished, CURLcode code) {
    long status = finished->status();
    threads.recycle(std::move(finished));
    done(code, status);
  });
}

// Runs `count` GETs of `url` at once and waits for them all; answers how many were 200.
int get_all(CurlThreads& threads, const std::string& url, int count) {
  std::atomic<int> ok{0};
  std::atomic<int> answered{0};
  std::promise<void> all_answered;
  for (int i = 0; i < count; ++i) {
    get(threads, url, [&, count](CURLcode code, long status) {
      if (code == CURLE_OK && status == 200) ++ok;
      if (++answered == count) all_answered.set_value();
    });
  }
  all_answered.get_future().wait();
  return ok.load();
}

TEST(CurlThreads, RunsEachTransferOnAThreadOfItsOwn) {
  constexpr milliseconds kDelay{500};
  HttpReceiver receiver = slow_receiver(kDelay);
  CurlThreads threads(CurlThreadsOptions{.max_threads = 8});
  auto started = steady_clock::now();
  EXPECT_EQ(get_all(threads, receiver.url(), 8), 8);
  // One after another they would take eight delays; side by side, about one.
  EXPECT_LT(steady_clock::now() - started, 4 * kDelay);
  EXPECT_EQ(threads.threads(), 8U);
}

TEST(CurlThreads, QueuesTransfersBeyondItsThreads) {
  constexpr milliseconds kDelay{200};
  HttpReceiver receiver = slow_receiver(kDelay);
  CurlThreads threads(CurlThreadsOptions{.max_threads = 2});
  auto started = steady_clock::now();
  EXPECT_EQ(get_all(threads, receiver.url(), 6), 6);
  // Two at a time: three rounds of the delay.
  EXPECT_GE(steady_clock::now() - started, 3 * kDelay - milliseconds(20));
  EXPECT_EQ(threads.threads(), 2U);
}

TEST(CurlThreads, AWaitingThreadTakesTheNextTransfer) {
  HttpReceiver receiver = slow_receiver(milliseconds(0));
  CurlThreads threads;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(get_all(threads, receiver.url(), 1), 1);
    // The thread answers before it goes back to wait for work.
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_EQ(threads.threads(), 1U);
}

TEST(CurlThreads, RejectsALimitOfZero) {
  EXPECT_THROW(CurlThreads(CurlThreadsOptions{.max_threads = 0}), std::invalid_argument);
}

TEST(CurlThreads, StoppingAbortsTransfersWaitingOnTheServerAndThoseQueued) {
  HttpReceiver receiver = slow_receiver(milliseconds(10000));
  std::vector<CURLcode> codes;  // written by one thread at a time, read after they all stopped
  std::vector<CURLcode> chained;
  std::mutex written;
  auto started = steady_clock::now();
  {
    CurlThreads threads(CurlThreadsOptions{.max_threads = 1});
    for (int i = 0; i < 3; ++i) {
      get(threads, receiver.url(), [&](CURLcode code, long) {
        std::lock_guard lock(written);
        codes.push_back(code);
        // A completion that hands over more work while the threads stop is answered at once.
        get(threads, receiver.url(),
            [&chained](CURLcode again, long) { chained.push_back(again); });
      });
    }
    // Let the first request reach the receiver; the other two wait in the queue.
    while (receiver.count() == 0) std::this_thread::sleep_for(milliseconds(5));
  }
  // curl asks its progress callback about once a second, even while it waits for the answer.
  EXPECT_LT(steady_clock::now() - started, milliseconds(5000));
  EXPECT_EQ(codes, std::vector<CURLcode>(3, CURLE_ABORTED_BY_CALLBACK));
  EXPECT_EQ(chained, std::vector<CURLcode>(3, CURLE_ABORTED_BY_CALLBACK));
}

}  // namespace
}  // namespace depot::net
