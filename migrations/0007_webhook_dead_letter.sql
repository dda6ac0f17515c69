CREATE TABLE `webhookDeadLetter` (
	`id` text PRIMARY KEY NOT NULL,
	`endpointUrl` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer NOT NULL,
	`lastError` text,
	`failedAt` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhookDeadLetter_failedAt_idx` ON `webhookDeadLetter` (`failedAt`);