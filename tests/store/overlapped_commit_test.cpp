// The writer does not wait for the disk: while one commit's fsync is under way the next batch
// runs. Yet nothing is answered, and no reader sees an event, before the commit that holds it is
// on disk. A VFS whose fsyncs wait until released stands for a slow disk.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "support/power_loss_vfs.h"
#include "support/test_support.h"

namespace depot {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::PowerLossVfs;
using testing::TempDir;

DomainEvent created(std::int64_t order_id) {
  DomainEvent event;
  event.type = EventType::order_created;
  event.order_id = order_id;
  return event;
}

class OverlappedCommitTest : public ::testing::Test {
 protected:
  // A failed check may leave the disk held, and closing the store fsyncs.
  void TearDown() override { vfs_.hold_syncs(false); }

  // Writes one event for `order_id`; `ran` is set when the work runs, the future when answered.
  std::future<Status> append(std::int64_t order_id, std::atomic<bool>& ran) {
    auto answered = std::make_shared<std::promise<Status>>();
    auto future = answered->get_future();
    store_.write(
        tenant_,
        [order_id, &ran](WriteTx& tx) {
          tx.append_event(created(order_id), Instant{});
          ran = true;
          return true;
        },
        [this, answered, order_id](Status status) {
          {
            std::lock_guard lock(order_mutex_);
            answer_order_.push_back(order_id);
          }
          answered->set_value(std::move(status));
        });
    return future;
  }

  std::vector<std::int64_t> visible_orders() {
    std::vector<std::int64_t> orders;
    for (const EventRecord& record : store_.read(tenant_)->events_after(0, 10)) {
      orders.push_back(record.event.order_id);
    }
    return orders;
  }

  PowerLossVfs vfs_;  // first: the store opens its files through it
  TempDir dir_;
  sqlite::SqliteStore store_{dir_.file("depot.db")};
  TenantId tenant_ = store_.ensure_tenant("overlap");
  std::mutex order_mutex_;
  std::vector<std::int64_t> answer_order_;
};

TEST_F(OverlappedCommitTest, TheNextBatchRunsWhileACommitWaitsForTheDisk) {
  vfs_.hold_syncs(true);
  std::atomic<bool> first_ran = false;
  std::future<Status> first = append(1, first_ran);
  ASSERT_TRUE(eventually([&] { return vfs_.syncs_held() == 1; }))
      << "the first commit never reached its fsync";

  std::atomic<bool> second_ran = false;
  std::future<Status> second = append(2, second_ran);
  EXPECT_TRUE(eventually([&] { return second_ran.load(); }))
      << "the writer waited for the first commit's fsync before running the next batch";

  EXPECT_EQ(first.wait_for(50ms), std::future_status::timeout)
      << "a write was answered before its commit was on disk";
  EXPECT_EQ(second.wait_for(0ms), std::future_status::timeout);
  EXPECT_TRUE(visible_orders().empty()) << "a reader saw an event the disk does not hold yet";
  EXPECT_EQ(store_.read(tenant_)->latest_event_id(), 0);

  vfs_.hold_syncs(false);
  ASSERT_EQ(first.wait_for(5s), std::future_status::ready);
  ASSERT_EQ(second.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(first.get().ok());
  EXPECT_TRUE(second.get().ok());
  EXPECT_EQ(answer_order_, (std::vector<std::int64_t>{1, 2})) << "answered out of commit order";
  EXPECT_EQ(visible_orders(), (std::vector<std::int64_t>{1, 2}));
}

TEST_F(OverlappedCommitTest, AFailedFsyncAnswersEveryCommitItHeldAsNotStored) {
  vfs_.hold_syncs(true);
  std::atomic<bool> first_ran = false;
  std::future<Status> first = append(1, first_ran);
  ASSERT_TRUE(eventually([&] { return vfs_.syncs_held() == 1; }));
  std::atomic<bool> second_ran = false;
  std::future<Status> second = append(2, second_ran);
  ASSERT_TRUE(eventually([&] { return second_ran.load(); }));

  vfs_.cut_power_at(1);  // the held fsync is the first operation from here
  vfs_.hold_syncs(false);
  ASSERT_EQ(first.wait_for(5s), std::future_status::ready);
  ASSERT_EQ(second.wait_for(5s), std::future_status::ready);
  Status first_status = first.get();
  Status second_status = second.get();
  ASSERT_FALSE(first_status.ok());
  ASSERT_FALSE(second_status.ok());
  EXPECT_EQ(first_status.error().code, ErrorCode::unavailable);
  EXPECT_EQ(second_status.error().code, ErrorCode::unavailable);
  EXPECT_TRUE(visible_orders().empty());
  EXPECT_FALSE(store_.ready()) << "the store still takes writes after its disk failed";
}

}  // namespace
}  // namespace depot
