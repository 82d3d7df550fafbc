-- Pruning (NotificationPruner): finished jobs, settled outbox rows and old or read notifications are
-- deleted in small batches by age. These indexes let each batch find its rows by a range scan
-- instead of reading the tables. (Built inside the migration's transaction, so writes to these
-- tables wait while they build; the tables are as large as they will ever be at this point.)

CREATE INDEX notification_outbox_settled ON notification_outbox (created_at) WHERE status <> 'pending';
CREATE INDEX notifications_read ON notifications (read_at) WHERE read_at IS NOT NULL;
CREATE INDEX notifications_created ON notifications (created_at);
CREATE INDEX notification_jobs_done ON notification_jobs (done_at) WHERE done_at IS NOT NULL;
