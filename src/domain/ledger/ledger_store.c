/* SQL of the ledger; see ledger.h. */
#include <stdio.h>
#include <string.h>

#include "ledger.h"
#include "core/calendar.h"
#include "core/util.h"
#include "db/db.h"
#include "core/banned.h"

#define ENTRY_COLUMNS                                                                                          \
	"e.id, e.org_id, o.name, g.code, g.name, e.entry_date, e.title, e.times, e.people, e.items, e.amount_fen,"  \
	" e.note, e.status, COALESCE(e.void_reason, ''), COALESCE(u.display_name, '')"
#define ENTRY_FROM                                                                                             \
	" FROM ledger_entry e JOIN org o ON o.id = e.org_id JOIN ledger_category g ON g.id = e.category_id"        \
	" LEFT JOIN app_user u ON u.id = e.created_by"

static json_t *entry_row(struct db_stmt *st)
{
	int64_t fen = db_col_int(st, 10);
	char amount[32];
	json_t *o;

	snprintf(amount, sizeof(amount), "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
	o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0),
		      "org_id", (json_int_t)db_col_int(st, 1), "org_name", db_col_text(st, 2), "category",
		      db_col_text(st, 3), "category_name", db_col_text(st, 4), "date", db_col_text(st, 5), "title",
		      db_col_text(st, 6), "times", (json_int_t)db_col_int(st, 7), "people", (json_int_t)db_col_int(st, 8),
		      "items", (json_int_t)db_col_int(st, 9), "amount_yuan", amount, "note", db_col_text(st, 11),
		      "status", db_col_text(st, 12), "created_by_name", db_col_text(st, 14));
	if (*db_col_text(st, 13))
		json_object_set_new(o, "void_reason", json_string(db_col_text(st, 13)));
	return o;
}

json_t *ledger_store_entry_json(struct db *db, int64_t id)
{
	struct db_stmt *st;
	json_t *o = NULL;

	if (db_prepare(db, &st, "SELECT " ENTRY_COLUMNS ", o.path" ENTRY_FROM " WHERE e.id = $1") < 0)
		return NULL;
	db_bind(st, db_int(id));
	if (db_step(st) == DB_ROW) {
		o = entry_row(st);
		json_object_set_new(o, "org_path", json_string(db_col_text(st, 15)));
	}
	db_done(st);
	if (o) {
		json_t *att = json_array();

		if (db_prepare(db, &st, "SELECT id, filename, content_type, size, sha256 FROM ledger_attachment"
					" WHERE entry_id = $1 ORDER BY id") == 0) {
			db_bind(st, db_int(id));
			while (db_step(st) == DB_ROW)
				json_array_append_new(att, json_pack("{s:I,s:s,s:s,s:I,s:s}", "id",
								     (json_int_t)db_col_int(st, 0), "filename",
								     db_col_text(st, 1), "content_type", db_col_text(st, 2),
								     "size", (json_int_t)db_col_int(st, 3), "sha256",
								     db_col_text(st, 4)));
			db_done(st);
		}
		json_object_set_new(o, "attachments", att);
	}
	return o;
}

#define LIST_WHERE                                                                                             \
	" WHERE o.path LIKE $1 AND ($2 = 0 OR e.org_id = $2) AND ($3 = '' OR g.code = $3)"                         \
	" AND ($4 = '' OR e.entry_date >= $4) AND ($5 = '' OR e.entry_date <= $5)"                               \
	" AND ($6 = '' OR e.title LIKE '%' || $6 || '%') AND ($7 = 1 OR e.status = 'active')"

int ledger_store_list(struct request *req, json_t **items, int64_t *total)
{
	const char *org = req_query(req, "org_id"), *cat = req_query(req, "category"), *q = req_query(req, "q");
	const char *from = req_query(req, "from"), *to = req_query(req, "to"), *voided = req_query(req, "voided");
	char from_s[11] = "", to_s[11] = "";
	int64_t org_id = 0, limit, offset, all = voided && !strcmp(voided, "1");
	struct db_stmt *st;
	int d, rc;

	req_paging(req, &limit, &offset, NULL);
	if (org && *org && parse_int64_cstr(org, &org_id) < 0)
		return api_field_error(req, "org_id", "机构编号应为整数");
	if (from && *from) {
		if (date_parse(from, &d) < 0)
			return api_field_error(req, "from", "开始日期格式应为2021-03-05");
		date_format(d, from_s);
	}
	if (to && *to) {
		if (date_parse(to, &d) < 0)
			return api_field_error(req, "to", "结束日期格式应为2021-03-05");
		date_format(d, to_s);
	}
	rc = db_prepare(req->db, &st, "SELECT COUNT(*)" ENTRY_FROM LIST_WHERE);
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, db_text(session_scope_pattern(req)), db_int(org_id), db_text(cat ? cat : ""), db_text(from_s),
		db_text(to_s), db_text(q ? q : ""), db_int(all));
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return api_db_error(req, rc);
	rc = db_prepare(req->db, &st,
			"SELECT " ENTRY_COLUMNS ENTRY_FROM LIST_WHERE " ORDER BY e.entry_date DESC, e.id DESC LIMIT $8 OFFSET $9");
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, db_text(session_scope_pattern(req)), db_int(org_id), db_text(cat ? cat : ""), db_text(from_s),
		db_text(to_s), db_text(q ? q : ""), db_int(all), db_int(limit), db_int(offset));
	*items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*items, entry_row(st));
	db_done(st);
	if (rc < 0) {
		json_decref(*items);
		return api_db_error(req, rc);
	}
	return 0;
}

int ledger_store_category_id(struct db *db, const char *code, int64_t *id)
{
	return db_query_int(db, id, "SELECT id FROM ledger_category WHERE code = $1 AND active = 1", db_text(code));
}
