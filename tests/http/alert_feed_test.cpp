// The alert feed (NTF-7) against a real SQLite store: alerts committed after a subscription reach
// every subscriber of that merchant once and in order, other events and other merchants' alerts do
// not, a resume replays what was missed within its bound, and stop() ends every subscription.
#include "app/alert_feed.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "app/forwarding_store.h"
#include "domain/event_catalog.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace depot {
namespace {

using namespace std::chrono_literals;

// What one subscriber was handed, safe to read from the test's thread.
class Recorder {
 public:
  AlertFeed::Deliver deliver() {
    return [this](const EventRecord& record) {
      std::lock_guard lock(mutex_);
      ids_.push_back(record.id);
      types_.push_back(record.event.type);
      changed_.notify_all();
    };
  }
  AlertFeed::Ended ended() {
    return [this] {
      std::lock_guard lock(mutex_);
      ended_ = true;
      changed_.notify_all();
    };
  }
  // The ids handed over once there are at least `count` (or what there is after 5 s).
  std::vector<std::int64_t> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 5s, [&] { return ids_.size() >= count; });
    return ids_;
  }
  // The ids handed over within `quiet`: for checking that nothing more comes.
  std::vector<std::int64_t> after_quiet(std::chrono::milliseconds quiet) {
    std::this_thread::sleep_for(quiet);
    std::lock_guard lock(mutex_);
    return ids_;
  }
  std::vector<EventType> types() {
    std::lock_guard lock(mutex_);
    return types_;
  }
  bool wait_ended() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return ended_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::int64_t> ids_;  // GUARDED_BY(mutex_)
  std::vector<EventType> types_;   // GUARDED_BY(mutex_)
  bool ended_ = false;             // GUARDED_BY(mutex_)
};

// The real store, whose reads of one merchant fail while `failing` names it.
class FailingReads final : public ForwardingStore {
 public:
  explicit FailingReads(Store& store) : ForwardingStore(store) {}
  std::atomic<TenantId> failing = 0;

  std::unique_ptr<ReadTx> read(TenantId tenant) override {
    if (tenant == failing) throw std::runtime_error("disk I/O error");
    return ForwardingStore::read(tenant);
  }
};

class AlertFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alpha = store.ensure_tenant("alpha");
    beta = store.ensure_tenant("beta");
    // The store keeps its listeners for its life: they reach whichever feed a test started.
    store.on_events_committed([this](const std::vector<TenantId>& tenants) {
      std::lock_guard lock(feed_mutex_);
      if (feed_) feed_->notify(tenants);
    });
  }
  // The listener may still be telling the feed about a commit whose writer already answered:
  // the feed is taken from it under its lock before it is destroyed.
  void TearDown() override {
    forget_feed();
    owned_feed_.reset();
  }

  AlertFeed* make_feed(AlertFeedOptions options = {}) {
    owned_feed_ = std::make_unique<AlertFeed>(failing_store, std::move(options));
    owned_feed_->start();
    std::lock_guard lock(feed_mutex_);
    feed_ = owned_feed_.get();
    return feed_;
  }
  void forget_feed() {
    std::lock_guard lock(feed_mutex_);
    feed_ = nullptr;
  }

  // Commits `events` for `tenant` in one write; answers their ids.
  std::vector<std::int64_t> commit(TenantId tenant, const std::vector<DomainEvent>& events) {
    std::promise<Status> committed;
    auto done = committed.get_future();
    store.write(
        tenant,
        [&events](WriteTx& tx) {
          for (const DomainEvent& event : events) tx.append_event(event, Instant{});
          return true;
        },
        [&committed](Status status) { committed.set_value(status); });
    EXPECT_TRUE(done.get().ok());
    std::vector<EventRecord> all = store.read(tenant)->events_after(0, 10'000);
    std::vector<std::int64_t> ids;
    for (std::size_t i = all.size() - events.size(); i < all.size(); ++i) ids.push_back(all[i].id);
    return ids;
  }
  static DomainEvent low(const std::string& sku) { return events::stock_low(sku, 1, 2, 5); }
  static DomainEvent received(const std::string& sku) { return events::stock_received(sku, 3); }

  testing::TempDir dir;
  sqlite::SqliteStore store{dir.file("depot.db")};
  FailingReads failing_store{store};
  TenantId alpha = 0;
  TenantId beta = 0;

 private:
  std::unique_ptr<AlertFeed> owned_feed_;
  std::mutex feed_mutex_;
  AlertFeed* feed_ = nullptr;  // GUARDED_BY(feed_mutex_)
};

