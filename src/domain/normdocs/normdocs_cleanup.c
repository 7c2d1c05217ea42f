/*
 * 清理 of normative documents (浙江: every two years): a batch takes every
 * document in force of the issuing orgs named (default: the batch's org),
 * each gets a decision 继续有效 / 拟修改 / 废止 / 失效 with its reason, and
 * publishing the batch changes the documents' status (each change in its
 * timeline) and fixes the published lists, downloadable as .xlsx and .docx.
 *
 * GET/POST /api/v1/normdoc-cleanups, GET /api/v1/normdoc-cleanups/{id},
 * PUT …/{id}/items, POST …/{id}/publish, GET …/{id}/export.xlsx|.docx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normdocs.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "domain/review/review.h"
#include "report/docx.h"
#include "report/xlsx_export.h"
#include "core/banned.h"

struct batch {
	int64_t id, org_id;
	char org_name[256], org_path[256], title[256], started[11], status[16], published[11];
};

static int batch_load(struct db *db, int64_t id, struct batch *b)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st,
			    "SELECT b.id, b.org_id, o.name, o.path, b.title, b.started_date, b.status,"
			    " COALESCE(b.published_date, '') FROM normdoc_cleanup b JOIN org o ON o.id = b.org_id"
			    " WHERE b.id = $1");

	if (rc < 0)
		return rc;
	db_bind(st, db_int(id));
	rc = db_step(st);
	if (rc == DB_ROW) {
		b->id = db_col_int(st, 0);
		b->org_id = db_col_int(st, 1);
		snprintf(b->org_name, sizeof(b->org_name), "%s", db_col_text(st, 2));
		snprintf(b->org_path, sizeof(b->org_path), "%s", db_col_text(st, 3));
		snprintf(b->title, sizeof(b->title), "%s", db_col_text(st, 4));
		snprintf(b->started, sizeof(b->started), "%s", db_col_text(st, 5));
		snprintf(b->status, sizeof(b->status), "%s", db_col_text(st, 6));
		snprintf(b->published, sizeof(b->published), "%s", db_col_text(st, 7));
	}
	db_done(st);
	return rc;
}

/* ===== publication ===== */

struct item {
	int64_t doc_id;
	char state[32], decision[16], reason[1024];
};

int normdocs_cleanup_publish(struct db *db, int64_t batch_id, const char *date, int64_t actor, int64_t *changed,
			     int64_t *skipped)
{
	struct db_stmt *st;
	struct item *items = NULL;
	size_t n = 0, cap = 0, i;
	char title[256] = "";
	int rc;

	*changed = *skipped = 0;
	rc = db_query_text(db, title, sizeof(title), "SELECT title FROM normdoc_cleanup WHERE id = $1 AND status = 'draft'",
			   db_int(batch_id));
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_CONSTRAINT;
	rc = db_prepare(db, &st,
			"SELECT i.doc_id, c.state, COALESCE(i.decision, ''), COALESCE(i.reason, '')"
			" FROM normdoc_cleanup_item i JOIN case_file c ON c.id = i.doc_id WHERE i.batch_id = $1"
			" ORDER BY i.doc_id");
	if (rc < 0)
		return rc;
	db_bind(st, db_int(batch_id));
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct item *more = realloc(items, (cap = cap ? cap * 2 : 64) * sizeof(*items));

			if (!more) {
				rc = DB_ERROR;
				break;
			}
			items = more;
		}
		items[n].doc_id = db_col_int(st, 0);
		snprintf(items[n].state, sizeof(items[n].state), "%s", db_col_text(st, 1));
		snprintf(items[n].decision, sizeof(items[n].decision), "%s", db_col_text(st, 2));
		snprintf(items[n].reason, sizeof(items[n].reason), "%s", db_col_text(st, 3));
		n++;
	}
	db_done(st);
	for (i = 0; i < n && rc >= 0; i++)
		if (!items[i].decision[0])
			rc = DB_CONSTRAINT; /* every document needs a decision first */
	for (i = 0; i < n && rc >= 0; i++) {
		const struct item *it = &items[i];
		const char *to = normdoc_cleanup_target(it->decision, it->state);
		char detail[1400];

		if (!normdoc_is_current(it->state)) {
			(*skipped)++;
			continue;
		}
		snprintf(detail, sizeof(detail), "%s:%s%s%s", title, normdoc_cleanup_decision_name(it->decision),
			 it->reason[0] ? "," : "", it->reason);
		rc = 0;
		if (strcmp(to, it->state)) {
			(*changed)++;
			rc = case_store_set_state(db, it->doc_id, to);
			if (rc == 0 && !normdoc_is_current(to)) {
				rc = case_store_set_date(db, it->doc_id, "closed_date", date);
				if (rc == 0)
					rc = case_deadline_close_all(db, it->doc_id, "", date);
			}
		}
		if (rc == 0)
			rc = case_store_add_event(db, it->doc_id, "cleanup", it->state, to, date, actor, detail);
	}
	free(items);
	if (rc < 0)
		return rc;
	return db_exec(db,
		       "UPDATE normdoc_cleanup SET status = 'published', published_date = $1, published_by = $2,"
		       " updated_at = $3 WHERE id = $4",
		       db_text(date), db_int(actor), db_int(time_now()), db_int(batch_id));
}

