/*
 * `fazhi migrate-data` into a shared instance: the county becomes one more
 * tenant. In one write transaction on the target:
 *   1. the source's tables and id-like columns must all be known to
 *      migrate_map.c, and it must hold exactly one root org (the tenant);
 *   2. the target's tenant tables are locked against concurrent inserts, and
 *      each table's ids are offset past the larger of its MAX(id) and its
 *      identity sequence;
 *   3. every conflict with what the instance holds (user names, top-level org
 *      names, division codes, dictionary rows that disagree) is listed, and
 *      the move stops before writing anything;
 *   4. dictionary rows are matched by code (new codes added), the county's
 *      rows copied with every id, reference and org path rewritten, and its
 *      sealed personal data opened with the county's key and sealed again
 *      with the instance's (blind indexes recomputed);
 *   5. sequences move past the copied ids, the county's audit chain is
 *      imported and anchored (audit_import.c), and the rows added to each
 *      table must equal the source's counts before the commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate_map.h"
#include "migrate_summary.h"
#include "migrate_tenant.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/pii.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "core/banned.h"

#define MAX_TABLES 64
#define MAX_CONFLICTS_SHOWN 50

struct idpair {
	int64_t from, to;
};

struct dict_map {
	struct idpair *p;
	size_t n, cap;
	size_t matched; /* the first `matched` pairs are rows the target already had */
};

struct move {
	struct db *src, *dst;
	const char *prefix;
	const char *src_key, *dst_key;
	int64_t resealed;
	int64_t offset[MAX_TABLES];   /* added to the ids of a MIG_TENANT table */
	int identity[MAX_TABLES];     /* the table's id is an identity column on the target */
	int64_t before[MAX_TABLES];   /* the target's row count before the move */
	int64_t expect[MAX_TABLES];   /* rows the move must add */
	struct dict_map map[MAX_TABLES]; /* MIG_DICT: source id -> target id */
	struct buf conflicts;
	int nconflicts;
};

static int tindex(const char *table)
{
	const struct mig_table *t = mig_table_find(table);

	return t ? (int)(t - mig_tables) : -1;
}

static int map_add(struct dict_map *m, int64_t from, int64_t to)
{
	struct idpair *p;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		p = realloc(m->p, m->cap * sizeof(*p));
		if (!p)
			return -1;
		m->p = p;
	}
	m->p[m->n].from = from;
	m->p[m->n++].to = to;
	return 0;
}

static int64_t map_get(const struct dict_map *m, int64_t from)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->p[i].from == from)
			return m->p[i].to;
	return 0;
}

/* True when from maps to a row the target already had (not one this move adds). */
static int map_preexisting(const struct dict_map *m, int64_t from)
{
	size_t i;

	for (i = 0; i < m->matched; i++)
		if (m->p[i].from == from)
			return 1;
	return 0;
}

static void conflict(struct move *m, const char *fmt, const char *a, const char *b)
{
	if (m->nconflicts++ < MAX_CONFLICTS_SHOWN) {
		buf_puts(&m->conflicts, "  - ");
		buf_printf(&m->conflicts, fmt, a, b);
		buf_putc(&m->conflicts, '\n');
	}
}

static int64_t count_rows(struct db *db, const char *table)
{
	char sql[128];
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %.63s", table);
	return db_query_int(db, &n, sql) == DB_ROW ? n : -1;
}

