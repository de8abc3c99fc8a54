#include "geocoders/amap/amap_geocoder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "geocoders/amap_receiver.h"

namespace depot::geocoders {
namespace {

using depot::testing::AmapReceiver;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr const char* kKey = "0123456789abcdef0123456789abcdef";

Address address(std::string province, std::string city, std::string district, std::string detail) {
  Address out;
  out.province = std::move(province);
  out.city = std::move(city);
  out.district = std::move(district);
  out.detail = std::move(detail);
  return out;
}
Address shanghai() { return address("上海市", "上海市", "浦东新区", "世纪大道100号"); }
Address beijing() { return address("北京市", "北京市", "朝阳区", "阜通东大街6号"); }
Address nowhere(int n = 0) {
  return address("上海市", "上海市", "浦东新区", "无此路" + std::to_string(n) + "号");
}

Result<GeocodeAnswer> lookup(Geocoder& geocoder, const GeocoderConfig& config,
                             const Address& address) {
  std::promise<Result<GeocodeAnswer>> promise;
  auto future = promise.get_future();
  geocoder.geocode(config, address, [&promise](Result<GeocodeAnswer> answer) {
    promise.set_value(std::move(answer));
  });
  return future.get();
}

// A port that was listening a moment ago and is closed now: connecting is refused at once.
std::string closed_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

TEST(AmapGeocoder, FindsAnAddressWithItsDistrictAndLevel) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  auto answer = lookup(geocoder, {receiver.url(), kKey}, shanghai());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_TRUE(answer->found);
  EXPECT_EQ(answer->adcode, "310115");
  EXPECT_EQ(answer->level, "门牌号");
  EXPECT_EQ(answer->formatted_address, "上海市浦东新区世纪大道100号");
  // A municipality's city is written once in the address and is the `city` parameter.
  auto query = receiver.last_query();
  EXPECT_EQ(query["address"], AmapReceiver::kShanghaiAddress);
  EXPECT_EQ(query["city"], "上海市");
  EXPECT_EQ(query["output"], "JSON");
}

TEST(AmapGeocoder, WritesAProvinceCityAndDistrict) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  auto answer =
      lookup(geocoder, {receiver.url(), kKey}, address("浙江省", "杭州市", "西湖区", "文三路1号"));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  auto query = receiver.last_query();
  EXPECT_EQ(query["address"], "浙江省杭州市西湖区文三路1号");
  EXPECT_EQ(query["city"], "杭州市");
}

TEST(AmapGeocoder, AnswersNotFoundWhenTheCountIsZero) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  auto answer = lookup(geocoder, {receiver.url(), kKey}, nowhere());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_FALSE(answer->found);
  EXPECT_EQ(answer->adcode, "");
}

TEST(AmapGeocoder, ReadsAnEmptyArrayAsAnEmptyField) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  auto answer = lookup(geocoder, {receiver.url(), kKey}, beijing());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_TRUE(answer->found);
  EXPECT_EQ(answer->adcode, "110105");
  EXPECT_EQ(answer->level, "门牌号");
}

TEST(AmapGeocoder, AWrongKeyIsUnavailableAndNotCached) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  for (int i = 0; i < 2; ++i) {
    auto answer = lookup(geocoder, {receiver.url(), "wrong"}, shanghai());
    ASSERT_FALSE(answer.ok());
    EXPECT_EQ(answer.error().code, ErrorCode::unavailable);
    EXPECT_NE(answer.error().message.find("INVALID_USER_KEY"), std::string::npos)
        << answer.error().message;
  }
  EXPECT_EQ(receiver.requests(), 2);
}

TEST(AmapGeocoder, AServiceThatIsDownIsUnavailableQuickly) {
  AmapGeocoder geocoder;
  auto started = steady_clock::now();
  auto answer = lookup(geocoder, {closed_url(), kKey}, shanghai());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::unavailable);
  EXPECT_LT(steady_clock::now() - started, milliseconds(1500));
}

TEST(AmapGeocoder, ASlowServiceTimesOut) {
  AmapReceiver receiver(kKey, milliseconds(10000));
  AmapGeocoder geocoder({.connect_timeout = milliseconds(200), .total_timeout = milliseconds(300)});
  auto started = steady_clock::now();
  auto answer = lookup(geocoder, {receiver.url(), kKey}, shanghai());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::unavailable);
  EXPECT_LT(steady_clock::now() - started, milliseconds(2000));
}

TEST(AmapGeocoder, AnAnswerThatIsNotJsonIsUnavailable) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  auto answer = lookup(geocoder, {receiver.url(), kKey},
                       address("上海市", "上海市", "浦东新区", "乱码路1号"));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::unavailable);
  EXPECT_EQ(receiver.last_query()["address"], AmapReceiver::kGarbledAddress);
}

TEST(AmapGeocoder, AnHttpErrorIsUnavailable) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  auto answer = lookup(geocoder, {receiver.url() + "/elsewhere", kKey}, shanghai());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::unavailable);
  EXPECT_NE(answer.error().message.find("404"), std::string::npos) << answer.error().message;
}