/* ===== JSON ===== */

static json_t *items_json(struct db *db, int64_t batch_id, json_t *counts)
{
	struct db_stmt *st;
	json_t *a = json_array();
	int64_t undecided = 0;
	size_t k;

	for (k = 0; normdoc_cleanup_decisions[k]; k++)
		json_object_set_new(counts, normdoc_cleanup_decisions[k], json_integer(0));
	if (db_prepare(db, &st,
		       "SELECT i.doc_id, c.case_no, n.doc_no, c.title, o.name, c.received_date, i.prior_state, c.state,"
		       " COALESCE(i.decision, ''), COALESCE(i.reason, ''), COALESCE(n.expiry_date, '')"
		       " FROM normdoc_cleanup_item i JOIN case_file c ON c.id = i.doc_id"
		       " JOIN normdoc n ON n.case_id = c.id JOIN org o ON o.id = c.org_id WHERE i.batch_id = $1"
		       " ORDER BY CASE i.decision WHEN 'keep' THEN 1 WHEN 'amend' THEN 2 WHEN 'repeal' THEN 3"
		       " WHEN 'expire' THEN 4 ELSE 5 END, c.received_date, c.id") < 0)
		return a;
	db_bind(st, db_int(batch_id));
	while (db_step(st) == DB_ROW) {
		const char *decision = db_col_text(st, 8), *name = normdoc_cleanup_decision_name(decision);
		const struct case_state *prior = case_state_find(&normdoc_kind, db_col_text(st, 6));
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "doc_id", (json_int_t)db_col_int(st, 0),
				      "reg_no", db_col_text(st, 1), "doc_no", db_col_text(st, 2), "title",
				      db_col_text(st, 3), "org_name", db_col_text(st, 4), "issued_date", db_col_text(st, 5),
				      "prior_state", db_col_text(st, 6), "prior_state_name", prior ? prior->name : "",
				      "state", db_col_text(st, 7), "decision_name", name ? name : "");

		json_object_set_new(o, "decision", *decision ? json_string(decision) : json_null());
		json_object_set_new(o, "reason", *db_col_text(st, 9) ? json_string(db_col_text(st, 9)) : json_null());
		json_object_set_new(o, "expiry_date", *db_col_text(st, 10) ? json_string(db_col_text(st, 10)) : json_null());
		if (*decision)
			json_object_set_new(counts, decision,
					    json_integer(json_integer_value(json_object_get(counts, decision)) + 1));
		else
			undecided++;
		json_array_append_new(a, o);
	}
	db_done(st);
	json_object_set_new(counts, "undecided", json_integer(undecided));
	json_object_set_new(counts, "total", json_integer((json_int_t)json_array_size(a)));
	return a;
}

