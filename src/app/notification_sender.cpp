#include "app/notification_sender.h"

#include "app/notification_fallback.h"

namespace depot {

namespace {

// How long a claimed send may take before the delivery is due again: well past every channel's
// own timeout, so a send still in flight is never repeated by this process.
constexpr std::chrono::minutes kLease{2};

// Why a claimed delivery cannot be sent at all, if it cannot.
std::string refusal(const Notification& n, const ChannelAccount* account) {
  if (n.channel == ChannelKind::platform) {
    if (account == nullptr) return "the platform connection that created the order is gone";
    if (account->url.empty()) return "the platform connection has no callback_url";
    return {};
  }
  if (account == nullptr)
    return "the " + std::string(to_string(n.channel)) + " channel is not set up";
  if (account->disabled)
    return "the " + std::string(to_string(n.channel)) + " endpoint is disabled";
  if (n.channel == ChannelKind::webhook && n.message.payload.empty()) {
    return "the webhook's event is no longer in the outbox";
  }
  return {};
}

// A write-back's account is the connection that created its order, as it is now: its callback
// URL, its platform, the secret that signs a generic call and the token Shopify's Admin API takes.
// Nothing when the connection is gone.
std::shared_ptr<const ChannelAccount> connection_account(ReadTx& tx, std::int64_t order_id) {
  std::optional<Integration> connection = tx.integration_of_order(order_id);
  if (!connection) return nullptr;
  auto account = std::make_shared<ChannelAccount>();
  account->kind = ChannelKind::platform;
  account->url = std::move(connection->callback_url);
  account->settings = {{"platform", std::move(connection->platform)},
                       {"secret", std::move(connection->secret)},
                       {"access_token", std::move(connection->access_token)}};
  return account;
}

}  // namespace

Result<std::map<ChannelKind, int>> NotificationSender::send_due(
    TenantId tenant, const std::map<ChannelKind, int>& limits) {
  Instant now = clock_.now();
  // Read and completed off the writer; the claim below takes each only if it is still as read.
  std::vector<Claimed> candidates;
  {
    std::unique_ptr<ReadTx> tx = store_.read(tenant);
    for (const auto& [channel, limit] : limits) {
      if (limit <= 0) continue;
      std::vector<Notification> due = tx->due_notifications(channel, now, limit);
      {
        MutexLock lock(mutex_);
        std::erase_if(due, [&](const Notification& n) REQUIRES(mutex_) {
          return sending_.contains({tenant, n.id});
        });
      }
      if (due.empty()) continue;
      std::shared_ptr<const ChannelAccount> account;
      if (channel == ChannelKind::platform) {
        for (Notification& n : due) {
          std::shared_ptr<const ChannelAccount> connection = connection_account(*tx, n.order_id);
          candidates.push_back({std::move(n), std::move(connection)});
        }
        continue;
      }
      if (std::optional<ChannelAccount> found = tx->find_channel_account(channel)) {
        account = std::make_shared<const ChannelAccount>(std::move(*found));
      }
      for (Notification& n : due) {
        composer_.complete(*tx, n);
        candidates.push_back({std::move(n), account});
      }
    }
  }
  std::map<ChannelKind, int> started;
  if (candidates.empty()) return started;

  std::vector<Claimed> claimed;
  Result<int> written = run_write_blocking<int>(store_, tenant, [&](WriteTx& tx) -> Result<int> {
    auto began = std::chrono::steady_clock::now();
    claimed.clear();
    for (const Claimed& candidate : candidates) {
      Notification n = candidate.notification;
      DeliveryStatus was = n.status;
      std::optional<Instant> was_due = n.next_attempt_at;
      Instant last_update = n.updated_at;
      bool interrupted = was == DeliveryStatus::sending;
      if (!interrupted) ++n.attempts;
      n.updated_at = now;
      std::string why = refusal(n, candidate.account.get());
      if (why.empty()) {
        n.status = DeliveryStatus::sending;
        n.next_attempt_at = now + kLease;
        n.claimed_by = node_;
      } else {
        n.status = DeliveryStatus::dead;
        n.next_attempt_at.reset();
        n.last_error = why;
      }
      if (!tx.update_notification_if(n, was, was_due)) continue;  // changed since it was read
      if (interrupted) {
        tx.add_notification_attempt(
            n.id, {n.attempts, last_update, now, "interrupted",
                   "depot stopped before the provider's answer was recorded; sent again with "
                   "the same key"});
      }
      if (!why.empty()) {
        tx.add_notification_attempt(n.id, {n.attempts, now, now, "permanent", why});
        fall_back(tx, composer_, tenant, n, now);
        continue;
      }
      claimed.push_back({std::move(n), candidate.account});
    }
    report_writer_time(began);
    return static_cast<int>(claimed.size());
  });
  if (!written.ok()) return written.error();
  for (Claimed& c : claimed) {
    ++started[c.notification.channel];
    start(tenant, std::move(c));
  }
  return started;
}

Result<int> NotificationSender::release_interrupted(TenantId tenant) {
  Instant now = clock_.now();
  return run_write_blocking<int>(store_, tenant, [this, now](WriteTx& tx) -> Result<int> {
    return tx.release_interrupted(node_, now);
  });
}

std::optional<Instant> NotificationSender::next_due(TenantId tenant) {
  return store_.read(tenant)->next_due();
}

int NotificationSender::in_flight(ChannelKind channel) const {
  MutexLock lock(mutex_);
  auto found = in_flight_.find(channel);
  return found == in_flight_.end() ? 0 : found->second;
}

int NotificationSender::in_flight(TenantId tenant, ChannelKind channel) const {
  MutexLock lock(mutex_);
  auto found = merchant_in_flight_.find({tenant, channel});
  return found == merchant_in_flight_.end() ? 0 : found->second;
}

bool NotificationSender::outcomes_to_record() const {
  MutexLock lock(mutex_);
  return !arrived_.empty() && !recording_;
}

void NotificationSender::start(TenantId tenant, Claimed claimed) {
  auto n = std::make_shared<Notification>(std::move(claimed.notification));
  {
    MutexLock lock(mutex_);
    sending_.insert({tenant, n->id});
    ++in_flight_[n->channel];
    ++merchant_in_flight_[{tenant, n->channel}];
  }
  ++in_flight_total_;
  Outcome outcome;
  outcome.tenant = tenant;
  outcome.notification = n;
  outcome.started_at = n->updated_at;
  if (claimed.account->sandbox) {
    outcome.finished_at = outcome.started_at;
    outcome.result.response = "kept in depot's sandbox inbox";
    outcome.sandbox = true;
    arrived(std::move(outcome));
    return;
  }
  auto found = channels_.find(n->channel);
  if (found == channels_.end() || found->second == nullptr) {
    outcome.finished_at = outcome.started_at;
    outcome.result = SendOutcome::refused("this depot has no adapter for the channel");
    arrived(std::move(outcome));
    return;
  }
  found->second->send(*claimed.account, n->message,
                      [this, pending = std::move(outcome)](SendOutcome result) mutable {
                        pending.finished_at = clock_.now();
                        pending.result = std::move(result);
                        arrived(std::move(pending));
                      });
}

void NotificationSender::arrived(Outcome outcome) {
  if (on_attempt_) {
    on_attempt_(outcome.notification->channel,
                outcome.sandbox ? std::string_view("sandbox") : to_string(outcome.result.kind));
  }
  std::vector<Outcome> now;
  {
    MutexLock lock(mutex_);
    if (batching_) {
      arrived_.push_back(std::move(outcome));
    } else {
      now.push_back(std::move(outcome));
    }
  }
  if (!now.empty()) submit(std::move(now));
  if (on_outcome_) on_outcome_();
}

void NotificationSender::batch_outcomes(bool on) {
  std::deque<Outcome> waiting;
  {
    MutexLock lock(mutex_);
    batching_ = on;
    if (!on) waiting.swap(arrived_);
  }
  for (Outcome& outcome : waiting) {
    std::vector<Outcome> one;
    one.push_back(std::move(outcome));
    submit(std::move(one));
  }
}

int NotificationSender::record_outcomes(int limit) {
  std::vector<Outcome> batch;
  {
    MutexLock lock(mutex_);
    if (recording_ || arrived_.empty() || limit <= 0) return 0;
    TenantId tenant = arrived_.front().tenant;
    for (auto it = arrived_.begin();
         it != arrived_.end() && batch.size() < static_cast<std::size_t>(limit);) {
      if (it->tenant != tenant) {
        ++it;
        continue;
      }
      batch.push_back(std::move(*it));
      it = arrived_.erase(it);
    }
    recording_ = true;
  }
  int taken = static_cast<int>(batch.size());
  submit(std::move(batch));
  return taken;
}

void NotificationSender::submit(std::vector<Outcome> batch) {
  auto shared = std::make_shared<std::vector<Outcome>>(std::move(batch));
  TenantId tenant = shared->front().tenant;
  {
    MutexLock lock(mutex_);
    ++writes_on_their_way_;
  }
  // The store may run the work again (Store::write), and write_outcomes() changes the
  // notifications it records: each run starts from them as they were claimed.
  std::vector<Notification> as_claimed;
  for (const Outcome& o : *shared) as_claimed.push_back(*o.notification);
  store_.write(
      tenant,
      [this, shared, as_claimed = std::move(as_claimed)](WriteTx& tx) {
        for (std::size_t i = 0; i < as_claimed.size(); ++i) {
          *(*shared)[i].notification = as_claimed[i];
        }
        write_outcomes(tx, *shared);
        return true;
      },
      [this, shared](const Status& stored) {
        outcomes_written(*shared, stored);
        MutexLock lock(mutex_);
        if (--writes_on_their_way_ == 0) writes_answered_.notify_all();
      });
}

void NotificationSender::wait_for_writes() {
  MutexLock lock(mutex_);
  writes_answered_.wait(mutex_, [this]() REQUIRES(mutex_) { return writes_on_their_way_ == 0; });
}

void NotificationSender::write_outcomes(WriteTx& tx, std::vector<Outcome>& batch) {
  auto began = std::chrono::steady_clock::now();
  std::optional<std::chrono::milliseconds> retry_base;  // read once, if a retry needs it
  std::set<ChannelKind> disabled;
  for (Outcome& o : batch) {
    Notification& n = *o.notification;
    const SendOutcome& result = o.result;
    std::optional<Instant> lease = n.next_attempt_at;
    n.updated_at = o.finished_at;
    if (!result.provider_id.empty()) n.provider_id = result.provider_id;
    if (result.kind == SendOutcome::Kind::sent) {
      n.status = o.sandbox ? DeliveryStatus::delivered : DeliveryStatus::sent;
      n.sent_at = o.finished_at;
      if (o.sandbox) n.delivered_at = o.finished_at;
      n.next_attempt_at.reset();
      n.last_error.clear();
    } else {
      n.last_error = result.response;
      std::optional<std::chrono::milliseconds> delay;
      if (result.kind == SendOutcome::Kind::retry_later) {
        if (!retry_base) retry_base = std::chrono::milliseconds(tx.settings().notify.retry_base_ms);
        delay = retry_delay(n.attempts, *retry_base, jitter(), result.retry_after);
      }
      if (delay) {
        n.status = DeliveryStatus::failed;
        n.next_attempt_at = o.finished_at + *delay;
      } else {
        n.status = DeliveryStatus::dead;
        n.next_attempt_at.reset();
      }
    }
    // A delivery report may have settled it meanwhile; then this answer changes nothing.
    if (!tx.update_notification_if(n, DeliveryStatus::sending, lease)) continue;
    tx.add_notification_attempt(n.id, {n.attempts, o.started_at, o.finished_at,
                                       std::string(to_string(result.kind)), result.response});
    if (result.disable_account && disabled.insert(n.channel).second) {
      if (std::optional<ChannelAccount> account = tx.find_channel_account(n.channel)) {
        account->disabled = true;
        tx.save_channel_account(*account, o.finished_at);
      }
    }
    if (o.sandbox) {
      SandboxMessage message{0,
                             n.id,
                             n.order_id,
                             n.channel,
                             n.recipient,
                             n.message.subject,
                             n.message.text,
                             n.message.html,
                             o.finished_at};
      tx.insert_sandbox_message(message);
    }
    if (n.status == DeliveryStatus::dead) fall_back(tx, composer_, o.tenant, n, o.finished_at);
  }
  report_writer_time(began);
}

void NotificationSender::outcomes_written(const std::vector<Outcome>& batch, const Status& stored) {
  {
    MutexLock lock(mutex_);
    for (const Outcome& o : batch) {
      sending_.erase({o.tenant, o.notification->id});
      --in_flight_[o.notification->channel];
      auto merchant = merchant_in_flight_.find({o.tenant, o.notification->channel});
      if (--merchant->second == 0) merchant_in_flight_.erase(merchant);
    }
    recording_ = false;
  }
  in_flight_total_ -= static_cast<int>(batch.size());
  if (on_recorded_) {
    for (const Outcome& o : batch) on_recorded_(o.notification->id, stored);
  }
  if (on_outcome_) on_outcome_();
}

void NotificationSender::report_writer_time(std::chrono::steady_clock::time_point began) const {
  if (on_writer_time_) on_writer_time_(std::chrono::steady_clock::now() - began);
}

double NotificationSender::jitter() {
  MutexLock lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

}  // namespace depot
