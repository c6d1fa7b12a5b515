-- Identity and deployment security (issue 14): token versions, reset codes and one-time links in D1,
-- usernames that are not emails, dead letters without message texts.

-- Access tokens carry `tv`; a password reset/change, deactivation or role change bumps it.
ALTER TABLE `users` ADD `token_version` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE TABLE `password_reset_codes` (
	`email_hash` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`issued_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`used_at` integer,
	`consumed_by` text,
	`window_started_at` integer NOT NULL,
	`sends_in_window` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `password_reset_codes_window_idx` ON `password_reset_codes` (`window_started_at`);
--> statement-breakpoint
CREATE TABLE `used_link_tokens` (
	`jti` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer NOT NULL,
	`nonce` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `used_link_tokens_expires_idx` ON `used_link_tokens` (`expires_at`);
--> statement-breakpoint
CREATE INDEX `used_link_tokens_user_idx` ON `used_link_tokens` (`user_id`);
--> statement-breakpoint
-- Usernames derived from emails (workspace and Google sign-ups) become the local part plus a random
-- suffix: a username may no longer be or look like an email.
UPDATE `users` SET `username` = substr(`username`, 1, instr(`username`, '@') - 1) || '-' || lower(hex(randomblob(4)))
WHERE instr(`username`, '@') > 0;
--> statement-breakpoint
-- Dead letters keep metadata only: drop mail texts (reset codes, links) and addresses already stored.
UPDATE `dead_letters` SET `body` = json_remove(`body`, '$.text', '$.to', '$.email.text')
WHERE json_valid(`body`) AND json_type(`body`) = 'object';
