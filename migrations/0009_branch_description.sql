-- Issue 20 item 8: an omitted branch description is null, as the original answers. The old
-- `description` column is NOT NULL DEFAULT ''; SQLite cannot drop a NOT NULL in place, and rebuilding
-- workspace_branches on D1 would run the implicit DELETE of DROP TABLE, cascading to its spaces and
-- bookings. So the description moves to a nullable column beside it; the old column keeps its
-- default and is no longer read or written.
ALTER TABLE `workspace_branches` ADD `description_text` text;
--> statement-breakpoint
UPDATE `workspace_branches` SET `description_text` = `description`;
