CREATE TABLE `chat_post_rates` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chat_socket_leases` (
	`sid` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`room_kind` text NOT NULL,
	`room_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `chat_socket_leases_user_idx` ON `chat_socket_leases` (`user_id`,`expires_at`);