TEST_F(AlertFeedTest, HandsEverySubscriberTheMerchantsNewAlertsOnlyInOrder) {
  commit(alpha, {low("BEFORE")});  // committed before anyone watched: not delivered
  auto feed = make_feed();
  Recorder first, second, other;
  auto s1 = feed->subscribe(alpha, std::nullopt, first.deliver(), first.ended());
  auto s2 = feed->subscribe(alpha, std::nullopt, second.deliver(), second.ended());
  auto s3 = feed->subscribe(beta, std::nullopt, other.deliver(), other.ended());
  ASSERT_OK(s1);
  ASSERT_OK(s2);
  ASSERT_OK(s3);

  std::vector<std::int64_t> ids = commit(alpha, {received("A"), low("A"), received("B")});
  std::vector<std::int64_t> more = commit(alpha, {events::order_held(Order{}), low("C")});

  std::vector<std::int64_t> expected = {ids[1], more[0], more[1]};
  EXPECT_EQ(first.wait_for(3), expected);
  EXPECT_EQ(second.wait_for(3), expected);
  EXPECT_EQ(first.types(),
            (std::vector{EventType::stock_low, EventType::order_held, EventType::stock_low}));
  EXPECT_TRUE(other.after_quiet(100ms).empty());
  EXPECT_EQ(first.after_quiet(100ms), expected) << "an alert was handed over twice";
}

TEST_F(AlertFeedTest, ReadsALongRunOfEventsInBatches) {
  auto feed = make_feed({.read_batch = 2});
  Recorder recorder;
  auto subscription = feed->subscribe(alpha, std::nullopt, recorder.deliver(), recorder.ended());
  ASSERT_OK(subscription);
  std::vector<DomainEvent> run;
  for (int i = 0; i < 9; ++i) run.push_back(i % 3 == 0 ? received("R") : low("R"));
  std::vector<std::int64_t> ids = commit(alpha, run);
  std::vector<std::int64_t> expected;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i % 3 != 0) expected.push_back(ids[i]);
  }
  EXPECT_EQ(recorder.wait_for(expected.size()), expected);
}

TEST_F(AlertFeedTest, AResumeReplaysTheMissedAlertsBeforeNewOnes) {
  auto feed = make_feed();
  std::vector<std::int64_t> seen = commit(alpha, {low("S")});
  std::vector<std::int64_t> missed = commit(alpha, {received("M"), low("M"), low("N")});
  Recorder recorder;
  auto subscription = feed->subscribe(alpha, seen[0], recorder.deliver(), recorder.ended());
  ASSERT_OK(subscription);
  std::vector<std::int64_t> live = commit(alpha, {low("L")});
  EXPECT_EQ(recorder.wait_for(3), (std::vector{missed[1], missed[2], live[0]}));
  EXPECT_EQ(recorder.after_quiet(100ms).size(), 3u);
}

TEST_F(AlertFeedTest, AResumeLooksNoFurtherThanItsBound) {
  auto feed = make_feed({.resume_scan_limit = 3});
  std::vector<std::int64_t> seen = commit(alpha, {low("S")});
  std::vector<std::int64_t> missed =
      commit(alpha, {received("M"), low("M"), received("M"), low("TOO-OLD"), low("TOO-OLD")});
  Recorder recorder;
  auto subscription = feed->subscribe(alpha, seen[0], recorder.deliver(), recorder.ended());
  ASSERT_OK(subscription);
  std::vector<std::int64_t> live = commit(alpha, {low("L")});
  EXPECT_EQ(recorder.wait_for(2), (std::vector{missed[1], live[0]}));
}

