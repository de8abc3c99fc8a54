-- depot schema 6: notification dispatch at speed. The sender claims each channel's due
-- deliveries on their own, so a slow channel (SMTP) cannot hold the places of a fast one
-- (webhooks): the index of deliveries with work left leads with the channel. It replaces the one
-- of schema 3, so a delivery still costs the same number of index entries.
DROP INDEX notifications_due;
CREATE INDEX notifications_due_by_channel ON notifications (tenant_id, channel, next_attempt_at)
  WHERE next_attempt_at IS NOT NULL;
