/*
 * /api/v1/metrics: every metric of the catalogue for an org and a period,
 * one metric broken down by child org or month, and the catalogue itself.
 * The org must be inside the caller's data scope.
 */
#include <stdio.h>
#include <string.h>

#include "metric.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "http/request.h"
#include "core/banned.h"

/* ?org=&from=&to= (default: the caller's tree root, this year so far). */
static int scope_from_query(struct request *req, struct metric_scope *s, char *name, size_t namelen)
{
	const char *org = req_query(req, "org"), *from = req_query(req, "from"), *to = req_query(req, "to");
	const char *year = req_query(req, "year");
	int today = time_today_cst();
	int64_t y;
	int rc;

	memset(s, 0, sizeof(*s));
	if (!org || !*org)
		org = arena_strndup(&req->arena, req->session->tenant_path + 1, strlen(req->session->tenant_path) - 2);
	rc = metric_scope_org(req->db, org, s, name, namelen);
	if (rc < 0)
		return api_db_error(req, rc);
	if (rc != DB_ROW)
		return api_field_error(req, "org", "找不到该机构(org 可以是机构编号或行政区划代码)");
	if (!session_can_see_path(req->session, s->path) && strncmp(s->path, req->session->org_path,
								     strlen(req->session->org_path)))
		return api_error(req, "OUT_OF_SCOPE", NULL, NULL);
	if (year && *year) {
		if (parse_int64_cstr(year, &y) < 0 || y < 2000 || y > 2100)
			return api_field_error(req, "year", "年份应在2000到2100之间");
		s->from = (int)y * 10000 + 101;
		s->to = (int)y * 10000 + 1231;
	} else {
		s->from = today / 10000 * 10000 + 101;
		s->to = today;
	}
	if (from && *from && date_parse(from, &s->from) < 0)
		return api_field_error(req, "from", "开始日期格式应为2021-01-01");
	if (to && *to && date_parse(to, &s->to) < 0)
		return api_field_error(req, "to", "结束日期格式应为2021-12-31");
	if (s->to < s->from)
		return api_field_error(req, "to", "结束日期早于开始日期");
	return 0;
}

static json_t *scope_json(const struct metric_scope *s, const char *name)
{
	char from[11], to[11];

	date_format(s->from, from);
	date_format(s->to, to);
	return json_pack("{s:{s:I,s:s},s:s,s:s}", "org", "id", (json_int_t)s->org_id, "name", name, "from", from, "to", to);
}

static int metrics_all(struct request *req)
{
	const struct metric_catalog *c = metric_catalog();
	struct metric_scope s;
	char name[256];
	json_t *all;

	if (!c)
		return api_error(req, "INTERNAL", "指标目录加载失败", NULL);
	if (scope_from_query(req, &s, name, sizeof(name)) < 0)
		return -1;
	all = metric_all_json(req->db, c, &s);
	if (!all)
		return api_error(req, "UNAVAILABLE", NULL, NULL);
	req->reply = scope_json(&s, name);
	json_object_set_new(req->reply, "metrics", all);
	return 0;
}

static int metrics_one(struct request *req)
{
	const struct metric_catalog *c = metric_catalog();
	const struct metric_def *d = metric_find(c, req_param(req, "id"));
	const char *by = req_query(req, "by");
	struct metric_scope s;
	char name[256];
	json_t *one, *rows = NULL;

	if (!c || !d)
		return api_error(req, "NOT_FOUND", "指标不存在", NULL);
	if (by && *by && strcmp(by, "org") && strcmp(by, "month"))
		return api_field_error(req, "by", "by 应为 org(按下级机构)或 month(按月)");
	if (scope_from_query(req, &s, name, sizeof(name)) < 0)
		return -1;
	one = metric_one_json(req->db, c, d, &s);
	if (one && by && *by)
		rows = metric_breakdown_json(req->db, c, d, &s, by);
	if (!one || (by && *by && !rows)) {
		json_decref(one);
		return api_error(req, "UNAVAILABLE", NULL, NULL);
	}
	req->reply = scope_json(&s, name);
	json_object_set_new(req->reply, "id", json_string(d->id));
	json_object_update(req->reply, one);
	json_decref(one);
	if (rows) {
		json_object_set_new(req->reply, "by", json_string(by));
		json_object_set_new(req->reply, "rows", rows);
	}
	return 0;
}

static int metrics_catalog_list(struct request *req)
{
	static const char *const kinds[] = { "count", "sum", "ratio", "sum_of" };
	const struct metric_catalog *c = metric_catalog();
	json_t *items = json_array();
	size_t i;

	for (i = 0; c && i < c->n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s}", "id", c->defs[i].id, "name", c->defs[i].name,
						       "unit", c->defs[i].unit, "kind", kinds[c->defs[i].kind]));
	req->reply = json_pack("{s:o}", "items", items);
	return 0;
}

static const struct route metric_routes[] = {
	{ HTTP_GET, "/api/v1/metrics", metrics_all, "report.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/metrics/{id}", metrics_one, "report.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/metric-catalog", metrics_catalog_list, "report.read", 0, NULL, NULL },
};

const struct module metric_module = { "metric", metric_routes, ARRAY_SIZE(metric_routes) };