TEST_F(AlertFeedTest, AnIdPastTheNewestEventResumesFromNow) {
  auto feed = make_feed();
  std::vector<std::int64_t> old = commit(alpha, {low("O")});
  Recorder recorder;
  auto subscription =
      feed->subscribe(alpha, old[0] + 1'000'000, recorder.deliver(), recorder.ended());
  ASSERT_OK(subscription);
  std::vector<std::int64_t> live = commit(alpha, {low("L")});
  EXPECT_EQ(recorder.wait_for(1), std::vector{live[0]});
}

TEST_F(AlertFeedTest, RefusesSubscribersOverTheLimitUntilOneLeaves) {
  auto feed = make_feed({.max_subscribers_per_tenant = 2});
  Recorder a, b, c;
  auto first = feed->subscribe(alpha, std::nullopt, a.deliver(), a.ended());
  auto second = feed->subscribe(alpha, std::nullopt, b.deliver(), b.ended());
  ASSERT_OK(first);
  ASSERT_OK(second);
  auto refused = feed->subscribe(alpha, std::nullopt, c.deliver(), c.ended());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::rate_limited);
  EXPECT_NE(refused.error().message.find("2"), std::string::npos) << refused.error().message;
  ASSERT_OK(feed->subscribe(beta, std::nullopt, c.deliver(), c.ended()));  // per merchant

  { AlertFeed::Subscription gone = std::move(first).value(); }
  ASSERT_OK(feed->subscribe(alpha, std::nullopt, c.deliver(), c.ended()));
}

TEST_F(AlertFeedTest, NothingReachesASubscriptionOnceItIsGone) {
  auto feed = make_feed();
  Recorder kept, dropped;
  auto keep = feed->subscribe(alpha, std::nullopt, kept.deliver(), kept.ended());
  ASSERT_OK(keep);
  {
    auto drop = feed->subscribe(alpha, std::nullopt, dropped.deliver(), dropped.ended());
    ASSERT_OK(drop);
  }
  std::vector<std::int64_t> ids = commit(alpha, {low("X")});
  EXPECT_EQ(kept.wait_for(1), std::vector{ids[0]});
  EXPECT_TRUE(dropped.after_quiet(100ms).empty());
}

TEST_F(AlertFeedTest, StopEndsEverySubscriptionAndRefusesNewOnes) {
  auto feed = make_feed();
  Recorder a, b;
  auto first = feed->subscribe(alpha, std::nullopt, a.deliver(), a.ended());
  auto second = feed->subscribe(beta, std::nullopt, b.deliver(), b.ended());
  ASSERT_OK(first);
  ASSERT_OK(second);
  forget_feed();
  feed->stop();
  EXPECT_TRUE(a.wait_ended());
  EXPECT_TRUE(b.wait_ended());
  auto late = feed->subscribe(alpha, std::nullopt, a.deliver(), a.ended());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::unavailable);
}

TEST_F(AlertFeedTest, AFailedReadEndsTheMerchantsSubscriptionsAndIsReported) {
  std::mutex mutex;
  std::vector<std::pair<TenantId, std::string>> reported;
  auto feed = make_feed({.on_error = [&](TenantId tenant, const std::string& message) {
    std::lock_guard lock(mutex);
    reported.emplace_back(tenant, message);
  }});
  Recorder failed, unaffected;
  auto subscription = feed->subscribe(alpha, std::nullopt, failed.deliver(), failed.ended());
  auto other = feed->subscribe(beta, std::nullopt, unaffected.deliver(), unaffected.ended());
  ASSERT_OK(subscription);
  ASSERT_OK(other);
  failing_store.failing = alpha;
  commit(alpha, {low("F")});
  EXPECT_TRUE(failed.wait_ended());
  failing_store.failing = 0;
  {
    std::lock_guard lock(mutex);
    ASSERT_EQ(reported.size(), 1u);
    EXPECT_EQ(reported[0].first, alpha);
    EXPECT_EQ(reported[0].second, "disk I/O error");
  }
  std::vector<std::int64_t> later = commit(beta, {low("B")});
  EXPECT_EQ(unaffected.wait_for(1), std::vector{later[0]});
  ASSERT_OK(feed->subscribe(alpha, std::nullopt, failed.deliver(), failed.ended()));
  feed->stop();  // before `reported` goes
}

}  // namespace
}  // namespace depot
