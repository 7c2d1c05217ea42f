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
 * Conservative by construction: any statement that starts with a writing
 * keyword and names a watched table as a whole word counts, even when the
 * name appears only in a subquery. A false alarm only costs a cache miss.
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

/* True when sql starts (after blanks) with a keyword that changes data or schema. */
static int starts_with_write(const char *sql)
{
	static const char *const writes[] = { "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH",
					      "ALTER",	"DROP",	  "CREATE", "TRUNCATE", "MERGE" };
	size_t i, n;

	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r')
		sql++;
	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		n = strlen(writes[i]);
		if (!strncasecmp(sql, writes[i], n) && !is_word_char(sql[n]))
			return 1;
	}
	return 0;
}

/* True when a watched table's name (lower case) is one of sql's words, in any case. */
static int names_watched(const char *sql)
{
	const char *const *t;
	const char *p = sql, *w;
	size_t n;

	while (*p) {
		if (!is_word_char(*p)) {
			p++;
			continue;
		}
		for (w = p; is_word_char(*p); p++)
			;
		n = (size_t)(p - w);
		for (t = watched; *t; t++)
			if (((*w | 0x20) == (*t)[0]) && strlen(*t) == n && !strncasecmp(w, *t, n))
				return 1;
	}
	return 0;
}

void db_watch_statement(struct db *db, const char *sql, int script)
{
	if (!watched || db->watch_ignore || (!script && !starts_with_write(sql)) || !names_watched(sql))
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
