#include "app/notification_sender.h"

#include "app/notification_fallback.h"

namespace depot {

namespace {

// How long a claimed send may take before the delivery is due again: well past every channel's
// own timeout, so a send still in flight is never repeated by this process.
constexpr std::chrono::minutes kLease{2};

}  // namespace

Result<int> NotificationSender::send_due(TenantId tenant, int limit) {
  Instant now = clock_.now();
  // A cheap look first: most rounds find nothing due and need no write.
  if (store_.read(tenant)->due_notifications(now, 1).empty()) return 0;

  std::vector<Claimed> claimed;
  Result<int> outcome = run_write_blocking<int>(store_, tenant, [&](WriteTx& tx) -> Result<int> {
    claimed.clear();
    std::vector<Notification> due = tx.due_notifications(now, limit);
    {
      std::lock_guard lock(mutex_);
      std::erase_if(due, [&](const Notification& n) { return sending_.contains({tenant, n.id}); });
    }
    std::map<ChannelKind, std::optional<ChannelAccount>> accounts;
    for (Notification& n : due) {
      auto cached = accounts.find(n.channel);
      if (cached == accounts.end()) {
        cached = accounts.emplace(n.channel, tx.find_channel_account(n.channel)).first;
      }
      const std::optional<ChannelAccount>& account = cached->second;
      if (n.status == DeliveryStatus::sending) {
        tx.add_notification_attempt(
            n.id, {n.attempts, n.updated_at, now, "interrupted",
                   "depot stopped before the provider's answer was recorded; sent again with "
                   "the same key"});
      } else {
        ++n.attempts;
      }
      n.updated_at = now;
      if (!account || account->disabled) {
        // The channel was removed or switched off after the delivery was planned.
        std::string why = "the " + std::string(to_string(n.channel)) +
                          (account ? " endpoint is disabled" : " channel is not set up");
        tx.add_notification_attempt(n.id, {n.attempts, now, now, "permanent", why});
        n.status = DeliveryStatus::dead;
        n.next_attempt_at.reset();
        n.last_error = why;
        tx.update_notification(n);
        fall_back(tx, composer_, tenant, n, now);
        continue;
      }
      n.status = DeliveryStatus::sending;
      n.next_attempt_at = now + kLease;
      tx.update_notification(n);
      claimed.push_back({n, *account, now});
    }
    return static_cast<int>(claimed.size());
  });
  if (!outcome.ok()) return outcome;
  for (Claimed& c : claimed) start(tenant, std::move(c));
  return outcome;
}

Result<int> NotificationSender::release_interrupted(TenantId tenant) {
  Instant now = clock_.now();
  return run_write_blocking<int>(
      store_, tenant, [now](WriteTx& tx) -> Result<int> { return tx.release_interrupted(now); });
}

std::optional<Instant> NotificationSender::next_due(TenantId tenant) {
  return store_.read(tenant)->next_due();
}

void NotificationSender::start(TenantId tenant, Claimed claimed) {
  std::int64_t id = claimed.notification.id;
  {
    std::lock_guard lock(mutex_);
    sending_.insert({tenant, id});
  }
  ++in_flight_;
  Instant started_at = claimed.started_at;
  if (claimed.account.sandbox) {
    SendOutcome kept;
    kept.response = "kept in depot's sandbox inbox";
    record(tenant, id, started_at, std::move(kept), true);
    return;
  }
  auto found = channels_.find(claimed.notification.channel);
  if (found == channels_.end() || found->second == nullptr) {
    SendOutcome refused;
    refused.kind = SendOutcome::Kind::permanent;
    refused.response = "this depot has no adapter for the channel";
    record(tenant, id, started_at, std::move(refused), false);
    return;
  }
  found->second->send(claimed.account, claimed.notification.message,
                      [this, tenant, id, started_at](SendOutcome outcome) {
                        record(tenant, id, started_at, std::move(outcome), false);
                      });
}

void NotificationSender::record(TenantId tenant, std::int64_t id, Instant started_at,
                                SendOutcome outcome, bool sandbox) {
  Instant now = clock_.now();
  double spread = jitter();
  run_write<bool>(
      store_, tenant,
      [this, tenant, id, started_at, now, spread, outcome, sandbox](WriteTx& tx) -> Result<bool> {
        std::optional<Notification> n = tx.find_notification(id);
        if (!n || n->status != DeliveryStatus::sending) return false;
        tx.add_notification_attempt(id, {n->attempts, started_at, now,
                                         std::string(to_string(outcome.kind)), outcome.response});
        n->updated_at = now;
        if (!outcome.provider_id.empty()) n->provider_id = outcome.provider_id;
        if (outcome.kind == SendOutcome::Kind::sent) {
          n->status = sandbox ? DeliveryStatus::delivered : DeliveryStatus::sent;
          n->sent_at = now;
          if (sandbox) n->delivered_at = now;
          n->next_attempt_at.reset();
          n->last_error.clear();
        } else {
          n->last_error = outcome.response;
          std::optional<std::chrono::milliseconds> delay;
          if (outcome.kind == SendOutcome::Kind::retry_later) {
            delay = retry_delay(n->attempts,
                                std::chrono::milliseconds(tx.settings().notify.retry_base_ms),
                                spread, outcome.retry_after);
          }
          if (delay) {
            n->status = DeliveryStatus::failed;
            n->next_attempt_at = now + *delay;
          } else {
            n->status = DeliveryStatus::dead;
            n->next_attempt_at.reset();
          }
        }
        if (outcome.disable_account) {
          if (std::optional<ChannelAccount> account = tx.find_channel_account(n->channel)) {
            account->disabled = true;
            tx.save_channel_account(*account, now);
          }
        }
        tx.update_notification(*n);
        if (sandbox) {
          SandboxMessage message{0,
                                 n->id,
                                 n->order_id,
                                 n->channel,
                                 n->recipient,
                                 n->message.subject,
                                 n->message.text,
                                 n->message.html,
                                 now};
          tx.insert_sandbox_message(message);
        }
        if (n->status == DeliveryStatus::dead) fall_back(tx, composer_, tenant, *n, now);
        return true;
      },
      Callback<bool>([this, tenant, id](Result<bool> recorded) {
        {
          std::lock_guard lock(mutex_);
          sending_.erase({tenant, id});
        }
        --in_flight_;
        if (on_recorded_) on_recorded_(id, recorded.ok() ? Status() : Status(recorded.error()));
      }));
}

double NotificationSender::jitter() {
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

}  // namespace depot
