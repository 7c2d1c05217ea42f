/*
 * Tenant settings of the legal affairs lines (合法性审查, 规范性文件, 重大行政
 * 决策): review periods by subject kind, the filing period of normative
 * documents, minimum public comment periods and the prefix of the document
 * register's numbers. The statutory values behind them are unverified or
 * vary by province, so each tenant may change them; the defaults are here
 * (periods: the deadline rule tables of the case kinds). A changed period
 * applies to deadlines opened afterwards: an open deadline keeps the length
 * it was opened with (case_deadline.period_length).
 *
 * GET /api/v1/legal-settings, PUT /api/v1/legal-settings/{key} {"value"}.
 */
#include <stdio.h>
#include <string.h>

#include "review.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "core/banned.h"

const struct legal_setting legal_settings[] = {
	{ "review.normative", "review", NULL, 0, NULL, 1, 60, NULL, "review.handle" },
	{ "review.major_decision", "review", NULL, 0, NULL, 1, 60, NULL, "review.handle" },
	{ "review.contract", "review", NULL, 0, NULL, 1, 60, NULL, "review.handle" },
	{ "review.contract_simple", "review", NULL, 0, NULL, 1, 60, NULL, "review.handle" },
	{ "review.meeting_topic", "review", NULL, 0, NULL, 1, 60, NULL, "review.handle" },
	{ "review.enforcement_decision", "review", NULL, 0, NULL, 1, 60, NULL, "review.handle" },
	{ "review.other", "review", NULL, 0, NULL, 1, 60, NULL, "review.handle" },
	{ "normdoc.filing", "normdoc", NULL, 0, NULL, 1, 90, NULL, "normdocs.manage" },
	{ "normdocs.number_prefix", NULL, "规范性文件统一登记号前缀", 1, "GFWJ", 1, 16,
	  "国办发〔2018〕37号:统一登记、统一编号、统一印发。登记号为“前缀-年份-四位序号”,如 JSDR-2021-0012",
	  "normdocs.manage" },
	{ "normdocs.comment_days", NULL, "规范性文件公开征求意见最短期限(工作日)", 0, "7", 1, 90,
	  "对公民、法人和其他组织权利义务有重大影响的,征求意见一般不少于7个工作日", "normdocs.manage" },
	{ "normdocs.comment_days_business", NULL, "涉及市场主体的规范性文件公开征求意见最短期限(日)", 0, "30", 1,
	  180, "与市场主体生产经营活动密切相关的,征求意见一般不少于30日", "normdocs.manage" },
	{ "decisions.comment_days", NULL, "重大行政决策公开征求意见最短期限(日)", 0, "30", 1, 180,
	  "《重大行政决策程序暂行条例》:公开征求意见期限一般不少于30日,缩短的应说明理由(未核对原文)",
	  "decisions.manage" },
	{ NULL, NULL, NULL, 0, NULL, 0, 0, NULL, NULL },
};

const struct legal_setting *legal_setting_find(const char *key)
{
	const struct legal_setting *s;

	for (s = legal_settings; key && s->key; s++)
		if (!strcmp(s->key, key))
			return s;
	return NULL;
}

const struct deadline_rule *legal_setting_rule(const struct legal_setting *s)
{
	const struct case_kind *k = s->kind ? case_kind_find(s->kind) : NULL;

	return k ? case_rule_find(k, s->key) : NULL;
}

/* Default value as text. */
static void default_of(const struct legal_setting *s, char *out, size_t outlen)
{
	const struct deadline_rule *r = legal_setting_rule(s);

	if (r)
		snprintf(out, outlen, "%d", r->length);
	else
		snprintf(out, outlen, "%s", s->def ? s->def : "");
}

const char *legal_setting_check(const struct legal_setting *s, const char *value)
{
	int64_t v;
	size_t n, i;

	if (!value)
		return "请填写设置值";
	n = strlen(value);
	if (s->is_text) {
		if ((int64_t)n < s->min || (int64_t)n > s->max)
			return "前缀应为1至16个大写字母或数字";
		for (i = 0; i < n; i++)
			if (!((value[i] >= 'A' && value[i] <= 'Z') || (value[i] >= '0' && value[i] <= '9')))
				return "前缀应为1至16个大写字母或数字";
		return NULL;
	}
	if (parse_int64_cstr(value, &v) < 0 || v < s->min || v > s->max)
		return "设置值应为允许范围内的整数";
	return NULL;
}

int64_t legal_tenant_of(const char *path)
{
	int64_t id = 0;
	const char *end;

	if (!path || path[0] != '/' || !(end = strchr(path + 1, '/')))
		return 0;
	return parse_int64(path + 1, (size_t)(end - path - 1), &id) < 0 ? 0 : id;
}