static json_t *batch_json(struct db *db, const struct batch *b, int with_items)
{
	json_t *counts = json_object(), *items = items_json(db, b->id, counts);
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)b->id, "org_id",
			      (json_int_t)b->org_id, "org_name", b->org_name, "title", b->title, "started_date", b->started,
			      "status", b->status, "status_name", strcmp(b->status, "draft") ? "已公布" : "清理中",
			      "counts", counts);

	json_object_set_new(o, "published_date", *b->published ? json_string(b->published) : json_null());
	if (with_items)
		json_object_set_new(o, "items", items);
	else
		json_decref(items);
	return o;
}

/* ===== handlers ===== */

static int load_param_batch(struct request *req, struct batch *b)
{
	int64_t id;
	int rc;

	if (req_param_id(req, "id", &id) < 0)
		return -1;
	rc = batch_load(req->db, id, b);
	if (rc < 0)
		return api_db_error(req, rc);
	if (rc != DB_ROW)
		return api_error(req, "NOT_FOUND", "清理批次不存在", NULL);
	if (!session_can_see_path(req->session, b->org_path))
		return api_error(req, "OUT_OF_SCOPE", NULL, NULL);
	req_audit_object(req, "normdoc_cleanup", id);
	return 0;
}

static int require_draft(struct request *req, const struct batch *b)
{
	if (strcmp(b->status, "draft"))
		return api_error(req, "INVALID_STATE",
				 arena_printf(&req->arena, "清理批次已于%s公布,不能再修改", b->published), NULL);
	return 0;
}

static int cleanups_list(struct request *req)
{
	const char *status = req_query(req, "status");
	int64_t limit, offset, page, total = 0, ids[200];
	struct db_stmt *st;
	json_t *items = json_array();
	size_t n = 0, i;
	int rc;

	req_paging(req, &limit, &offset, &page);
#define CLEANUP_WHERE                                                                                                  \
	" FROM normdoc_cleanup b JOIN org o ON o.id = b.org_id WHERE o.path LIKE $1 AND ($2 = '' OR b.status = $2)"
	rc = db_query_int(req->db, &total, "SELECT COUNT(*)" CLEANUP_WHERE, db_text(session_scope_pattern(req)),
			  db_text(status ? status : ""));
	if (rc >= 0)
		rc = db_prepare(req->db, &st,
				"SELECT b.id" CLEANUP_WHERE " ORDER BY b.started_date DESC, b.id DESC LIMIT $3 OFFSET $4");
#undef CLEANUP_WHERE
	if (rc < 0) {
		json_decref(items);
		return api_db_error(req, rc);
	}
	db_bind(st, db_text(session_scope_pattern(req)), db_text(status ? status : ""), db_int(limit), db_int(offset));
	while (n < ARRAY_SIZE(ids) && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	for (i = 0; i < n; i++) {
		struct batch b;

		if (batch_load(req->db, ids[i], &b) == DB_ROW)
			json_array_append_new(items, batch_json(req->db, &b, 0));
	}
	req->reply = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			       (json_int_t)page, "page_size", (json_int_t)limit);
	return 0;
}

static int cleanups_get(struct request *req)
{
	struct batch b;

	if (load_param_batch(req, &b) < 0)
		return -1;
	req->reply = batch_json(req->db, &b, 1);
	return 0;
}

