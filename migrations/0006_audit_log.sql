CREATE TABLE `auditLog` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`userId` text,
	`actorId` text,
	`ip` text,
	`userAgent` text,
	`organizationId` text,
	`method` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `auditLog_userId_at_idx` ON `auditLog` (`userId`,`at`);--> statement-breakpoint
CREATE INDEX `auditLog_type_at_idx` ON `auditLog` (`type`,`at`);--> statement-breakpoint
CREATE INDEX `auditLog_at_idx` ON `auditLog` (`at`);