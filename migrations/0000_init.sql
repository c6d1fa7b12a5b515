CREATE TABLE `customer_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`user_id` integer NOT NULL,
	`referred_by_id` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`referred_by_id`) REFERENCES `referrals`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_profiles_uuid_unique` ON `customer_profiles` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `customer_profiles_user_unique` ON `customer_profiles` (`user_id`) WHERE "customer_profiles"."is_deleted" = 0;--> statement-breakpoint
CREATE INDEX `customer_profiles_referred_by_idx` ON `customer_profiles` (`referred_by_id`);--> statement-breakpoint
CREATE TABLE `departments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `designations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `org_branches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text DEFAULT '' NOT NULL,
	`referrer_id` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`referrer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `referrals_referrer_idx` ON `referrals` (`referrer_id`);--> statement-breakpoint
CREATE TABLE `staff_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`user_id` integer,
	`department_id` integer,
	`designation_id` integer,
	`branch_id` integer,
	`assigned_to_id` integer,
	`created_by_id` integer,
	`role_id` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`designation_id`) REFERENCES `designations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`branch_id`) REFERENCES `org_branches`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assigned_to_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`role_id`) REFERENCES `staff_roles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_profiles_uuid_unique` ON `staff_profiles` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `staff_profiles_user_unique` ON `staff_profiles` (`user_id`) WHERE "staff_profiles"."is_deleted" = 0;--> statement-breakpoint
