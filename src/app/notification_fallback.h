#pragma once
// What follows when a customer's delivery fails for good (SPEC NTF-3, NTF-5): the next usable
// channel in the order chosen for the event is planned; when none is left, one customer-service
// ticket is opened for the event (never two) and `notification.dead` alerts the merchant.
// Manual resends and deliveries to merchants or staff have no fallback. A write-back to a platform
// that dies opens one ticket of kind writeback_failed for its event instead.

#include "app/notification_composer.h"

namespace depot {

// Runs in the transaction that records the failure.
void fall_back(WriteTx& tx, const NotificationComposer& composer, TenantId tenant,
               const Notification& dead, Instant now);

}  // namespace depot