/* 1. Every table and id-like column of the source is described. */
static int check_schema(struct move *m)
{
	struct db_stmt *st, *ci;
	struct buf unknown;
	int rc, bad = 0;
	int64_t imports = 0;

	buf_init(&unknown, 0);
	if (db_prepare(m->src, &st, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *t = db_col_text(st, 0);
		const struct mig_table *d = mig_table_find(t);

		if (!strncmp(t, "sqlite_", 7) || strstr(t, "_fts"))
			continue; /* SQLite's own and the full-text index, rebuilt from the rows */
		if (!d) {
			buf_printf(&unknown, "  - 表 %s\n", t);
			bad++;
			continue;
		}
		if (d->kind != MIG_TENANT && d->kind != MIG_DICT && d->kind != MIG_DICT_SET)
			continue;
		if (db_prepare(m->src, &ci, "SELECT name FROM pragma_table_info($1)") < 0)
			break;
		db_bind_text(ci, 1, t);
		while (db_step(ci) == DB_ROW) {
			const char *c = db_col_text(ci, 0);

			if (mig_col_looks_like_id(c) && !mig_col_ref(t, c)) {
				buf_printf(&unknown, "  - 列 %s.%s\n", t, c);
				bad++;
			}
		}
		db_done(ci);
	}
	db_done(st);
	if (bad)
		fprintf(stderr, "fazhi migrate-data:源数据库中有本程序不知如何迁移的表或编号列,未写入任何数据:\n%s", unknown.p);
	buf_release(&unknown);
	if (bad)
		return -1;
	if (db_query_int(m->src, &imports, "SELECT COUNT(*) FROM audit_import") != DB_ROW || imports) {
		fprintf(stderr, "fazhi migrate-data:源数据库本身含有迁入的审计链,不是一个县的数据库\n");
		return -1;
	}
	return 0;
}

static struct arena pii_arena;

static int load_key(const char *path)
{
	char err[512];

	if (pii_load_key(path, 0, err, sizeof(err)) < 0) {
		fprintf(stderr, "fazhi migrate-data:%s\n", err);
		return -1;
	}
	return 0;
}

/* 1b. Sealed personal data needs both keys: load each once now to fail before the transaction. */
static int check_keys(struct move *m)
{
	struct db_stmt *st;
	char sql[256];
	int64_t n = 0, sealed = 0;
	int rc;

	if (db_prepare(m->src, &st, "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
				    " WHERE m.type = 'table'") < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *ref = mig_col_ref(db_col_text(st, 0), db_col_text(st, 1));

		if (!ref || strcmp(ref, "pii"))
			continue;
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE %s IS NOT NULL", db_col_text(st, 0),
			 db_col_text(st, 1));
		if (db_query_int(m->src, &n, sql) != DB_ROW)
			break;
		sealed += n;
	}
	db_done(st);
	if (!sealed)
		return 0;
	return load_key(m->src_key) < 0 || load_key(m->dst_key) < 0 ? -1 : 0;
}

/* 2. Lock the tables the move writes; ids of each tenant table start past the target's. */
static int plan_offsets(struct move *m)
{
	char sql[512], seq[200];
	struct buf lock;
	size_t i;
	int rc = 0;

	buf_init(&lock, 0);
	buf_puts(&lock, "LOCK TABLE ");
	for (i = 0; i < mig_ntables; i++)
		if (mig_tables[i].kind == MIG_TENANT || mig_tables[i].kind == MIG_DICT ||
		    mig_tables[i].kind == MIG_DICT_SET)
			buf_printf(&lock, "%s%s", lock.len > 11 ? ", " : "", mig_tables[i].name);
	buf_puts(&lock, " IN EXCLUSIVE MODE");
	if (db_exec_script(m->dst, lock.p) < 0)
		rc = -1;
	buf_release(&lock);
	for (i = 0; rc == 0 && i < mig_ntables; i++) {
		const char *t = mig_tables[i].name;

		if (mig_tables[i].kind != MIG_TENANT && mig_tables[i].kind != MIG_DICT && mig_tables[i].kind != MIG_DICT_SET)
			continue;
		m->before[i] = count_rows(m->dst, t);
		seq[0] = 0;
		snprintf(sql, sizeof(sql), "SELECT COALESCE(pg_get_serial_sequence('%s', 'id'), '')"
				      " FROM information_schema.columns WHERE table_name = '%s' AND column_name = 'id'"
				      " AND is_identity = 'YES'", t, t);
		if (m->before[i] < 0 || db_query_text(m->dst, seq, sizeof(seq), sql) < 0) {
			rc = -1;
			break;
		}
		if (!seq[0] || mig_tables[i].kind != MIG_TENANT)
			continue;
		m->identity[i] = 1;
		snprintf(sql, sizeof(sql), "SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM %s), last_value) FROM %s", t, seq);
		if (db_query_int(m->dst, &m->offset[i], sql) != DB_ROW)
			rc = -1;
	}
	if (rc < 0)
		fprintf(stderr, "fazhi migrate-data:无法锁定目标表并分配编号:%s\n", db_errmsg(m->dst));
	return rc;
}

