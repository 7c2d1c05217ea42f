-- SQLite-only part of 0005: full-text search over the title and text of
-- normative documents. FTS5 with the trigram tokenizer (SQLite >= 3.34)
-- matches any run of three or more characters, which suits Chinese, where
-- words are not separated by spaces; shorter queries fall back to LIKE on
-- the tables (src/db/db_search.c). Triggers keep the index
-- in step with case_file.title and normdoc.body_text.
--
-- PostgreSQL does the same with pg_trgm GIN indexes (sql/pg/search.sql);
-- src/db/db_search.c picks the query for each backend.
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
