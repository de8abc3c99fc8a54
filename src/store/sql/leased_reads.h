#pragma once
// Read connections kept for reuse, and a read transaction (SqlTx or SqlReports) on one leased
// from them: opened with the store's BEGIN, committed and handed back when it goes.

#include <spdlog/spdlog.h>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "concurrency/mutex.h"

namespace depot::sql {

// Idle connections of one database; a lease opens a new one when none is idle. Thread-safe.
template <class Connection>
class ConnectionPool {
 public:
  using Open = std::function<std::unique_ptr<Connection>()>;

  explicit ConnectionPool(Open open) : open_(std::move(open)) {}

  std::unique_ptr<Connection> lease() EXCLUDES(mutex_) {
    {
      MutexLock lock(mutex_);
      if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
    }
    return open_();
  }

  void give_back(std::unique_ptr<Connection> connection) EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    idle_.push_back(std::move(connection));
  }

  // Runs `function` with a leased connection, outside any transaction.
  template <class F>
  auto with(F function) {
    auto connection = lease();
    auto result = function(*connection);
    give_back(std::move(connection));
    return result;
  }

 private:
  Open open_;
  Mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_ GUARDED_BY(mutex_);
};

template <class Reads, class Connection>
class LeasedReads final : public Reads {
 public:
  // `reads` are the arguments of Reads after the connection.
  template <class... Args>
  LeasedReads(ConnectionPool<Connection>& pool, const char* begin, Args&&... reads)
      : LeasedReads(pool, pool.lease(), begin, std::forward<Args>(reads)...) {}
  LeasedReads(const LeasedReads&) = delete;
  LeasedReads& operator=(const LeasedReads&) = delete;
  ~LeasedReads() override {
    try {
      db_->run("COMMIT");
      pool_.give_back(std::move(db_));
    } catch (const std::exception& e) {
      // The connection goes with the transaction: the pool opens another when it needs one.
      spdlog::error("closing a read transaction: {}", e.what());
    }
  }

 private:
  template <class... Args>
  LeasedReads(ConnectionPool<Connection>& pool, std::unique_ptr<Connection> db, const char* begin,
              Args&&... reads)
      : Reads(*db, std::forward<Args>(reads)...), pool_(pool), db_(std::move(db)) {
    db_->run(begin);
  }

  ConnectionPool<Connection>& pool_;
  std::unique_ptr<Connection> db_;
};

}  // namespace depot::sql