/* 3a. Names unique across the instance. */
static int check_names(struct move *m, int64_t *roots)
{
	struct db_stmt *st;
	char name[512];
	int64_t hit;
	int rc;

	if (db_prepare(m->src, &st, "SELECT username FROM app_user ORDER BY id") < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(name, sizeof(name), "%s%s", m->prefix, db_col_text(st, 0));
		hit = 0;
		if (db_query_int(m->dst, &hit, "SELECT COUNT(*) FROM app_user WHERE username = $1", db_text(name)) < 0)
			break;
		if (hit)
			conflict(m, "用户名 %s 已被共享库中的其他用户使用%s", name, "");
	}
	db_done(st);
	if (db_prepare(m->src, &st, "SELECT name FROM org WHERE parent_id IS NULL") < 0)
		return -1;
	*roots = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		(*roots)++;
		hit = 0;
		if (db_query_int(m->dst, &hit, "SELECT COUNT(*) FROM org WHERE parent_id IS NULL AND name = $1",
				 db_text(db_col_text(st, 0))) < 0)
			break;
		if (hit)
			conflict(m, "顶级机构 %s 在共享库中已存在%s", db_col_text(st, 0), "(该县可能已经迁入)");
	}
	db_done(st);
	if (db_prepare(m->src, &st, "SELECT division_code, name FROM org WHERE COALESCE(division_code, '') <> ''") < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		hit = 0;
		if (db_query_int(m->dst, &hit, "SELECT COUNT(*) FROM org WHERE division_code = $1",
				 db_text(db_col_text(st, 0))) < 0)
			break;
		if (hit)
			conflict(m, "行政区划代码 %s(%s)在共享库中已有机构使用(该县可能已经迁入)", db_col_text(st, 0),
				 db_col_text(st, 1));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* The set of a dictionary row's members (role_permission) agrees between source and target. */
static int same_members(struct move *m, const struct mig_table *set, int64_t src_id, int64_t dst_id, int *same)
{
	char sql[256], chk[256];
	struct db_stmt *st;
	int64_t n_src = 0, n_dst = 0, hit;
	int rc;

	*same = 1;
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE %s = $1", set->same, set->name, set->key);
	snprintf(chk, sizeof(chk), "SELECT COUNT(*) FROM %s WHERE %s = $1 AND %s = $2", set->name, set->key, set->same);
	if (db_prepare(m->src, &st, sql) < 0)
		return -1;
	db_bind_int(st, 1, src_id);
	while ((rc = db_step(st)) == DB_ROW) {
		n_src++;
		hit = 0;
		if (db_query_int(m->dst, &hit, chk, db_int(dst_id), db_text(db_col_text(st, 0))) < 0) {
			rc = -1;
			break;
		}
		*same &= hit == 1;
	}
	db_done(st);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE %s = $1", set->name, set->key);
	if (rc < 0 || db_query_int(m->dst, &n_dst, sql, db_int(dst_id)) < 0)
		return -1;
	*same &= n_src == n_dst;
	return 0;
}

/* The MIG_DICT_SET table whose owner is dict d, or NULL. */
static const struct mig_table *members_of(const struct mig_table *d)
{
	size_t i;

	for (i = 0; i < mig_ntables; i++)
		if (mig_tables[i].kind == MIG_DICT_SET && !strcmp(mig_col_ref(mig_tables[i].name, mig_tables[i].key), d->name))
			return &mig_tables[i];
	return NULL;
}

/* 3b. Dictionary rows: same code must mean the same thing; map the ones that agree. */
static int check_dict(struct move *m, int ti)
{
	const struct mig_table *d = &mig_tables[ti], *set = members_of(d);
	char sql[512], what[256], other[128];
	struct db_stmt *st, *tg;
	int rc, same, ncols = 1, i;
	const char *p;

	for (p = d->same; *p; p++)
		ncols += *p == ',';
	/* The county's own rows (owner set) are copied as new rows of the tenant: only shared rows are checked. */
	snprintf(sql, sizeof(sql), "SELECT id, %s, %s FROM %s%s%s%s ORDER BY id", d->key, d->same, d->name,
		 d->owner ? " WHERE " : "", d->owner ? d->owner : "", d->owner ? " IS NULL" : "");
	if (db_prepare(m->src, &st, sql) < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t src_id = db_col_int(st, 0), dst_id = 0;

		snprintf(sql, sizeof(sql), "SELECT id, %s FROM %s WHERE %s = $1%s%s", d->same, d->name, d->key,
			 d->owner ? " AND " : "", d->owner ? d->owner : "");
		if (d->owner)
			snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), " IS NULL");
		if (db_prepare(m->dst, &tg, sql) < 0) {
			rc = -1;
			break;
		}
		db_bind_text(tg, 1, db_col_text(st, 1));
		what[0] = 0;
		if ((rc = db_step(tg)) == DB_ROW) {
			dst_id = db_col_int(tg, 0);
			for (i = 0; i < ncols; i++)
				if (strcmp(db_col_text(st, 2 + i), db_col_text(tg, 1 + i)))
					snprintf(what, sizeof(what), "%s", db_col_name(st, 2 + i));
		}
		db_done(tg);
		if (rc < 0)
			break;
		same = 1;
		if (dst_id && !what[0] && set && same_members(m, set, src_id, dst_id, &same) < 0) {
			rc = -1;
			break;
		}
		if (!same)
			snprintf(what, sizeof(what), "%s", set->same);
		snprintf(other, sizeof(other), "%s(代码 %s)", db_col_text(st, 2), db_col_text(st, 1));
		if (what[0]) {
			snprintf(sql, sizeof(sql), "%s %%s 与共享库中同代码的%s不一致(%%s),请先使两边一致", d->label, d->label);
			conflict(m, sql, other, what);
		} else if (dst_id) {
			if (map_add(&m->map[ti], src_id, dst_id) < 0)
				return -1;
		} else {
			snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE name = $1%s%s", d->name,
				 d->owner ? " AND " : "", d->owner ? d->owner : "");
			if (d->owner)
				snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), " IS NULL");
			if (db_query_int(m->dst, &dst_id, sql, db_text(db_col_text(st, 2))) < 0) {
				rc = -1;
				break;
			}
			if (dst_id) {
				snprintf(sql, sizeof(sql), "%s %%s 的名称在共享库中已被另一代码使用%%s", d->label);
				conflict(m, sql, other, "");
			}
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