static int cleanups_create(struct request *req)
{
	json_t *issuers = json_object_get(req->json, "issuer_org_ids");
	const char *title = body_str(req, "title");
	struct org org, issuer;
	struct batch b;
	int64_t id, n;
	int started, rc;
	char started_s[11];
	size_t i;

	rc = org_store_get(req->db, body_int(req, "org_id", 0), &org);
	if (rc != DB_ROW || !session_can_see_path(req->session, org.path))
		return api_field_error(req, "org_id", "机构不存在或不在您的数据权限范围内");
	date_parse(body_str(req, "started_date"), &started);
	if (started > time_today_cst())
		return api_field_error(req, "started_date", "开始日期不能晚于今天");
	date_format(started, started_s);
	if (!title)
		title = arena_printf(&req->arena, "%s%d年行政规范性文件清理", org.name, started / 10000);
	rc = db_exec(req->db,
		     "INSERT INTO normdoc_cleanup (org_id, title, started_date, created_by, created_at, updated_at)"
		     " VALUES ($1, $2, $3, $4, $5, $5)",
		     db_int(org.id), db_text(title), db_text(started_s), db_int(req->session->user_id), db_int(time_now()));
	if (rc < 0)
		return api_db_error(req, rc);
	id = db_last_insert_id(req->db);
	req_audit_object(req, "normdoc_cleanup", id);
	/* Every document in force of each issuing org, unless another batch still has it. */
	for (i = 0; i < (issuers ? json_array_size(issuers) : 1); i++) {
		int64_t oid = issuers ? json_integer_value(json_array_get(issuers, i)) : org.id;

		if (org_store_get(req->db, oid, &issuer) != DB_ROW || !session_can_see_path(req->session, issuer.path))
			return api_field_error(req, "issuer_org_ids",
					       arena_printf(&req->arena, "第%zu个制定机关不存在或不在您的数据权限范围内", i + 1));
		rc = db_exec(req->db,
			     "INSERT INTO normdoc_cleanup_item (batch_id, doc_id, prior_state)"
			     " SELECT $1, c.id, c.state FROM case_file c WHERE c.kind = 'normdoc' AND c.org_id = $2"
			     " AND c.state IN ('effective', 'to_amend', 'amended') AND NOT EXISTS (SELECT 1"
			     " FROM normdoc_cleanup_item x JOIN normdoc_cleanup y ON y.id = x.batch_id"
			     " WHERE x.doc_id = c.id AND y.status = 'draft')",
			     db_int(id), db_int(oid));
		if (rc < 0)
			return api_db_error(req, rc);
	}
	rc = db_query_int(req->db, &n, "SELECT COUNT(*) FROM normdoc_cleanup_item WHERE batch_id = $1", db_int(id));
	if (rc != DB_ROW)
		return api_db_error(req, rc < 0 ? rc : DB_ERROR);
	if (!n)
		return api_error(req, "INVALID_STATE", "没有需要清理的现行有效文件(或均已在其他清理批次中)", NULL);
	req->audit_detail = arena_printf(&req->arena, "开始清理“%s”,共%lld件", title, (long long)n);
	if (batch_load(req->db, id, &b) != DB_ROW)
		return api_error(req, "INTERNAL", NULL, NULL);
	req->reply = batch_json(req->db, &b, 1);
	req->status = 201;
	return 0;
}

static int cleanups_items(struct request *req)
{
	json_t *items = json_object_get(req->json, "items"), *it;
	struct batch b;
	size_t i;
	int rc;

	if (load_param_batch(req, &b) < 0 || require_draft(req, &b) < 0)
		return -1;
	json_array_foreach (items, i, it) {
		json_t *doc = json_object_get(it, "doc_id");
		const char *decision = json_string_value(json_object_get(it, "decision"));
		const char *reason = json_string_value(json_object_get(it, "reason"));

		if (!json_is_integer(doc) || !normdoc_cleanup_decision_name(decision))
			return api_field_error(req, "items",
					       arena_printf(&req->arena,
							    "第%zu条:应有 doc_id 和 decision(keep、amend、repeal 或 expire)", i + 1));
		if (strcmp(decision, "keep") && (!reason || !*reason))
			return api_field_error(req, "items",
					       arena_printf(&req->arena, "第%zu条:拟修改、废止或宣布失效的,应当说明理由", i + 1));
		if (reason && json_string_length(json_object_get(it, "reason")) > 1000)
			return api_field_error(req, "items", arena_printf(&req->arena, "第%zu条:理由过长", i + 1));
		rc = db_exec(req->db,
			     "UPDATE normdoc_cleanup_item SET decision = $1, reason = $2, decided_by = $3, decided_at = $4"
			     " WHERE batch_id = $5 AND doc_id = $6",
			     db_text(decision), db_text(reason && *reason ? reason : NULL), db_int(req->session->user_id),
			     db_int(time_now()), db_int(b.id), db_int(json_integer_value(doc)));
		if (rc < 0)
			return api_db_error(req, rc);
		if (db_changes(req->db) != 1)
			return api_field_error(req, "items", arena_printf(&req->arena, "第%zu条:该文件不在本清理批次中", i + 1));
	}
	req->audit_detail = arena_printf(&req->arena, "“%s”登记清理意见%zu件", b.title, json_array_size(items));
	req->reply = batch_json(req->db, &b, 1);
	return 0;
}

