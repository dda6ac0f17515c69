CREATE TABLE `accountAttempt` (
	`key` text PRIMARY KEY NOT NULL,
	`windowStart` integer NOT NULL,
	`attempts` integer NOT NULL,
	`refused` integer DEFAULT 0 NOT NULL,
	`nextAllowedAt` integer NOT NULL,
	`notifiedAt` integer
);