enum xform { X_COPY, X_OFFSET, X_DICT, X_PATH, X_USERNAME, X_OMIT, X_SEAL, X_BIDX };

/*
 * The row's sealed values, re-sealed: open each under the county's key, seal
 * it under the instance's, and recompute blind indexes from the opened value
 * of the column they index. sealed[i] is set for X_SEAL/X_BIDX columns (NULL
 * for NULL). -1 when a value does not open (wrong key or altered) or a key
 * does not load.
 */
static int reseal_row(struct move *m, const struct mig_table *t, struct db_stmt *in, const enum xform *x, int ncols,
		      const char **sealed)
{
	const char *plain[128];
	int i, j, any = 0;

	for (i = 0; i < ncols; i++) {
		sealed[i] = plain[i] = NULL;
		any |= (x[i] == X_SEAL && !db_col_is_null(in, i));
	}
	if (!any)
		return 0;
	arena_release(&pii_arena);
	arena_init(&pii_arena);
	if (load_key(m->src_key) < 0)
		return -1;
	for (i = 0; i < ncols; i++)
		if (x[i] == X_SEAL && !db_col_is_null(in, i) && !(plain[i] = pii_open(&pii_arena, db_col_text(in, i))))
			return -1;
	if (load_key(m->dst_key) < 0)
		return -1;
	for (i = 0; i < ncols; i++) {
		if (x[i] == X_SEAL && plain[i]) {
			sealed[i] = pii_seal(&pii_arena, plain[i]);
		} else if (x[i] == X_BIDX && !db_col_is_null(in, i)) {
			const char *of = mig_col_ref(t->name, db_col_name(in, i)) + 10;

			for (j = 0; j < ncols; j++)
				if (!strcmp(db_col_name(in, j), of) && plain[j])
					sealed[i] = pii_blind_index(&pii_arena, plain[j]);
			if (!sealed[i])
				return -1;
		}
	}
	m->resealed++;
	return 0;
}

