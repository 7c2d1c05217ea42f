/*
 * /api/v1/reports: create a report for an org and year from a template,
 * edit the narrative of each section, preview with live figures, freeze
 * (定稿: the figures are stored and never change again), and download it as
 * HTML or .docx (公文 layout).
 */
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_store.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "http/request.h"
#include "core/banned.h"

static int load_visible(struct request *req, struct report_data *r)
{
	int64_t id;
	int rc;

	if (req_param_id(req, "id", &id) < 0)
		return -1;
	rc = report_load(req->db, id, r);
	if (rc < 0)
		return api_db_error(req, rc);
	if (rc == DB_DONE)
		return api_error(req, "NOT_FOUND", "报告不存在", NULL);
	if (!session_can_see_path(req->session, r->org_path)) {
		report_data_release(r);
		return api_error(req, "OUT_OF_SCOPE", NULL, NULL);
	}
	req_audit_object(req, "report", id);
	return 0;
}

/* Metrics the report uses that have no data: what a writer must fix before 定稿. */
static json_t *missing_figures(const struct report_view *v)
{
	json_t *ids = report_placeholders(v), *out = json_array(), *id;
	size_t i;

	json_array_foreach (ids, i, id) {
		json_t *fig = json_object_get(v->figures, json_string_value(id));

		if (!fig)
			json_array_append_new(out, json_pack("{s:O,s:s}", "id", id, "reason", "未知指标"));
		else if (json_is_null(json_object_get(fig, "value")))
			json_array_append_new(out, json_pack("{s:O,s:O,s:s}", "id", id, "name", json_object_get(fig, "name"),
							     "reason", "缺数据"));
	}
	json_decref(ids);
	return out;
}

static json_t *detail(const struct report_data *r)
{
	struct report_view v;
	json_t *sections = json_array(), *sec, *o;
	char *html;
	size_t i, len;

	report_view_of(r, &v);
	json_array_foreach (json_object_get(v.tmpl, "sections"), i, sec) {
		const char *key = json_string_value(json_object_get(sec, "key"));
		json_t *own = json_object_get(r->narratives, key);

		json_array_append_new(sections,
				      json_pack("{s:s,s:O,s:O,s:O,s:b}", "key", key, "level", json_object_get(sec, "level"),
						"heading", json_object_get(sec, "heading"), "narrative",
						json_is_string(own) ? own : json_object_get(sec, "text"), "edited",
						json_is_string(own)));
	}
	html = report_html(&v, &len);
	o = json_pack("{s:I,s:I,s:s,s:i,s:s,s:s,s:o,s:O,s:o,s:s%}", "id", (json_int_t)r->id, "org_id", (json_int_t)r->org_id,
		      "org_name", r->org_name, "year", r->year, "template", r->template_id, "status",
		      r->frozen ? "frozen" : "draft", "sections", sections, "figures", r->figures, "missing",
		      missing_figures(&v), "html", html ? html : "", html ? len : (size_t)0);
	free(html);
	if (r->frozen) {
		char when[26];

		time_format_iso(r->frozen_at, when);
		json_object_set_new(o, "frozen_at", json_string(when));
	}
	return o;
}

static int reports_create(struct request *req)
{
	const char *tmpl = body_str(req, "template") ? body_str(req, "template") : "annual";
	int64_t org_id = body_has(req, "org_id") ? body_int(req, "org_id", 0) : 0, id, year = body_int(req, "year", 0);
	struct report_data r;
	struct org org;
	json_t *t = (json_t *)report_template(tmpl);
	int rc;

	if (!t)
		return api_field_error(req, "template", "报告模板不存在");
	if (!org_id)
		parse_int64(req->session->tenant_path + 1, strlen(req->session->tenant_path) - 2, &org_id);
	if (org_store_get(req->db, org_id, &org) != DB_ROW || !session_can_see_path(req->session, org.path))
		return api_field_error(req, "org_id", "机构不存在或不在您的数据权限范围内");
	rc = db_exec(req->db,
		     "INSERT INTO report (org_id, year, template, title, created_by, created_at, updated_at)"
		     " VALUES ($1, $2, $3, $4, $5, $6, $6)",
		     db_int(org_id), db_int(year), db_text(tmpl), db_text(json_string_value(json_object_get(t, "name"))),
		     db_int(req->session->user_id), db_int(time_now()));
	if (rc == DB_CONFLICT)
		return api_field_error(req, "year", "该机构该年度的报告已经存在");
	if (rc < 0)
		return api_db_error(req, rc);
	id = db_last_insert_id(req->db);
	req_audit_object(req, "report", id);
	req->audit_detail = arena_printf(&req->arena, "新建%s%lld年度法治政府建设情况报告", org.name, (long long)year);
	rc = report_load(req->db, id, &r);
	if (rc != DB_ROW)
		return api_db_error(req, rc < 0 ? rc : DB_ERROR);
	req->reply = detail(&r);
	report_data_release(&r);
	req->status = 201;
	return 0;
}

