-- Edge performance: access tokens carry the user's token version, checked in the request's first D1 round trip.
ALTER TABLE `users` ADD `token_version` integer DEFAULT 0 NOT NULL;
