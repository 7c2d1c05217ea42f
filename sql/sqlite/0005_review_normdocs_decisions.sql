-- SQLite-only part of 0005: full-text search over the title and text of
-- normative documents. FTS5 with the trigram tokenizer (SQLite >= 3.34)
-- matches any run of three or more characters, which suits Chinese, where
-- words are not separated by spaces; shorter queries fall back to LIKE on
-- the tables (src/domain/normdocs/normdocs_store.c). Triggers keep the index
-- in step with case_file.title and normdoc.body_text.
--
-- PostgreSQL will do the same with pg_trgm in its own sql/pg/0005 file:
--   CREATE EXTENSION IF NOT EXISTS pg_trgm;
--   CREATE INDEX normdoc_text_trgm ON normdoc USING gin (body_text gin_trgm_ops);
--   CREATE INDEX case_file_title_trgm ON case_file USING gin (title gin_trgm_ops);
-- and the store's LIKE branch (ILIKE '%词%'), which those indexes serve for
-- three or more characters; pg_trgm needs a UTF-8 database whose LC_CTYPE
-- classifies Chinese characters as letters (zh_CN.UTF-8 or C.UTF-8, not C).
CREATE VIRTUAL TABLE normdoc_fts USING fts5(title, body, tokenize = 'trigram');

CREATE TRIGGER normdoc_fts_insert AFTER INSERT ON normdoc
BEGIN
	INSERT INTO normdoc_fts (rowid, title, body)
		SELECT NEW.case_id, c.title, NEW.body_text FROM case_file c WHERE c.id = NEW.case_id;
END;
CREATE TRIGGER normdoc_fts_text AFTER UPDATE OF body_text ON normdoc
BEGIN
	UPDATE normdoc_fts SET body = NEW.body_text WHERE rowid = NEW.case_id;
END;
CREATE TRIGGER normdoc_fts_title AFTER UPDATE OF title ON case_file WHEN NEW.kind = 'normdoc'
BEGIN
	UPDATE normdoc_fts SET title = NEW.title WHERE rowid = NEW.id;
END;