int legal_setting_text(struct db *db, int64_t tenant, const char *key, char *out, size_t outlen)
{
	const struct legal_setting *s = legal_setting_find(key);
	int rc;

	if (!s)
		return DB_ERROR;
	rc = db_query_text(db, out, outlen, "SELECT value FROM legal_setting WHERE tenant_id = $1 AND setting = $2",
			   db_int(tenant), db_text(key));
	if (rc == DB_ROW)
		return 0;
	default_of(s, out, outlen);
	return rc < 0 ? rc : 0;
}

int64_t legal_setting_int(struct db *db, int64_t tenant, const char *key)
{
	const struct legal_setting *s = legal_setting_find(key);
	char text[64];
	int64_t v = 0;

	if (!s)
		return 0;
	if (legal_setting_text(db, tenant, key, text, sizeof(text)) < 0 || parse_int64_cstr(text, &v) < 0 ||
	    v < s->min || v > s->max) {
		default_of(s, text, sizeof(text));
		parse_int64_cstr(text, &v);
	}
	return v;
}

struct deadline_rule legal_rule(struct db *db, int64_t tenant, const struct deadline_rule *r)
{
	struct deadline_rule out = *r;

	if (legal_setting_find(r->code))
		out.length = (int)legal_setting_int(db, tenant, r->code);
	return out;
}

/* ===== API ===== */

static int may_read(const struct session *s)
{
	return session_has_perm(s, "review.read") || session_has_perm(s, "normdocs.read") ||
	       session_has_perm(s, "decisions.read");
}

static json_t *setting_json(struct request *req, int64_t tenant, const struct legal_setting *s)
{
	const struct deadline_rule *r = legal_setting_rule(s);
	char value[64], def[64];
	json_t *o;

	legal_setting_text(req->db, tenant, s->key, value, sizeof(value));
	default_of(s, def, sizeof(def));
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:b}", "key", s->key, "name", r ? r->name : s->name ? s->name : s->key, "type",
		      s->is_text ? "text" : "int", "value", value, "default", def, "changed", strcmp(value, def) != 0,
		      "editable", session_has_perm(req->session, s->perm));
	json_object_set_new(o, "basis", json_string(r ? r->basis : s->basis ? s->basis : ""));
	if (r)
		json_object_set_new(o, "unit", json_string(r->unit == DEADLINE_WORKING_DAYS ? "工作日" : "日"));
	if (!s->is_text) {
		json_object_set_new(o, "min", json_integer(s->min));
		json_object_set_new(o, "max", json_integer(s->max));
	}
	return o;
}

static int settings_list(struct request *req)
{
	int64_t tenant = legal_tenant_of(req->session->tenant_path);
	const struct legal_setting *s;
	json_t *items = json_array();

	if (!may_read(req->session)) {
		json_decref(items);
		return api_error(req, "FORBIDDEN", NULL, NULL);
	}
	for (s = legal_settings; s->key; s++)
		json_array_append_new(items, setting_json(req, tenant, s));
	req->reply = json_pack("{s:o}", "items", items);
	return 0;
}

static int settings_put(struct request *req)
{
	const struct legal_setting *s = legal_setting_find(req_param(req, "key"));
	int64_t tenant = legal_tenant_of(req->session->tenant_path);
	const char *value = body_str(req, "value"), *why;
	char old[64];
	int rc;

	if (!s)
		return api_error(req, "NOT_FOUND", "没有这项设置", NULL);
	req->audit_object_type = "legal_setting";
	snprintf(req->audit_object_id, sizeof(req->audit_object_id), "%s", s->key);
	if (!session_has_perm(req->session, s->perm))
		return api_error(req, "FORBIDDEN", NULL, NULL);
	why = legal_setting_check(s, value);
	if (why)
		return api_field_error(req, "value", why);
	legal_setting_text(req->db, tenant, s->key, old, sizeof(old));
	rc = db_exec(req->db,
		     "INSERT INTO legal_setting (tenant_id, setting, value, updated_by, updated_at)"
		     " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, setting) DO UPDATE SET value = excluded.value,"
		     " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
		     db_int(tenant), db_text(s->key), db_text(value), db_int(req->session->user_id), db_int(time_now()));
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = arena_printf(&req->arena, "修改设置“%s”:%s → %s", s->key, old, value);
	req->reply = setting_json(req, tenant, s);
	return 0;
}

static const struct body_field put_body[] = {
	{ "value", FIELD_STRING, 1, 1, 32, "设置值", NULL, NULL },
	CASE_END_FIELD,
};

static const struct route routes[] = {
	{ HTTP_GET, "/api/v1/legal-settings", settings_list, NULL, 0, NULL, NULL },
	{ HTTP_PUT, "/api/v1/legal-settings/{key}", settings_put, NULL, ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, put_body,
	  "legal_setting.update" },
};

const struct module legal_settings_module = { "legal_settings", routes, ARRAY_SIZE(routes) };
