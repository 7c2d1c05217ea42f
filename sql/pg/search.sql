-- PostgreSQL's text search indexes: pg_trgm GIN indexes over the text the
-- modules search (the sources of their struct db_search_spec, e.g.
-- normdoc_search in src/domain/normdocs/normdocs_store.c), serving
-- `ILIKE '%词%'` for three or more characters. Not a numbered migration:
-- db_search_setup (src/db/db_search.c) runs it after the migrations at every
-- start, so indexes appear as soon as a DBA installs pg_trgm. Cheap when all
-- is there (catalogue look-ups only, no table lock).
--
-- The application role may create pg_trgm itself (a trusted extension needs
-- CREATE on the database); when it may not, the DBA runs, as superuser,
--   CREATE EXTENSION pg_trgm;   -- in this database (or in template1)
-- and until then search works without the index and the log says so.
-- pg_trgm needs a UTF-8 database whose LC_CTYPE classifies Chinese
-- characters as letters (zh_CN.UTF-8 or C.UTF-8, not C).
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
		BEGIN
			CREATE EXTENSION pg_trgm;
		EXCEPTION WHEN OTHERS THEN
			RETURN;
		END;
	END IF;
	IF to_regclass('normdoc_title_trgm') IS NULL THEN
		CREATE INDEX normdoc_title_trgm ON case_file USING gin (title gin_trgm_ops) WHERE kind = 'normdoc';
	END IF;
	IF to_regclass('normdoc_body_trgm') IS NULL THEN
		CREATE INDEX normdoc_body_trgm ON normdoc USING gin (body_text gin_trgm_ops);
	END IF;
END
$$;