/* Rewrite '/1/5/23/' by adding off to every id. */
static int rewrite_path(struct buf *out, const char *path, int64_t off)
{
	const char *p = path;
	int64_t v;

	buf_reset(out);
	while (*p == '/' && p[1]) {
		const char *e = strchr(p + 1, '/');

		if (!e || parse_int64(p + 1, (size_t)(e - p - 1), &v) < 0)
			return -1;
		buf_printf(out, "/%lld", (long long)(v + off));
		p = e;
	}
	return buf_puts(out, "/");
}

/*
 * Copy one table with its ids rewritten. dict: insert only rows not mapped
 * yet, let the target assign the id and record the mapping. Returns the rows
 * written or -1.
 */
static int64_t copy_table(struct move *m, int ti)
{
	const struct mig_table *t = &mig_tables[ti];
	int dict = t->kind == MIG_DICT;
	enum xform x[128];
	const char *sealed[128];
	int xt[128], ncols, i, out_n, rc, owner = -1;
	struct db_stmt *in, *out;
	struct buf sel, ins, tmp;
	int64_t rows = 0;

	buf_init(&sel, 0);
	buf_init(&ins, 0);
	buf_init(&tmp, 0);
	buf_printf(&sel, "SELECT * FROM %s%s", t->name, !strcmp(t->name, "org") ? " ORDER BY LENGTH(path), id" : "");
	if (db_prepare(m->src, &in, sel.p) < 0) {
		rows = -1;
		goto out;
	}
	ncols = db_col_count(in);
	if (ncols > 128) {
		db_done(in);
		rows = -1;
		goto out;
	}
	buf_printf(&ins, "INSERT INTO %s (", t->name);
	for (i = 0, out_n = 0; i < ncols; i++) {
		const char *c = db_col_name(in, i), *ref = mig_col_ref(t->name, c);
		const struct mig_table *rt = ref ? mig_table_find(ref) : NULL;

		x[i] = X_COPY;
		xt[i] = rt ? (int)(rt - mig_tables) : -1;
		if (!strcmp(c, "id") && dict)
			x[i] = X_OMIT;
		else if (ref && !strcmp(ref, "pii"))
			x[i] = X_SEAL;
		else if (ref && !strncmp(ref, "pii_index:", 10))
			x[i] = X_BIDX;
		else if (ref && !strcmp(ref, "path"))
			x[i] = X_PATH, xt[i] = tindex("org");
		else if (rt && (rt->kind == MIG_DICT))
			x[i] = X_DICT;
		else if (rt)
			x[i] = X_OFFSET;
		else if (!strcmp(t->name, "app_user") && !strcmp(c, "username"))
			x[i] = X_USERNAME;
		if (t->kind == MIG_DICT_SET && !strcmp(c, t->key))
			owner = i;
		if (x[i] == X_OMIT)
			continue;
		buf_printf(&ins, "%s%s", out_n++ ? ", " : "", c);
	}
	buf_puts(&ins, ") VALUES (");
	for (i = 0; i < out_n; i++)
		buf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
	buf_puts(&ins, dict ? ") RETURNING id" : ")");
	while ((rc = db_step(in)) == DB_ROW) {
		int64_t src_id = 0, v, new_id = 0;
		int k = 0;

		for (i = 0; i < ncols; i++)
			if (x[i] == X_OMIT)
				src_id = db_col_int(in, i);
		if (dict && map_get(&m->map[ti], src_id))
			continue; /* the target's row of the same code stands in for it */
		if (t->kind == MIG_DICT_SET && owner >= 0 &&
		    map_preexisting(&m->map[xt[owner]], db_col_int(in, owner)))
			continue; /* members of a matched row: equal on the target already */
		if (reseal_row(m, t, in, x, ncols, sealed) < 0) {
			fprintf(stderr, "fazhi migrate-data:%s 第 %lld 行的个人信息无法用本县密钥解密(请用 --from-key-file"
					" 指定本县的密钥文件)\n", t->name, (long long)rows + 1);
			rc = -1;
			break;
		}
		if (db_prepare(m->dst, &out, ins.p) < 0) {
			rc = -1;
			break;
		}
		for (i = 0; i < ncols; i++) {
			if (x[i] == X_OMIT)
				continue;
			k++;
			if (db_col_is_null(in, i)) {
				db_bind_null(out, k);
				continue;
			}
			v = db_col_int(in, i);
			switch (x[i]) {
			case X_OFFSET:
				db_bind_int(out, k, v > 0 ? v + m->offset[xt[i]] : v);
				break;
			case X_DICT:
				db_bind_int(out, k, map_get(&m->map[xt[i]], v));
				break;
			case X_PATH:
				if (rewrite_path(&tmp, db_col_text(in, i), m->offset[xt[i]]) < 0)
					rc = -1;
				db_bind_text(out, k, tmp.p);
				break;
			case X_SEAL:
			case X_BIDX:
				db_bind_text(out, k, sealed[i]);
				break;
			case X_USERNAME:
				buf_reset(&tmp);
				buf_printf(&tmp, "%s%s", m->prefix, db_col_text(in, i));
				db_bind_text(out, k, tmp.p);
				break;
			default:
				db_bind_text(out, k, db_col_text(in, i));
			}
		}
		if (rc >= 0)
			rc = db_step(out);
		if (rc == DB_ROW && dict)
			new_id = db_col_int(out, 0);
		db_done(out);
		if (rc < 0 || (dict && map_add(&m->map[ti], src_id, new_id) < 0)) {
			fprintf(stderr, "fazhi migrate-data:写入 %s 失败:%s\n", t->name,
				rc < 0 ? db_errmsg(m->dst) : "内存不足");
			rc = -1;
			break;
		}
		rows++;
	}
	db_done(in);
	if (rc < 0)
		rows = -1;
out:
	buf_release(&sel);
	buf_release(&ins);
	buf_release(&tmp);
	return rows;
}