static int cleanups_publish(struct request *req)
{
	int64_t changed, skipped, undecided = 0;
	struct batch b;
	char date_s[11];
	int date, rc;

	if (load_param_batch(req, &b) < 0 || require_draft(req, &b) < 0)
		return -1;
	date_parse(body_str(req, "date"), &date);
	date_format(date, date_s);
	if (date > time_today_cst() || strcmp(date_s, b.started) < 0)
		return api_field_error(req, "date", "公布日期应在清理开始日期和今天之间");
	db_query_int(req->db, &undecided,
		     "SELECT COUNT(*) FROM normdoc_cleanup_item WHERE batch_id = $1 AND decision IS NULL", db_int(b.id));
	if (undecided)
		return api_error(req, "INVALID_STATE",
				 arena_printf(&req->arena, "尚有%lld件文件未提出清理意见,不能公布", (long long)undecided),
				 json_pack("{s:I}", "undecided", (json_int_t)undecided));
	rc = normdocs_cleanup_publish(req->db, b.id, date_s, req->session->user_id, &changed, &skipped);
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = arena_printf(&req->arena, "公布“%s”清理结果,%lld件文件状态变更", b.title, (long long)changed);
	if (batch_load(req->db, b.id, &b) != DB_ROW)
		return api_error(req, "INTERNAL", NULL, NULL);
	req->reply = batch_json(req->db, &b, 1);
	json_object_set_new(req->reply, "changed", json_integer(changed));
	json_object_set_new(req->reply, "skipped", json_integer(skipped));
	return 0;
}

/* ===== published lists ===== */

static int cleanups_xlsx(struct request *req)
{
	static const struct xlsx_column cols[] = {
		{ "decision_name", "清理结果", 12 }, { "reg_no", "登记号", 18 },	  { "doc_no", "文号", 24 },
		{ "title", "文件名称", 48 },	     { "org_name", "制定机关", 24 },	  { "issued_date", "公布日期", 12 },
		{ "reason", "理由", 40 },
	};
	json_t *detail;
	struct batch b;
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (load_param_batch(req, &b) < 0)
		return -1;
	detail = batch_json(req->db, &b, 1);
	rc = xlsx_export("清理结果",
			 arena_printf(&req->arena, "%s结果%s", b.title, strcmp(b.status, "draft") ? "" : "(未公布)"), cols,
			 ARRAY_SIZE(cols), json_object_get(detail, "items"), &data, &len);
	json_decref(detail);
	return legal_reply_file(req, rc, data, len, arena_printf(&req->arena, "cleanup-%lld.xlsx", (long long)b.id));
}