static int reports_list(struct request *req)
{
	const char *year = req_query(req, "year");
	int64_t y = 0;
	struct db_stmt *st;
	json_t *items = json_array();
	int rc;

	if (year && *year && parse_int64_cstr(year, &y) < 0)
		return api_field_error(req, "year", "年份应为整数");
	rc = db_prepare(req->db, &st,
			"SELECT r.id, r.org_id, o.name, r.year, r.template, r.status, r.updated_at FROM report r"
			" JOIN org o ON o.id = r.org_id WHERE o.path LIKE $1 AND ($2 = 0 OR r.year = $2)"
			" ORDER BY r.year DESC, o.path");
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, db_text(session_scope_pattern(req)), db_int(y));
	while ((rc = db_step(st)) == DB_ROW) {
		char when[26];

		time_format_iso(db_col_int(st, 6), when);
		json_array_append_new(items, json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0),
						       "org_id", (json_int_t)db_col_int(st, 1), "org_name",
						       db_col_text(st, 2), "year", (json_int_t)db_col_int(st, 3),
						       "template", db_col_text(st, 4), "status", db_col_text(st, 5),
						       "updated_at", when));
	}
	db_done(st);
	req->reply = json_pack("{s:o}", "items", items);
	return rc < 0 ? api_db_error(req, rc) : 0;
}

static int reports_get(struct request *req)
{
	struct report_data r;

	if (load_visible(req, &r) < 0)
		return -1;
	req->reply = detail(&r);
	report_data_release(&r);
	return 0;
}

/* Section keys of the report's template; a body naming another key is refused. */
static int check_sections(struct request *req, const struct report_data *r, json_t *sections)
{
	const json_t *tmpl = report_template(r->template_id);
	const char *key;
	json_t *text, *sec;
	size_t i;

	json_object_foreach (sections, key, text) {
		int known = 0;

		json_array_foreach (json_object_get(tmpl, "sections"), i, sec)
			known |= !strcmp(json_string_value(json_object_get(sec, "key")), key);
		if (!known)
			return api_field_error(req, "sections", arena_printf(&req->arena, "报告模板中没有“%s”一节", key));
		if (!json_is_string(text) || strlen(json_string_value(text)) > 60000)
			return api_field_error(req, "sections", arena_printf(&req->arena, "“%s”一节的内容应为不超过两万字的文本", key));
	}
	return 0;
}

static int reports_update(struct request *req)
{
	json_t *sections = json_object_get(req->json, "sections"), *text;
	struct report_data r;
	const char *key;
	int rc = 0;

	if (load_visible(req, &r) < 0)
		return -1;
	if (r.frozen) {
		report_data_release(&r);
		return api_error(req, "INVALID_STATE", "报告已定稿,不能再修改", NULL);
	}
	if (check_sections(req, &r, sections) < 0) {
		report_data_release(&r);
		return -1;
	}
	json_object_foreach (sections, key, text) {
		rc = report_save_narrative(req->db, r.id, key, json_string_value(text), req->session->user_id);
		if (rc < 0)
			break;
	}
	if (rc == 0)
		rc = db_exec(req->db, "UPDATE report SET updated_at = $1 WHERE id = $2", db_int(time_now()), db_int(r.id));
	report_data_release(&r);
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = arena_printf(&req->arena, "修改报告正文(%zu节)", json_object_size(sections));
	return reports_get(req);
}