/* Identity sequences continue after the copied ids. */
static int move_sequence(struct move *m, int ti)
{
	char sql[256];

	if (!m->identity[ti])
		return 0;
	snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST(MAX(id), 1)) FROM %s",
		 mig_tables[ti].name, mig_tables[ti].name);
	return db_exec_script(m->dst, sql);
}

/* {"org": 120, "app_user": 30, ...}: what was added to each table's ids. */
static void offsets_json(const struct move *m, struct buf *out)
{
	size_t i;

	buf_putc(out, '{');
	for (i = 0; i < mig_ntables; i++)
		if (m->identity[i])
			buf_printf(out, "%s\"%s\": %lld", out->len > 1 ? ", " : "", mig_tables[i].name,
				   (long long)m->offset[i]);
	buf_putc(out, '}');
}

static int prefix_ok(const char *p)
{
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return 0;
	return 1;
}

static int copy_all(struct move *m, int64_t *tenant_id, int64_t *records, const char *source)
{
	char err[512];
	struct buf offs;
	size_t i;
	int64_t n, root = 0;
	int rc = 0;

	for (i = 0; i < mig_ntables && rc == 0; i++) {
		const struct mig_table *t = &mig_tables[i];

		if (t->kind != MIG_TENANT && t->kind != MIG_DICT && t->kind != MIG_DICT_SET)
			continue;
		n = copy_table(m, (int)i);
		if (n < 0 || move_sequence(m, (int)i) < 0) {
			if (n >= 0)
				fprintf(stderr, "fazhi migrate-data:移动 %s 的编号序列失败:%s\n", t->name, db_errmsg(m->dst));
			return -1;
		}
		m->expect[i] = n;
		printf("  %-20s %lld 行\n", t->name, (long long)n);
	}
	if (db_query_int(m->src, &root, "SELECT id FROM org WHERE parent_id IS NULL") != DB_ROW)
		return -1;
	*tenant_id = root + m->offset[tindex("org")];
	buf_init(&offs, 0);
	offsets_json(m, &offs);
	rc = audit_import_chain(m->dst, m->src, *tenant_id, source, offs.p, records, err, sizeof(err));
	buf_release(&offs);
	if (rc < 0)
		fprintf(stderr, "fazhi migrate-data:%s\n", err);
	return rc;
}

/* 5b. Each table gained exactly the rows the source has (dictionaries: the rows added). */
static int check_counts(struct move *m)
{
	size_t i;
	int64_t src_n, dst_n;

	for (i = 0; i < mig_ntables; i++) {
		const struct mig_table *t = &mig_tables[i];

		if (t->kind != MIG_TENANT && t->kind != MIG_DICT && t->kind != MIG_DICT_SET)
			continue;
		src_n = t->kind == MIG_TENANT ? count_rows(m->src, t->name) : m->expect[i];
		dst_n = count_rows(m->dst, t->name);
		if (src_n < 0 || dst_n < 0 || dst_n - m->before[i] != src_n || m->expect[i] != src_n) {
			fprintf(stderr, "fazhi migrate-data:%s 的行数不一致(源 %lld 行,共享库增加 %lld 行)\n", t->name,
				(long long)src_n, (long long)(dst_n - m->before[i]));
			return -1;
		}
	}
	return 0;
}

