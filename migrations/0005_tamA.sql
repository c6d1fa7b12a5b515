-- tamA (issue 16, search): `?search=` on leads finds its rows through an FTS5 index with the trigram
-- tokenizer (substring matches, case folded) instead of reading every lead. External content: the
-- index reads column values from `leads` and stores only the trigrams; the triggers keep it in step
-- with every write to `leads` inside that write's own statement (so in its batch and transaction),
-- whichever code path writes (the resource kit, convert_to_lead, seeds). Declared on the resource as
-- `searchIndex: 'leads_search'` with the same columns in the same order as its `search`.
CREATE VIRTUAL TABLE `leads_search` USING fts5(business_name, contact_name, contact_phone, content='leads', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `leads_search_ai` AFTER INSERT ON `leads` BEGIN
  INSERT INTO `leads_search` (rowid, business_name, contact_name, contact_phone)
  VALUES (new.id, new.business_name, new.contact_name, new.contact_phone);
END;
--> statement-breakpoint
CREATE TRIGGER `leads_search_ad` AFTER DELETE ON `leads` BEGIN
  INSERT INTO `leads_search` (`leads_search`, rowid, business_name, contact_name, contact_phone)
  VALUES ('delete', old.id, old.business_name, old.contact_name, old.contact_phone);
END;
--> statement-breakpoint
CREATE TRIGGER `leads_search_au` AFTER UPDATE OF business_name, contact_name, contact_phone ON `leads` BEGIN
  INSERT INTO `leads_search` (`leads_search`, rowid, business_name, contact_name, contact_phone)
  VALUES ('delete', old.id, old.business_name, old.contact_name, old.contact_phone);
  INSERT INTO `leads_search` (rowid, business_name, contact_name, contact_phone)
  VALUES (new.id, new.business_name, new.contact_name, new.contact_phone);
END;
--> statement-breakpoint
INSERT INTO `leads_search` (`leads_search`) VALUES ('rebuild');