static int reports_preview(struct request *req)
{
	json_t *sections = json_object_get(req->json, "sections"), *merged;
	struct report_data r;
	struct report_view v;
	char *html;
	size_t len;

	if (load_visible(req, &r) < 0)
		return -1;
	if (check_sections(req, &r, sections) < 0) {
		report_data_release(&r);
		return -1;
	}
	merged = json_deep_copy(r.narratives);
	json_object_update(merged, sections);
	report_view_of(&r, &v);
	v.narratives = merged;
	html = report_html(&v, &len);
	req->reply = json_pack("{s:s%,s:o}", "html", html ? html : "", html ? len : (size_t)0, "missing", missing_figures(&v));
	free(html);
	json_decref(merged);
	report_data_release(&r);
	return 0;
}

static int reports_freeze(struct request *req)
{
	struct report_data r;
	int rc;

	if (load_visible(req, &r) < 0)
		return -1;
	if (r.frozen) {
		report_data_release(&r);
		return api_error(req, "INVALID_STATE", "报告已经定稿", NULL);
	}
	rc = report_freeze(req->db, &r, req->session->user_id);
	if (rc < 0) {
		report_data_release(&r);
		return api_db_error(req, rc);
	}
	req->audit_detail = arena_printf(&req->arena, "报告定稿:%s%d年度", r.org_name, r.year);
	req->reply = detail(&r);
	report_data_release(&r);
	return 0;
}

static int reports_html(struct request *req)
{
	struct report_data r;
	struct report_view v;
	size_t len;
	char *html;

	if (load_visible(req, &r) < 0)
		return -1;
	report_view_of(&r, &v);
	html = report_html(&v, &len);
	req->raw_body = arena_strndup(&req->arena, html ? html : "", html ? len : 0);
	req->raw_len = html ? len : 0;
	free(html);
	report_data_release(&r);
	req->content_type_out = "text/html; charset=utf-8";
	return 0;
}

static int reports_docx(struct request *req)
{
	struct report_data r;
	struct report_view v;
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (load_visible(req, &r) < 0)
		return -1;
	report_view_of(&r, &v);
	rc = report_docx(&v, &data, &len);
	if (rc == 0) {
		req->raw_body = arena_strndup(&req->arena, data, len);
		req->raw_len = len;
		req->content_type_out = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
		req->disposition = arena_printf(&req->arena, "attachment; filename=\"report-%d.docx\"", r.year);
	}
	free(data);
	report_data_release(&r);
	return rc == 0 ? 0 : api_error(req, "INTERNAL", "生成 Word 文件失败", NULL);
}

static const struct body_field create_body[] = {
	{ "year", FIELD_INT, 1, 2000, 2100, "年度", NULL, NULL },
	{ "org_id", FIELD_INT, 0, 1, INT64_MAX, "机构", NULL, NULL },
	{ "template", FIELD_STRING, 0, 1, 32, "模板", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field sections_body[] = {
	{ "sections", FIELD_OBJECT, 1, 0, 0, "各节正文", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct route report_routes[] = {
	/* Before "/api/v1/reports/{id}", which would also take "5.html" as an id. */
	{ HTTP_GET, "/api/v1/reports/{id}.docx", reports_docx, "report.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/reports/{id}.html", reports_html, "report.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/reports", reports_list, "report.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/reports", reports_create, "report.edit", ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, create_body,
	  "report.create" },
	{ HTTP_GET, "/api/v1/reports/{id}", reports_get, "report.read", 0, NULL, NULL },
	{ HTTP_PUT, "/api/v1/reports/{id}", reports_update, "report.edit", ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON,
	  sections_body, "report.update" },
	{ HTTP_POST, "/api/v1/reports/{id}/preview", reports_preview, "report.read", ROUTE_JSON | ROUTE_READ,
	  sections_body, NULL },
	{ HTTP_POST, "/api/v1/reports/{id}/freeze", reports_freeze, "report.edit", ROUTE_TX | ROUTE_AUDIT, NULL,
	  "report.freeze" },
};

const struct module report_module = { "report", report_routes, ARRAY_SIZE(report_routes) };