TEST(AmapGeocoder, TakesOnlyHttpUrlsAndATrailingSlash) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  auto refused = lookup(geocoder, {"ftp://127.0.0.1/", kKey}, shanghai());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
  EXPECT_EQ(receiver.requests(), 0);

  auto answer = lookup(geocoder, {receiver.url() + "/", kKey}, shanghai());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_TRUE(answer->found);
}

TEST(AmapGeocoder, ServesARepeatedLookupFromTheCacheOnTheCallersThread) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  GeocoderConfig config{receiver.url(), kKey};
  ASSERT_TRUE(lookup(geocoder, config, shanghai()).ok());
  ASSERT_TRUE(lookup(geocoder, config, nowhere()).ok());
  EXPECT_EQ(receiver.requests(), 2);

  std::thread::id answered_on;
  bool found = false;
  geocoder.geocode(config, shanghai(), [&](Result<GeocodeAnswer> answer) {
    answered_on = std::this_thread::get_id();
    found = answer.ok() && answer->found;
  });
  EXPECT_EQ(answered_on, std::this_thread::get_id());
  EXPECT_TRUE(found);
  auto not_found = lookup(geocoder, config, nowhere());
  ASSERT_TRUE(not_found.ok());
  EXPECT_FALSE(not_found->found);
  EXPECT_EQ(receiver.requests(), 2);

  // Another account is another cache entry.
  ASSERT_FALSE(lookup(geocoder, {receiver.url(), "other"}, shanghai()).ok());
  EXPECT_EQ(receiver.requests(), 3);
}

TEST(AmapGeocoder, ForgetsTheLeastRecentlyUsedAnswer) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder({.cache_capacity = 1});
  GeocoderConfig config{receiver.url(), kKey};
  ASSERT_TRUE(lookup(geocoder, config, shanghai()).ok());
  ASSERT_TRUE(lookup(geocoder, config, beijing()).ok());
  ASSERT_TRUE(lookup(geocoder, config, beijing()).ok());
  EXPECT_EQ(receiver.requests(), 2);
  ASSERT_TRUE(lookup(geocoder, config, shanghai()).ok());
  EXPECT_EQ(receiver.requests(), 3);
}

TEST(AmapGeocoder, StoppingAnswersEveryRequestExactlyOnce) {
  AmapReceiver receiver(kKey, milliseconds(10000));
  constexpr int kRequests = 6;
  std::vector<std::atomic<int>> calls(kRequests);
  std::vector<std::atomic<int>> unavailable(kRequests);
  auto geocoder = std::make_unique<AmapGeocoder>(AmapGeocoderOptions{.max_in_flight = 2});
  for (int i = 0; i < kRequests; ++i) {
    geocoder->geocode({receiver.url(), kKey}, nowhere(i), [&, i](Result<GeocodeAnswer> answer) {
      ++calls[i];
      if (!answer.ok() && answer.error().code == ErrorCode::unavailable) ++unavailable[i];
    });
  }
  // Two on the wire, four still queued.
  auto deadline = steady_clock::now() + milliseconds(2000);
  while (receiver.requests() < 2 && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(receiver.requests(), 2);
  auto started = steady_clock::now();
  geocoder.reset();
  EXPECT_LT(steady_clock::now() - started, milliseconds(1000));
  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(calls[i].load(), 1) << "request " << i;
    EXPECT_EQ(unavailable[i].load(), 1) << "request " << i;
  }
}

TEST(AmapGeocoder, AnswersConcurrentCallersEachOnce) {
  AmapReceiver receiver(kKey);
  AmapGeocoder geocoder;
  GeocoderConfig config{receiver.url(), kKey};
  constexpr int kThreads = 4;
  constexpr int kAddresses = 20;
  std::atomic<int> found = 0;
  std::atomic<int> not_found = 0;
  std::atomic<int> failed = 0;
  std::vector<std::promise<void>> finished(kThreads * kAddresses);
  std::vector<std::future<void>> answered;
  for (auto& slot : finished) answered.push_back(slot.get_future());
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&, t] {
      for (int a = 0; a < kAddresses; ++a) {
        Address wanted = a == 0 ? shanghai() : nowhere(a);
        geocoder.geocode(config, wanted, [&, slot = t * kAddresses + a](Result<GeocodeAnswer> r) {
          if (!r.ok()) {
            ++failed;
          } else if (r->found) {
            ++found;
          } else {
            ++not_found;
          }
          finished[slot].set_value();  // a second call would throw promise_already_satisfied
        });
      }
    });
  }
  for (auto& caller : callers) caller.join();
  for (auto& answer : answered) answer.wait();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(found.load(), kThreads);
  EXPECT_EQ(not_found.load(), kThreads * (kAddresses - 1));
  int asked = receiver.requests();
  EXPECT_GE(asked, kAddresses);
  EXPECT_LE(asked, kThreads * kAddresses);

  // Every address is now cached.
  for (int a = 0; a < kAddresses; ++a) {
    ASSERT_TRUE(lookup(geocoder, config, a == 0 ? shanghai() : nowhere(a)).ok());
  }
  EXPECT_EQ(receiver.requests(), asked);
}

}  // namespace
}  // namespace depot::geocoders
