/*
 * Write watch (db.h): a process-wide generation number that moves whenever
 * a connection writes one of the watched tables, so that an in-memory copy
 * of data read from them (the session cache, src/http/session_cache.c) can
 * tell it may be stale.
 *
 * The generation moves twice per such write: when the statement is prepared
 * (before it runs, so a request later in the same transaction, e.g. in a
 * group commit, never trusts a copy made before the write) and again when
 * the transaction that ran it ends, or the statement itself when it ran
 * outside one (so a copy read while the write was not yet visible to other
 * connections is not trusted either). A reader notes the generation before
 * it reads; its copy stays valid only while the generation is unchanged.
 *
 * Which statements count: an INSERT, REPLACE, UPDATE or DELETE when the
 * table it writes is watched (whatever its subqueries read: a registration's
 * `INSERT INTO case_party (case_id, role, ...)` names the watched `role` only
 * as a column, and counting it emptied the session cache on every write).
 * Any other writing statement (WITH ... DML, DDL, TRUNCATE) and any script
 * counts when it names a watched table anywhere as a whole word: a false
 * alarm only costs a cache miss. Writes made by triggers are not seen.
 */
#include "db_backend.h"

#include <stdatomic.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static const char *const *watched;      /* NULL-terminated, set before threads start */
static _Atomic uint64_t generation = 1;

void db_watch_tables(const char *const *tables)
{
	watched = tables;
	atomic_fetch_add(&generation, 1);
}

uint64_t db_watch_generation(void)
{
	return atomic_load(&generation);
}

void db_watch_ignore(struct db *db, int on)
{
	db->watch_ignore = on;
}

/* ASCII letters, digits and '_' (SQL identifiers here are ASCII; no locale lookup per byte). */
static int is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The next word of *p (letters, digits, '_'), skipping anything else; its length, 0 at the end. */
static size_t next_word(const char **p, const char **word)
{
	const char *q = *p;

	while (*q && !is_word_char(*q))
		q++;
	*word = q;
	while (is_word_char(*q))
		q++;
	*p = q;
	return (size_t)(q - *word);
}

static int word_is(const char *w, size_t n, const char *keyword)
{
	return strlen(keyword) == n && !strncasecmp(w, keyword, n);
}

/* True when the word w (n bytes) is a watched table's name, in any case. */
static int is_watched(const char *w, size_t n)
{
	const char *const *t;

	for (t = watched; *t; t++)
		if (word_is(w, n, *t))
			return 1;
	return 0;
}

/* True when a watched table's name is one of sql's words. */
static int names_watched(const char *sql)
{
	const char *p = sql, *w;
	size_t n;

	while ((n = next_word(&p, &w)))
		if (is_watched(w, n))
			return 1;
	return 0;
}

/*
 * The table an INSERT, REPLACE, UPDATE or DELETE writes (*table, *len) and 1;
 * 0 for any other statement. Understands INSERT OR x INTO, UPDATE OR x,
 * PostgreSQL's ONLY, and a schema before a dot.
 */
static int dml_target(const char *sql, const char **table, size_t *len)
{
	const char *p = sql, *w;
	size_t n = next_word(&p, &w);

	if (word_is(w, n, "INSERT") || word_is(w, n, "REPLACE")) {
		n = next_word(&p, &w);
		if (word_is(w, n, "OR")) {
			next_word(&p, &w);
			n = next_word(&p, &w);
		}
		if (!word_is(w, n, "INTO"))
			return 0;
	} else if (word_is(w, n, "DELETE")) {
		n = next_word(&p, &w);
		if (!word_is(w, n, "FROM"))
			return 0;
	} else if (word_is(w, n, "UPDATE")) {
		const char *after = p;

		n = next_word(&p, &w);
		if (word_is(w, n, "OR"))
			next_word(&p, &w);
		else
			p = after;
	} else {
		return 0;
	}
	n = next_word(&p, &w);
	if (word_is(w, n, "ONLY"))
		n = next_word(&p, &w);
	while (*p == '"')
		p++;
	if (*p == '.')
		n = next_word(&p, &w);
	*table = w;
	*len = n;
	return n > 0;
}

/* True when sql's first word is a keyword that changes data or schema. */
static int starts_with_write(const char *sql)
{
	static const char *const writes[] = { "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH",
					      "ALTER",	"DROP",	  "CREATE", "TRUNCATE", "MERGE" };
	const char *p = sql, *w;
	size_t i, n = next_word(&p, &w);

	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
		if (word_is(w, n, writes[i]))
			return 1;
	return 0;
}

/* Whether a statement, or a script of several, may write a watched table (see the top of the file). */
static int may_write_watched(const char *sql, int script)
{
	const char *table;
	size_t len;

	if (script)
		return names_watched(sql);
	if (dml_target(sql, &table, &len))
		return is_watched(table, len);
	return starts_with_write(sql) && names_watched(sql);
}

void db_watch_statement(struct db *db, const char *sql, int script)
{
	if (!watched || db->watch_ignore || !may_write_watched(sql, script))
		return;
	db->watch_dirty = 1;
	atomic_fetch_add(&generation, 1);
}

void db_watch_settle(struct db *db)
{
	if (db->watch_dirty && !db->ops->in_transaction(db)) {
		db->watch_dirty = 0;
		atomic_fetch_add(&generation, 1);
	}
}
