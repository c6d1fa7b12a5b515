-- Coworking customers (issue 17): holds, check-out, refunds, reminders; guests with check-in codes; reviews.
ALTER TABLE `bookings` ADD `expires_at` text;--> statement-breakpoint
ALTER TABLE `bookings` ADD `confirmed_at` text;--> statement-breakpoint
ALTER TABLE `bookings` ADD `checked_out_at` text;--> statement-breakpoint
ALTER TABLE `bookings` ADD `checked_out_by` integer REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null;--> statement-breakpoint
ALTER TABLE `bookings` ADD `refund_amount` integer;--> statement-breakpoint
ALTER TABLE `bookings` ADD `reminder_sent_at` text;--> statement-breakpoint
ALTER TABLE `bookings` ADD `reminder_claim` text;--> statement-breakpoint
UPDATE `bookings` SET `confirmed_at` = `created_at` WHERE `status` = 'confirmed';--> statement-breakpoint
CREATE INDEX `bookings_checked_out_by_idx` ON `bookings` (`checked_out_by`);--> statement-breakpoint
CREATE INDEX `bookings_hold_expiry_idx` ON `bookings` (`expires_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `bookings_reminder_due_idx` ON `bookings` (`start`) WHERE status = 'confirmed' AND reminder_sent_at IS NULL;--> statement-breakpoint
CREATE INDEX `bookings_reminder_claim_idx` ON `bookings` (`reminder_claim`) WHERE reminder_claim IS NOT NULL;--> statement-breakpoint
CREATE TABLE `booking_guests` (
	`id` text PRIMARY KEY NOT NULL,
	`booking_id` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`code_hash` text,
	`checked_in_at` text,
	`checked_in_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`checked_in_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `booking_guests_booking_idx` ON `booking_guests` (`booking_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `booking_guests_code_unique` ON `booking_guests` (`code_hash`);--> statement-breakpoint
CREATE INDEX `booking_guests_checked_in_by_idx` ON `booking_guests` (`checked_in_by`);--> statement-breakpoint
CREATE TABLE `booking_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`booking_id` text NOT NULL,
	`space_id` text NOT NULL,
	`user_id` integer NOT NULL,
	`rating` integer NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`space_id`) REFERENCES `workspace_spaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "booking_reviews_rating_check" CHECK("booking_reviews"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `booking_reviews_booking_unique` ON `booking_reviews` (`booking_id`);--> statement-breakpoint
CREATE INDEX `booking_reviews_space_idx` ON `booking_reviews` (`space_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `booking_reviews_user_idx` ON `booking_reviews` (`user_id`);