static int cleanups_docx(struct request *req)
{
	static const char *const numerals[] = { "一", "二", "三", "四" };
	static const char *const headings[] = { "继续有效的行政规范性文件目录", "拟修改的行政规范性文件目录",
						"决定废止的行政规范性文件目录", "宣布失效的行政规范性文件目录" };
	json_t *detail, *items, *it;
	struct docx *d;
	struct batch b;
	char *data = NULL, line[1400], date[32] = "";
	size_t len = 0, i, k, shown = 0;
	int rc, y, m, dd, pd;

	if (load_param_batch(req, &b) < 0)
		return -1;
	detail = batch_json(req->db, &b, 1);
	items = json_object_get(detail, "items");
	d = docx_new();
	docx_title(d, arena_printf(&req->arena, "%s结果", b.title));
	if (date_parse(b.published, &pd) == 0 && date_split(pd, &y, &m, &dd) == 0)
		snprintf(date, sizeof(date), "%d年%d月%d日", y, m, dd);
	docx_subtitle(d, *date ? arena_printf(&req->arena, "(%s公布)", date) : "(未公布)");
	for (k = 0; normdoc_cleanup_decisions[k]; k++) {
		json_int_t count = json_integer_value(json_object_get(json_object_get(detail, "counts"),
								      normdoc_cleanup_decisions[k]));
		size_t seq = 0;

		if (!count)
			continue;
		docx_heading(d, 1, arena_printf(&req->arena, "%s、%s(%lld件)", numerals[shown++], headings[k],
						(long long)count));
		json_array_foreach (items, i, it) {
			const char *reason = json_string_value(json_object_get(it, "reason"));
			const char *decision = json_string_value(json_object_get(it, "decision"));

			if (!decision || strcmp(decision, normdoc_cleanup_decisions[k]))
				continue;
			snprintf(line, sizeof(line), "%zu.%s(%s)%s%s", ++seq, json_string_value(json_object_get(it, "title")),
				 json_string_value(json_object_get(it, "doc_no")), k && reason ? " 理由:" : "",
				 k && reason ? reason : "");
			docx_paragraph(d);
			docx_text(d, line);
		}
	}
	docx_signature(d, b.org_name, *date ? date : NULL);
	rc = docx_render(d, &data, &len);
	docx_free(d);
	json_decref(detail);
	return legal_reply_file(req, rc, data, len, arena_printf(&req->arena, "cleanup-%lld.docx", (long long)b.id));
}

static const struct body_field create_body[] = {
	{ "org_id", FIELD_INT, 1, 1, INT64_MAX, "清理机关", NULL, NULL },
	{ "started_date", FIELD_STRING, 1, 8, 11, "开始日期", case_check_date, NULL },
	{ "title", FIELD_STRING, 0, 2, 200, "清理名称", NULL, NULL },
	{ "issuer_org_ids", FIELD_INT_ARRAY, 0, 1, 50, "制定机关", NULL, NULL },
	CASE_END_FIELD,
};

static const struct body_field items_body[] = {
	{ "items", FIELD_OBJECT_ARRAY, 1, 1, 5000, "清理意见", NULL, NULL },
	CASE_END_FIELD,
};

static const struct body_field publish_body[] = {
	{ "date", FIELD_STRING, 1, 8, 11, "公布日期", case_check_date, NULL },
	CASE_END_FIELD,
};

static const struct route routes[] = {
	{ HTTP_GET, "/api/v1/normdoc-cleanups", cleanups_list, "normdocs.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/normdoc-cleanups", cleanups_create, "normdocs.manage", ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON,
	  create_body, "normdoc_cleanup.create" },
	{ HTTP_GET, "/api/v1/normdoc-cleanups/{id}", cleanups_get, "normdocs.read", 0, NULL, NULL },
	{ HTTP_PUT, "/api/v1/normdoc-cleanups/{id}/items", cleanups_items, "normdocs.manage",
	  ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, items_body, "normdoc_cleanup.items" },
	{ HTTP_POST, "/api/v1/normdoc-cleanups/{id}/publish", cleanups_publish, "normdocs.manage",
	  ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, publish_body, "normdoc_cleanup.publish" },
	{ HTTP_GET, "/api/v1/normdoc-cleanups/{id}/export.xlsx", cleanups_xlsx, "normdocs.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/normdoc-cleanups/{id}/export.docx", cleanups_docx, "normdocs.read", 0, NULL, NULL },
};

const struct module normdocs_cleanup_module = { "normdocs_cleanup", routes, ARRAY_SIZE(routes) };
