/** The audit log's facts both sides share: its default retention and when the prune runs. */

/** Days an audit event is kept when the config does not say (`defineAuth(..., { audit: { retentionDays } })`). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/** The Cron Trigger provisioned with the Worker: once a day, at a quiet minute, it prunes old events. */
export const AUDIT_PRUNE_CRON = "17 3 * * *";
