-- Issue 18: photos of a workspace space, ordered; `file` is an R2 key (or a client's URL).
-- Deleting a space (or its branch, or its workspace) cascades here; the routes that delete read the
-- keys in the same batch and queue their removal from R2.
CREATE TABLE `workspace_space_photos` (
	`id` text PRIMARY KEY NOT NULL,
	`space_id` text NOT NULL,
	`file` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `workspace_spaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `workspace_space_photos_space_idx` ON `workspace_space_photos` (`space_id`,`position`);