CREATE INDEX `staff_profiles_department_idx` ON `staff_profiles` (`department_id`);--> statement-breakpoint
CREATE INDEX `staff_profiles_designation_idx` ON `staff_profiles` (`designation_id`);--> statement-breakpoint
CREATE INDEX `staff_profiles_branch_idx` ON `staff_profiles` (`branch_id`);--> statement-breakpoint
CREATE INDEX `staff_profiles_assigned_to_idx` ON `staff_profiles` (`assigned_to_id`);--> statement-breakpoint
CREATE INDEX `staff_profiles_created_by_idx` ON `staff_profiles` (`created_by_id`);--> statement-breakpoint
CREATE INDEX `staff_profiles_role_idx` ON `staff_profiles` (`role_id`);--> statement-breakpoint
CREATE TABLE `staff_role_tags` (
	`role_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`role_id`, `tag_id`),
	FOREIGN KEY (`role_id`) REFERENCES `staff_roles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `user_tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `staff_role_tags_tag_idx` ON `staff_role_tags` (`tag_id`);--> statement-breakpoint
CREATE TABLE `staff_roles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`dashboard_url` text,
	`is_virtual` integer DEFAULT false NOT NULL,
	`prompt_context` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_roles_uuid_unique` ON `staff_roles` (`uuid`);--> statement-breakpoint
CREATE INDEX `staff_roles_is_virtual_idx` ON `staff_roles` (`is_virtual`,`is_deleted`);--> statement-breakpoint
CREATE TABLE `user_tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `assistant_chat_rate` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`window` integer NOT NULL,
	`count` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `assistant_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`role_id` integer NOT NULL,
	`message` text NOT NULL,
	`reply` text NOT NULL,
	`used_gpt` integer DEFAULT false NOT NULL,
	`model` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`role_id`) REFERENCES `staff_roles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `assistant_logs_user_idx` ON `assistant_logs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `assistant_logs_role_idx` ON `assistant_logs` (`role_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `assistant_settings` (
	`role_id` integer PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `staff_roles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `default_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`role_id` integer NOT NULL,
	`condition` text DEFAULT '' NOT NULL,
	`fallback_text` text NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `staff_roles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `default_responses_role_idx` ON `default_responses` (`role_id`,`id`);--> statement-breakpoint
CREATE TABLE `va_commands` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`role_id` integer NOT NULL,
	`trigger` text NOT NULL,
	`match_type` text DEFAULT 'exact' NOT NULL,
	`response_mode` text DEFAULT 'text' NOT NULL,
	`response_text` text DEFAULT '' NOT NULL,
	`api_endpoint` text DEFAULT '' NOT NULL,
	`requires_auth` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `staff_roles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `va_commands_role_idx` ON `va_commands` (`role_id`,`id`);--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` text PRIMARY KEY NOT NULL,
	`space_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` integer NOT NULL,
	`booking_type` text NOT NULL,
	`start` text NOT NULL,
	`end` text NOT NULL,
	`guests` integer DEFAULT 1 NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'confirmed' NOT NULL,
	`price_unit` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price` integer NOT NULL,
	`subtotal` integer NOT NULL,
	`total` integer NOT NULL,
	`checked_in_at` text,
	`checked_in_by` integer,
	`cancelled_at` text,
	`cancelled_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `workspace_spaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`checked_in_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`cancelled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "bookings_interval_check" CHECK("bookings"."start" < "bookings"."end"),
	CONSTRAINT "bookings_guests_check" CHECK("bookings"."guests" >= 1)
);
--> statement-breakpoint
CREATE INDEX `bookings_space_slot_idx` ON `bookings` (`space_id`,`status`,`start`,`end`);--> statement-breakpoint
CREATE INDEX `bookings_user_idx` ON `bookings` (`user_id`,`start`);--> statement-breakpoint
CREATE INDEX `bookings_workspace_idx` ON `bookings` (`workspace_id`,`start`);--> statement-breakpoint
CREATE INDEX `bookings_checked_in_by_idx` ON `bookings` (`checked_in_by`);--> statement-breakpoint
CREATE INDEX `bookings_cancelled_by_idx` ON `bookings` (`cancelled_by`);--> statement-breakpoint
CREATE TABLE `chat_channel_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`is_admin` integer DEFAULT false NOT NULL,
	`joined_at` text NOT NULL,
	`last_read_at` text,
	FOREIGN KEY (`channel_id`) REFERENCES `chat_channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_channel_members_pair_unique` ON `chat_channel_members` (`channel_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `chat_channel_members_user_idx` ON `chat_channel_members` (`user_id`,`channel_id`);--> statement-breakpoint
CREATE TABLE `chat_channel_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`channel_id` integer NOT NULL,
	`sender_id` integer,
	`content` text DEFAULT '' NOT NULL,
	`timestamp` text NOT NULL,
	FOREIGN KEY (`channel_id`) REFERENCES `chat_channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sender_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_channel_messages_uuid_unique` ON `chat_channel_messages` (`uuid`);--> statement-breakpoint
CREATE INDEX `chat_channel_messages_channel_ts_idx` ON `chat_channel_messages` (`channel_id`,`timestamp`,`id`);--> statement-breakpoint
CREATE INDEX `chat_channel_messages_sender_idx` ON `chat_channel_messages` (`sender_id`);--> statement-breakpoint
CREATE TABLE `chat_channels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`name` text NOT NULL,
	`type` text DEFAULT 'public' NOT NULL,
	`is_private` integer DEFAULT false NOT NULL,
	`created_by_id` integer,
	`description` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_channels_uuid_unique` ON `chat_channels` (`uuid`);--> statement-breakpoint
CREATE INDEX `chat_channels_created_by_idx` ON `chat_channels` (`created_by_id`);--> statement-breakpoint
CREATE INDEX `chat_channels_private_idx` ON `chat_channels` (`is_private`);--> statement-breakpoint
CREATE TABLE `chat_direct_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`thread_id` integer NOT NULL,
	`sender_id` integer,
	`content` text DEFAULT '' NOT NULL,
	`timestamp` text NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `chat_direct_threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sender_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_direct_messages_uuid_unique` ON `chat_direct_messages` (`uuid`);--> statement-breakpoint
CREATE INDEX `chat_direct_messages_thread_ts_idx` ON `chat_direct_messages` (`thread_id`,`timestamp`,`id`);--> statement-breakpoint
CREATE INDEX `chat_direct_messages_sender_idx` ON `chat_direct_messages` (`sender_id`);--> statement-breakpoint
CREATE TABLE `chat_direct_threads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`user_1_id` integer NOT NULL,
	`user_2_id` integer NOT NULL,
	FOREIGN KEY (`user_1_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_2_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_direct_threads_uuid_unique` ON `chat_direct_threads` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `chat_direct_threads_pair_unique` ON `chat_direct_threads` (`user_1_id`,`user_2_id`) WHERE is_deleted = 0;--> statement-breakpoint
CREATE INDEX `chat_direct_threads_user_2_idx` ON `chat_direct_threads` (`user_2_id`);--> statement-breakpoint
CREATE TABLE `chat_thread_reads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`thread_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`last_read_at` text,
	FOREIGN KEY (`thread_id`) REFERENCES `chat_direct_threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_thread_reads_pair_unique` ON `chat_thread_reads` (`thread_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `chat_thread_reads_user_idx` ON `chat_thread_reads` (`user_id`);--> statement-breakpoint
CREATE TABLE `media_assets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`caption` text DEFAULT '' NOT NULL,
	`alt_text` text DEFAULT '' NOT NULL,
	`asset_type` text DEFAULT 'photo' NOT NULL,
	`file` text,
	`external_url` text,
	`size` text DEFAULT '' NOT NULL,
	`dimensions` text DEFAULT '' NOT NULL,
	`category_id` integer,
	`uploaded_by_id` integer,
	FOREIGN KEY (`category_id`) REFERENCES `media_categories`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`uploaded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_assets_uuid_unique` ON `media_assets` (`uuid`);--> statement-breakpoint
CREATE INDEX `media_assets_category_idx` ON `media_assets` (`category_id`);--> statement-breakpoint
CREATE INDEX `media_assets_uploaded_by_idx` ON `media_assets` (`uploaded_by_id`);--> statement-breakpoint
CREATE INDEX `media_assets_asset_type_idx` ON `media_assets` (`asset_type`);--> statement-breakpoint
CREATE INDEX `media_assets_created_at_idx` ON `media_assets` (`created_at`);--> statement-breakpoint
CREATE INDEX `media_assets_title_idx` ON `media_assets` (`title`);--> statement-breakpoint
CREATE TABLE `media_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_categories_uuid_unique` ON `media_categories` (`uuid`);--> statement-breakpoint
CREATE INDEX `media_categories_name_idx` ON `media_categories` (`name`);--> statement-breakpoint
CREATE TABLE `lead_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`type` text NOT NULL,
	`date` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`outcome` text DEFAULT '' NOT NULL,
	`next_follow_up` text,
	`lead_id` integer NOT NULL,
	`created_by_id` integer,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lead_actions_uuid_unique` ON `lead_actions` (`uuid`);--> statement-breakpoint
CREATE INDEX `lead_actions_lead_idx` ON `lead_actions` (`lead_id`,`is_deleted`);--> statement-breakpoint
CREATE INDEX `lead_actions_created_by_idx` ON `lead_actions` (`created_by_id`);--> statement-breakpoint
CREATE TABLE `leads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`business_name` text NOT NULL,
	`contact_name` text DEFAULT '' NOT NULL,
	`contact_phone` text NOT NULL,
	`contact_email` text,
	`stage` text DEFAULT 'prospect' NOT NULL,
	`source` text DEFAULT '' NOT NULL,
	`products_discussed` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`follow_up_type` text DEFAULT '' NOT NULL,
	`follow_up_date` text,
	`lead_score` integer DEFAULT 0 NOT NULL,
	`priority` text DEFAULT 'medium' NOT NULL,
	`documents` text,
	`tags` text DEFAULT '' NOT NULL,
	`zone_id` integer,
	`assigned_rep_id` integer,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assigned_rep_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leads_uuid_unique` ON `leads` (`uuid`);--> statement-breakpoint
CREATE INDEX `leads_zone_idx` ON `leads` (`zone_id`);--> statement-breakpoint
CREATE INDEX `leads_assigned_rep_idx` ON `leads` (`assigned_rep_id`);--> statement-breakpoint
CREATE INDEX `leads_stage_idx` ON `leads` (`stage`);--> statement-breakpoint
CREATE INDEX `leads_priority_idx` ON `leads` (`priority`);--> statement-breakpoint
CREATE INDEX `leads_source_idx` ON `leads` (`source`);--> statement-breakpoint
CREATE INDEX `leads_lead_score_idx` ON `leads` (`lead_score`);--> statement-breakpoint
CREATE INDEX `leads_follow_up_date_idx` ON `leads` (`follow_up_date`);--> statement-breakpoint
CREATE INDEX `leads_created_at_idx` ON `leads` (`created_at`);--> statement-breakpoint
CREATE INDEX `leads_live_created_idx` ON `leads` (`is_deleted`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `visits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`location` text NOT NULL,
	`date_time` text NOT NULL,
	`business_name` text NOT NULL,
	`contact_name` text DEFAULT '' NOT NULL,
	`contact_phone` text NOT NULL,
	`contact_email` text,
	`products_discussed` text NOT NULL,
	`visit_outcome` text DEFAULT '' NOT NULL,
	`feedback_notes` text DEFAULT '' NOT NULL,
	`follow_up_type` text DEFAULT '' NOT NULL,
	`follow_up_date` text,
	`next_step_agreed` text DEFAULT '' NOT NULL,
	`prompt_given` integer DEFAULT false NOT NULL,
	`customer_agreed_contact` integer DEFAULT true NOT NULL,
	`add_as_lead` integer DEFAULT false NOT NULL,
	`code_verified` integer DEFAULT false NOT NULL,
	`rep_id` integer,
	`zone_id` integer,
	`linked_lead_id` integer,
	FOREIGN KEY (`rep_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`linked_lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `visits_uuid_unique` ON `visits` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `visits_linked_lead_unique` ON `visits` (`linked_lead_id`) WHERE "visits"."linked_lead_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `visits_rep_idx` ON `visits` (`rep_id`);--> statement-breakpoint
CREATE INDEX `visits_zone_idx` ON `visits` (`zone_id`);--> statement-breakpoint
CREATE INDEX `visits_visit_outcome_idx` ON `visits` (`visit_outcome`);--> statement-breakpoint
CREATE INDEX `visits_date_time_idx` ON `visits` (`date_time`);--> statement-breakpoint
CREATE TABLE `zones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`name` text NOT NULL,
	`region` text,
	`created_by_id` integer,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `zones_uuid_unique` ON `zones` (`uuid`);--> statement-breakpoint
CREATE INDEX `zones_created_by_idx` ON `zones` (`created_by_id`);--> statement-breakpoint
CREATE INDEX `zones_is_deleted_idx` ON `zones` (`is_deleted`);--> statement-breakpoint
CREATE TABLE `finance_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`name` text NOT NULL,
	`number` text DEFAULT '' NOT NULL,
	`type` text NOT NULL,
	`balance` integer DEFAULT 0 NOT NULL,
	`currency` text DEFAULT 'UGX' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finance_accounts_uuid_unique` ON `finance_accounts` (`uuid`);--> statement-breakpoint
CREATE INDEX `finance_accounts_type_idx` ON `finance_accounts` (`type`);--> statement-breakpoint
CREATE INDEX `finance_accounts_currency_idx` ON `finance_accounts` (`currency`);--> statement-breakpoint
CREATE INDEX `finance_accounts_name_idx` ON `finance_accounts` (`name`);--> statement-breakpoint
CREATE TABLE `finance_goal_milestones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`amount` integer NOT NULL,
	`notify` integer DEFAULT true NOT NULL,
	`is_reached` integer DEFAULT false NOT NULL,
	`notified` integer DEFAULT false NOT NULL,
	`goal_id` integer NOT NULL,
	FOREIGN KEY (`goal_id`) REFERENCES `finance_goals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `finance_goal_milestones_goal_idx` ON `finance_goal_milestones` (`goal_id`);--> statement-breakpoint
CREATE TABLE `finance_goals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`title` text NOT NULL,
	`target_amount` integer NOT NULL,
	`current_amount` integer DEFAULT 0 NOT NULL,
	`due_date` text NOT NULL,
	`owner_id` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finance_goals_uuid_unique` ON `finance_goals` (`uuid`);--> statement-breakpoint
CREATE INDEX `finance_goals_owner_idx` ON `finance_goals` (`owner_id`);--> statement-breakpoint
CREATE INDEX `finance_goals_due_date_idx` ON `finance_goals` (`due_date`);--> statement-breakpoint
CREATE TABLE `finance_invoices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`number` text NOT NULL,
	`party_id` integer NOT NULL,
	`direction` text NOT NULL,
	`total_amount` integer NOT NULL,
	`paid_amount` integer DEFAULT 0 NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`issued_date` text NOT NULL,
	`due_date` text NOT NULL,
	`is_paid` integer DEFAULT false NOT NULL,
	`related_file` text,
	FOREIGN KEY (`party_id`) REFERENCES `finance_parties`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "finance_invoices_not_overpaid" CHECK("finance_invoices"."paid_amount" <= "finance_invoices"."total_amount")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finance_invoices_uuid_unique` ON `finance_invoices` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `finance_invoices_number_unique` ON `finance_invoices` (`number`);--> statement-breakpoint
CREATE INDEX `finance_invoices_party_idx` ON `finance_invoices` (`party_id`);--> statement-breakpoint
CREATE INDEX `finance_invoices_direction_idx` ON `finance_invoices` (`direction`);--> statement-breakpoint
CREATE INDEX `finance_invoices_is_paid_idx` ON `finance_invoices` (`is_paid`);--> statement-breakpoint
CREATE INDEX `finance_invoices_issued_date_idx` ON `finance_invoices` (`issued_date`);--> statement-breakpoint
CREATE INDEX `finance_invoices_due_date_idx` ON `finance_invoices` (`due_date`);--> statement-breakpoint
CREATE TABLE `finance_parties` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`phone` text DEFAULT '' NOT NULL,
	`type` text NOT NULL,
	`is_internal_user` integer DEFAULT false NOT NULL,
	`user_id` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finance_parties_uuid_unique` ON `finance_parties` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `finance_parties_user_unique` ON `finance_parties` (`user_id`);--> statement-breakpoint
CREATE INDEX `finance_parties_type_idx` ON `finance_parties` (`type`);--> statement-breakpoint
CREATE INDEX `finance_parties_name_idx` ON `finance_parties` (`name`);--> statement-breakpoint
CREATE TABLE `finance_payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`direction` text NOT NULL,
	`amount` integer NOT NULL,
	`receipt_file` text,
	`notes` text DEFAULT '' NOT NULL,
	`party_id` integer NOT NULL,
	`invoice_id` integer,
	`requisition_id` integer,
	`account_id` integer,
	`goal_id` integer,
	`transaction_id` integer,
	FOREIGN KEY (`party_id`) REFERENCES `finance_parties`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`invoice_id`) REFERENCES `finance_invoices`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`requisition_id`) REFERENCES `finance_requisitions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`account_id`) REFERENCES `finance_accounts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`goal_id`) REFERENCES `finance_goals`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`transaction_id`) REFERENCES `finance_transactions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finance_payments_uuid_unique` ON `finance_payments` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `finance_payments_requisition_unique` ON `finance_payments` (`requisition_id`);--> statement-breakpoint
CREATE INDEX `finance_payments_party_idx` ON `finance_payments` (`party_id`);--> statement-breakpoint
CREATE INDEX `finance_payments_invoice_idx` ON `finance_payments` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `finance_payments_account_idx` ON `finance_payments` (`account_id`);--> statement-breakpoint
CREATE INDEX `finance_payments_goal_idx` ON `finance_payments` (`goal_id`);--> statement-breakpoint
CREATE INDEX `finance_payments_direction_idx` ON `finance_payments` (`direction`);--> statement-breakpoint
CREATE INDEX `finance_payments_transaction_idx` ON `finance_payments` (`transaction_id`);--> statement-breakpoint
CREATE TABLE `finance_requisitions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`urgency` text DEFAULT 'medium' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`amount` integer NOT NULL,
	`purpose` text NOT NULL,
	`comments` text DEFAULT '' NOT NULL,
	`date_approved` text,
	`requested_by_id` integer,
	`approved_by_id` integer,
	FOREIGN KEY (`requested_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`approved_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finance_requisitions_uuid_unique` ON `finance_requisitions` (`uuid`);--> statement-breakpoint
CREATE INDEX `finance_requisitions_status_idx` ON `finance_requisitions` (`status`);--> statement-breakpoint
CREATE INDEX `finance_requisitions_requested_by_idx` ON `finance_requisitions` (`requested_by_id`);--> statement-breakpoint
CREATE INDEX `finance_requisitions_approved_by_idx` ON `finance_requisitions` (`approved_by_id`);--> statement-breakpoint
CREATE TABLE `finance_transactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`type` text NOT NULL,
	`amount` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`category` text NOT NULL,
	`date` text NOT NULL,
	`is_automated` integer DEFAULT false NOT NULL,
	`account_id` integer,
	`related_invoice_id` integer,
	`related_requisition_id` integer,
	`related_payment_id` integer,
	`posted_account_id` integer,
	`posted_amount` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `finance_accounts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`related_invoice_id`) REFERENCES `finance_invoices`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`related_requisition_id`) REFERENCES `finance_requisitions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`related_payment_id`) REFERENCES `finance_payments`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finance_transactions_uuid_unique` ON `finance_transactions` (`uuid`);--> statement-breakpoint
CREATE INDEX `finance_transactions_date_idx` ON `finance_transactions` (`date`);--> statement-breakpoint
CREATE INDEX `finance_transactions_account_idx` ON `finance_transactions` (`account_id`);--> statement-breakpoint
CREATE INDEX `finance_transactions_type_idx` ON `finance_transactions` (`type`);--> statement-breakpoint
CREATE INDEX `finance_transactions_category_idx` ON `finance_transactions` (`category`);--> statement-breakpoint
CREATE INDEX `finance_transactions_related_invoice_idx` ON `finance_transactions` (`related_invoice_id`);--> statement-breakpoint
CREATE INDEX `finance_transactions_related_requisition_idx` ON `finance_transactions` (`related_requisition_id`);--> statement-breakpoint
CREATE INDEX `finance_transactions_related_payment_idx` ON `finance_transactions` (`related_payment_id`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`queue` text NOT NULL,
	`event_id` text,
	`body` text,
	`reason` text,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_event_unique` ON `dead_letters` (`queue`,`event_id`);--> statement-breakpoint
CREATE INDEX `dead_letters_received_idx` ON `dead_letters` (`received_at`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recipient_id` integer NOT NULL,
	`actor_id` integer,
	`verb` text NOT NULL,
	`url` text DEFAULT '' NOT NULL,
	`target_type` text,
	`target_id` text,
	`is_read` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`event_id` text NOT NULL,
	FOREIGN KEY (`recipient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_event_unique` ON `notifications` (`event_id`);--> statement-breakpoint
CREATE INDEX `notifications_recipient_created_idx` ON `notifications` (`recipient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_recipient_read_idx` ON `notifications` (`recipient_id`,`is_read`);--> statement-breakpoint
CREATE INDEX `notifications_actor_idx` ON `notifications` (`actor_id`);--> statement-breakpoint
CREATE TABLE `project_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`project_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`content` text NOT NULL,
	`is_internal` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_comments_uuid_unique` ON `project_comments` (`uuid`);--> statement-breakpoint
CREATE INDEX `project_comments_project_idx` ON `project_comments` (`project_id`);--> statement-breakpoint
CREATE INDEX `project_comments_user_idx` ON `project_comments` (`user_id`);--> statement-breakpoint
CREATE TABLE `project_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`project_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`role` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_members_uuid_unique` ON `project_members` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `project_members_project_user_unique` ON `project_members` (`project_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `project_members_user_idx` ON `project_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `project_milestones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`project_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`due_date` text NOT NULL,
	`completed` integer DEFAULT false NOT NULL,
	`reward` text DEFAULT '' NOT NULL,
	`achievement_date` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_milestones_uuid_unique` ON `project_milestones` (`uuid`);--> statement-breakpoint
CREATE INDEX `project_milestones_project_idx` ON `project_milestones` (`project_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`client_name` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'planning' NOT NULL,
	`priority` text DEFAULT 'medium' NOT NULL,
	`start_date` text NOT NULL,
	`due_date` text NOT NULL,
	`estimated_hours` integer,
	`actual_hours` integer DEFAULT 0 NOT NULL,
	`budget` integer,
	`completion_percentage` integer DEFAULT 0 NOT NULL,
	`tags` text NOT NULL,
	`created_by_id` integer NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_uuid_unique` ON `projects` (`uuid`);--> statement-breakpoint
CREATE INDEX `projects_created_by_idx` ON `projects` (`created_by_id`);--> statement-breakpoint
CREATE INDEX `projects_status_idx` ON `projects` (`status`);--> statement-breakpoint
CREATE INDEX `projects_priority_idx` ON `projects` (`priority`);--> statement-breakpoint
CREATE INDEX `projects_due_date_idx` ON `projects` (`due_date`);--> statement-breakpoint
CREATE TABLE `post_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`content` text NOT NULL,
	`post_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `social_posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_comments_uuid_unique` ON `post_comments` (`uuid`);--> statement-breakpoint
CREATE INDEX `post_comments_post_idx` ON `post_comments` (`post_id`);--> statement-breakpoint
CREATE INDEX `post_comments_author_idx` ON `post_comments` (`author_id`);--> statement-breakpoint
CREATE TABLE `social_metrics` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`shares` integer DEFAULT 0 NOT NULL,
	`comments` integer DEFAULT 0 NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`engagement_score` integer DEFAULT 0 NOT NULL,
	`post_id` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `social_posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `social_metrics_uuid_unique` ON `social_metrics` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `social_metrics_post_id_unique` ON `social_metrics` (`post_id`);--> statement-breakpoint
CREATE TABLE `social_platform_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`platform` text NOT NULL,
	`followers` integer DEFAULT 0 NOT NULL,
	`posts_made` integer DEFAULT 0 NOT NULL,
	`last_synced` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `social_platform_profiles_uuid_unique` ON `social_platform_profiles` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `social_platform_profiles_platform_unique` ON `social_platform_profiles` (`platform`);--> statement-breakpoint
CREATE TABLE `social_posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`title` text NOT NULL,
	`content_text` text NOT NULL,
	`platform` text NOT NULL,
	`scheduled_for` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`approved_at` text,
	`internal_notes` text DEFAULT '' NOT NULL,
	`reminder_at` text,
	`assigned_to_id` integer,
	`reviewer_id` integer,
	FOREIGN KEY (`assigned_to_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `social_posts_uuid_unique` ON `social_posts` (`uuid`);--> statement-breakpoint
CREATE INDEX `social_posts_platform_idx` ON `social_posts` (`platform`);--> statement-breakpoint
CREATE INDEX `social_posts_status_idx` ON `social_posts` (`status`);--> statement-breakpoint
CREATE INDEX `social_posts_assigned_to_status_idx` ON `social_posts` (`assigned_to_id`,`status`);--> statement-breakpoint
CREATE INDEX `social_posts_reviewer_idx` ON `social_posts` (`reviewer_id`);--> statement-breakpoint
CREATE INDEX `social_posts_scheduled_for_idx` ON `social_posts` (`scheduled_for`);--> statement-breakpoint
CREATE INDEX `social_posts_created_at_idx` ON `social_posts` (`created_at`);--> statement-breakpoint
CREATE TABLE `task_dependencies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` integer NOT NULL,
	`depends_on_id` integer NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`depends_on_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `task_dependencies_pair_unique` ON `task_dependencies` (`task_id`,`depends_on_id`);--> statement-breakpoint
CREATE INDEX `task_dependencies_depends_on_idx` ON `task_dependencies` (`depends_on_id`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`is_deleted` integer DEFAULT false NOT NULL,
	`uuid` text NOT NULL,
	`project_id` integer,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'todo' NOT NULL,
	`priority` text DEFAULT 'medium' NOT NULL,
	`due_date` text,
	`estimated_hours` integer,
	`actual_hours` integer DEFAULT 0,
	`assigned_to_id` integer,
	`milestone_id` integer,
	`origin_app` text DEFAULT '' NOT NULL,
	`created_by_id` integer,
	`tags` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`is_completed` integer DEFAULT false NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assigned_to_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`milestone_id`) REFERENCES `project_milestones`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_uuid_unique` ON `tasks` (`uuid`);--> statement-breakpoint
CREATE INDEX `tasks_project_order_idx` ON `tasks` (`project_id`,`is_completed`,`position`,`due_date`);--> statement-breakpoint
CREATE INDEX `tasks_order_idx` ON `tasks` (`is_completed`,`position`,`due_date`);--> statement-breakpoint
CREATE INDEX `tasks_assigned_to_idx` ON `tasks` (`assigned_to_id`,`is_completed`);--> statement-breakpoint
CREATE INDEX `tasks_created_by_idx` ON `tasks` (`created_by_id`);--> statement-breakpoint
CREATE INDEX `tasks_milestone_idx` ON `tasks` (`milestone_id`);--> statement-breakpoint
CREATE INDEX `tasks_status_idx` ON `tasks` (`status`);--> statement-breakpoint
CREATE INDEX `tasks_priority_idx` ON `tasks` (`priority`);--> statement-breakpoint
CREATE INDEX `tasks_due_date_idx` ON `tasks` (`due_date`);--> statement-breakpoint
CREATE TABLE `dev_mailbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dev_mailbox_message_unique` ON `dev_mailbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `dev_mailbox_to_idx` ON `dev_mailbox` (`to`,`id`);--> statement-breakpoint
CREATE TABLE `refresh_tokens` (
	`jti` text PRIMARY KEY NOT NULL,
	`family` text NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `refresh_tokens_family_idx` ON `refresh_tokens` (`family`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_user_idx` ON `refresh_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `user_preferences` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`dark_mode` integer DEFAULT true NOT NULL,
	`language` text DEFAULT 'en' NOT NULL,
	`daily_summary` integer DEFAULT true NOT NULL,
	`email_notifications` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text NOT NULL,
	`username` text NOT NULL,
	`email` text NOT NULL,
	`phone` text,
	`password` text DEFAULT '' NOT NULL,
	`full_name` text DEFAULT '' NOT NULL,
	`first_name` text DEFAULT '' NOT NULL,
	`last_name` text DEFAULT '' NOT NULL,
	`role` text DEFAULT 'Staff' NOT NULL,
	`is_verified` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`is_staff` integer DEFAULT false NOT NULL,
	`avatar` text,
	`avatar_url` text,
	`bio` text,
	`google_id` text,
	`force_password_change` integer DEFAULT false NOT NULL,
	`total_tasks_completed` integer DEFAULT 0 NOT NULL,
	`streak_days` integer DEFAULT 0 NOT NULL,
	`current_streak_started` text,
	`last_seen` text,
	`last_login` text,
	`date_joined` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_uuid_unique` ON `users` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_lower_unique` ON `users` (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX `users_phone_unique` ON `users` (`phone`);--> statement-breakpoint
CREATE INDEX `users_google_id_idx` ON `users` (`google_id`);--> statement-breakpoint
CREATE TABLE `workspace_branches` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`manager_id` integer,
	`operating_hours` text,
	`images` text NOT NULL,
	`email` text,
	`phone` text,
	`address` text DEFAULT '' NOT NULL,
	`city` text DEFAULT '' NOT NULL,
	`state` text,
	`country` text DEFAULT '' NOT NULL,
	`postal_code` text,
	`latitude` real,
	`longitude` real,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`manager_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_branches_name_unique` ON `workspace_branches` (`workspace_id`,`name`);--> statement-breakpoint
CREATE INDEX `workspace_branches_workspace_idx` ON `workspace_branches` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `workspace_branches_manager_idx` ON `workspace_branches` (`manager_id`);--> statement-breakpoint
CREATE TABLE `workspace_members` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` integer NOT NULL,
	`role` text DEFAULT 'staff' NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`joined_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_members_unique` ON `workspace_members` (`workspace_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `workspace_members_user_idx` ON `workspace_members` (`user_id`,`is_active`);--> statement-breakpoint
CREATE TABLE `workspace_spaces` (
	`id` text PRIMARY KEY NOT NULL,
	`branch_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`space_type` text NOT NULL,
	`capacity` integer NOT NULL,
	`price_per_hour` integer NOT NULL,
	`daily_rate` integer,
	`monthly_rate` integer,
	`image_url` text,
	`amenities` text NOT NULL,
	`rules` text,
	`cancellation_policy` text,
	`operational_hours` text,
	`availability_schedule` text,
	`is_available` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`branch_id`) REFERENCES `workspace_branches`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "workspace_spaces_capacity_check" CHECK("workspace_spaces"."capacity" >= 1),
	CONSTRAINT "workspace_spaces_rates_check" CHECK("workspace_spaces"."price_per_hour" >= 0 AND coalesce("workspace_spaces"."daily_rate", 0) >= 0 AND coalesce("workspace_spaces"."monthly_rate", 0) >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_spaces_name_unique` ON `workspace_spaces` (`branch_id`,`name`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`admin_id` integer NOT NULL,
	`logo_url` text,
	`website` text,
	`email` text,
	`phone` text DEFAULT '' NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`city` text DEFAULT '' NOT NULL,
	`state` text,
	`country` text DEFAULT '' NOT NULL,
	`postal_code` text,
	`social_media_links` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`via_onboarding` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`admin_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_name_unique` ON `workspaces` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_email_unique` ON `workspaces` (`email`);--> statement-breakpoint
CREATE INDEX `workspaces_admin_idx` ON `workspaces` (`admin_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_onboarding_once` ON `workspaces` (`admin_id`) WHERE via_onboarding = 1;