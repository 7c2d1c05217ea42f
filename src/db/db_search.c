/*
 * Text search of db.h: one declaration of where a module's text lives
 * (struct db_search_spec), and per backend the SQL that finds the ids whose
 * text contains the query: SQLite's FTS5 trigram table for three or more
 * characters and LIKE below that; PostgreSQL's ILIKE, served by the pg_trgm
 * GIN indexes that db_search_setup keeps in place (sql/pg/search.sql).
 */
#include "db_backend.h"

#include <stdio.h>
#include <string.h>

#include "core/embedded.h"
#include "core/log.h"
#include "core/banned.h"

/* Characters (not bytes) of a UTF-8 string. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

char *db_like_contains(const char *q, char *out, size_t outlen)
{
	size_t n = 0;

	if (outlen < 3)
		return NULL;
	out[n++] = '%';
	for (; *q && n + 3 < outlen; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			out[n++] = '\\';
		out[n++] = *q;
	}
	out[n++] = '%';
	out[n] = '\0';
	return *q ? NULL : out;
}

/* q as one FTS5 phrase: "..." with inner quotes doubled (the user's text is never FTS syntax). */
static char *fts_phrase(const char *q, char *out, size_t outlen)
{
	size_t n = 0;

	if (outlen < 3)
		return NULL;
	out[n++] = '"';
	for (; *q && n + 3 < outlen; q++) {
		if (*q == '"')
			out[n++] = '"';
		out[n++] = *q;
	}
	out[n++] = '"';
	out[n] = '\0';
	return *q ? NULL : out;
}

/* Append to out at *len; -1 when it does not fit. */
static int add(char *out, size_t outlen, size_t *len, const char *text)
{
	int n = snprintf(out + *len, outlen - *len, "%s", text);

	if (n < 0 || (size_t)n >= outlen - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

int db_search_prepare(struct db *db, const struct db_search_spec *spec, const char *q, int param,
		      struct db_search *out)
{
	/* ILIKE folds case like SQLite's LIKE and FTS5 (ASCII at least; Chinese has no case). */
	const char *op = !strcmp(db_backend_name(db), "pg") ? "ILIKE" : "LIKE";
	const struct db_search_source *src;
	char ph[16], part[512];
	size_t len = 0;

	snprintf(ph, sizeof(ph), "$%d", param);
	if (spec->fts && !strcmp(db_backend_name(db), "sqlite") && utf8_chars(q) >= 3) {
		snprintf(out->sql, sizeof(out->sql), "SELECT rowid FROM %s WHERE %s MATCH %s", spec->fts, spec->fts, ph);
		return fts_phrase(q, out->arg, sizeof(out->arg)) ? 0 : -1;
	}
	out->sql[0] = '\0';
	for (src = spec->sources; src->table; src++) {
		snprintf(part, sizeof(part), "%sSELECT %s FROM %s WHERE %s%s%s %s %s ESCAPE '\\'",
			 src == spec->sources ? "" : " UNION ", src->id, src->table, src->where ? src->where : "",
			 src->where ? " AND " : "", src->column, op, ph);
		if (add(out->sql, sizeof(out->sql), &len, part) < 0)
			return -1;
	}
	return db_like_contains(q, out->arg, sizeof(out->arg)) ? 0 : -1;
}

int db_search_setup(struct db *db)
{
	const struct embedded_file *f;
	int64_t have = 0;
	int rc;

	if (strcmp(db_backend_name(db), "pg"))
		return 0; /* SQLite's FTS5 tables come with the migrations */
	f = embedded_find("sql/pg/search.sql");
	if (!f || db_exec_script(db, f->data) < 0) {
		log_error("db: text search indexes: %s", f ? db_errmsg(db) : "sql/pg/search.sql missing");
		return -1;
	}
	rc = db_query_int(db, &have, "SELECT COUNT(*) FROM pg_extension WHERE extname = 'pg_trgm'");
	if (rc < 0)
		return -1;
	if (!have)
		log_warn("db: pg_trgm is not installed and this role may not create it: text search scans the "
			 "tables without an index (same results, slower); ask the DBA to run CREATE EXTENSION pg_trgm "
			 "in this database, the indexes follow at the next start");
	return 0;
}