int migrate_tenant(struct db *src, struct db *dst, const struct migrate_tenant_opts *o)
{
	const char *username_prefix = o->username_prefix, *source = o->source;
	struct move *m;
	int64_t roots = 0, tenant_id = 0, records = 0;
	char tenant_pattern[320];
	size_t i;
	int rc = 1;

	if (!username_prefix)
		username_prefix = "";
	if (!prefix_ok(username_prefix)) {
		fprintf(stderr, "fazhi migrate-data:--username-prefix 只能由小写字母、数字、下划线、点和减号组成\n");
		return 2;
	}
	m = mig_ntables <= MAX_TABLES ? calloc(1, sizeof(*m)) : NULL;
	if (!m)
		return 1;
	m->src = src;
	m->dst = dst;
	m->prefix = username_prefix;
	m->src_key = o->src_key;
	m->dst_key = o->dst_key;
	arena_init(&pii_arena);
	buf_init(&m->conflicts, 0);
	if (check_schema(m) < 0 || check_keys(m) < 0)
		goto out;
	if (db_begin(dst, DB_TX_WRITE) < 0 || migrate_summary_defer(dst) < 0 || plan_offsets(m) < 0 ||
	    check_names(m, &roots) < 0)
		goto fail;
	for (i = 0; i < mig_ntables; i++) {
		if (mig_tables[i].kind == MIG_DICT && check_dict(m, (int)i) < 0)
			goto fail;
		m->map[i].matched = m->map[i].n;
	}
	if (roots != 1) {
		fprintf(stderr, "fazhi migrate-data:源数据库应恰有一个顶级机构(县级租户),实有 %lld 个\n", (long long)roots);
		goto rollback;
	}
	if (m->nconflicts) {
		fprintf(stderr, "fazhi migrate-data:共享库中已有下列冲突,未写入任何数据(共 %d 项%s):\n%s", m->nconflicts,
			m->nconflicts > MAX_CONFLICTS_SHOWN ? ",仅列出前 50 项" : "", m->conflicts.p);
		fprintf(stderr, "用户名冲突可用 --username-prefix 前缀(如 --username-prefix pinghu_)给本县所有用户名加前缀;"
				"其余冲突请先在一侧修改后重试。\n");
		goto rollback;
	}
	printf("迁入共享库(本县成为一个租户):\n");
	if (copy_all(m, &tenant_id, &records, source) < 0 || check_counts(m) < 0)
		goto rollback;
	/* The tenant's summary rows, from its copied records (the triggers were idle for the copy). */
	if (db_query_text(dst, tenant_pattern, sizeof(tenant_pattern), "SELECT path || '%' FROM org WHERE id = $1",
			  db_int(tenant_id)) != DB_ROW ||
	    migrate_summary_rebuild(dst, tenant_pattern) < 0)
		goto fail;
	if (db_commit(dst) < 0) {
		fprintf(stderr, "fazhi migrate-data:提交失败:%s\n", db_errmsg(dst));
		goto out;
	}
	if (m->resealed)
		printf("个人信息 %lld 行已由本县密钥转为共享库密钥加密。\n", (long long)m->resealed);
	printf("迁移完成:本县成为共享库中的租户(根机构编号 %lld),各表行数一致;本县原审计链 %lld 条记录已作为迁入审计链"
	       "校验通过并登记在审计链中。%s%s%s附件目录(files)请另行复制。\n",
	       (long long)tenant_id, (long long)records, *username_prefix ? "本县用户名已加前缀 " : "", username_prefix,
	       *username_prefix ? ",请通知各用户。" : "");
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "fazhi migrate-data:%s\n", db_errmsg(dst));
rollback:
	db_rollback(dst);
out:
	for (i = 0; i < MAX_TABLES; i++)
		free(m->map[i].p);
	buf_release(&m->conflicts);
	arena_release(&pii_arena);
	pii_forget_key();
	free(m);
	return rc;
}
