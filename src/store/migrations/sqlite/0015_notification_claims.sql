-- The node whose claim last moved a delivery to `sending`. A node that restarts releases only the
-- sends it was making, not those of other nodes on the same data that are still making theirs.
ALTER TABLE notifications ADD COLUMN claimed_by TEXT;
