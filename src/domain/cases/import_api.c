/*
 * /api/v1/import/{kind}: upload a ledger (.csv or .xlsx) for an org; the
 * whole file is checked and imported in one transaction, or nothing is and
 * every bad row is listed. GET …/template gives the CSV template.
 */
#include <stdio.h>
#include <string.h>

#include "case_import.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "core/banned.h"

/* ?org= takes an org id or a division code; default: the root of the caller's tree. */
static int import_target(struct request *req, int64_t *org_id)
{
	const char *v = req_query(req, "org");
	struct org org;
	int64_t id = 0;

	if (!v || !*v) {
		parse_int64(req->session->tenant_path + 1, strlen(req->session->tenant_path) - 2, &id);
	} else if (strlen(v) >= 6) {
		if (db_query_int(req->db, &id, "SELECT id FROM org WHERE division_code = $1 AND status = 'active'",
				 db_text(v)) != DB_ROW)
			return api_field_error(req, "org", "找不到该区划代码对应的机构");
	} else if (parse_int64_cstr(v, &id) < 0) {
		return api_field_error(req, "org", "org 应为机构编号或区划代码");
	}
	if (org_store_get(req->db, id, &org) != DB_ROW || !session_can_see_path(req->session, org.path))
		return api_field_error(req, "org", "导入的目标机构不存在或不在您的数据权限范围内");
	*org_id = id;
	return 0;
}

static const struct import_spec *spec_for(struct request *req)
{
	const struct import_spec *spec = import_spec_find(req_param(req, "kind"));

	if (!spec) {
		api_error(req, "NOT_FOUND", "该类案件不支持导入", NULL);
		return NULL;
	}
	return spec;
}

static int import_post(struct request *req)
{
	const struct import_spec *spec = spec_for(req);
	json_t *errors = NULL;
	int64_t org_id;
	int n;

	if (!spec)
		return -1;
	if (!session_has_perm(req->session, spec->kind->handle_perm))
		return api_error(req, "FORBIDDEN", NULL, NULL);
	if (import_target(req, &org_id) < 0)
		return -1;
	n = import_run(req->db, &req->arena, spec, org_id, req->session->user_id, req->body ? req->body : "",
		       req->body_len, &errors);
	if (n == -2) {
		json_decref(errors);
		return api_error(req, "UNAVAILABLE", "导入时数据库出错,未导入任何案件", NULL);
	}
	if (n < 0) {
		size_t k = json_array_size(errors);

		return api_error(req, "VALIDATION_FAILED",
				 arena_printf(&req->arena, "文件有%zu处问题,未导入任何案件", k),
				 json_pack("{s:o}", "errors", errors));
	}
	json_decref(errors);
	req->audit_object_type = "org";
	snprintf(req->audit_object_id, sizeof(req->audit_object_id), "%lld", (long long)org_id);
	req->audit_detail = arena_printf(&req->arena, "导入%s历史台账 %d 件", spec->kind->name, n);
	req->reply = json_pack("{s:i,s:s}", "imported", n, "kind", spec->kind->code);
	req->status = 201;
	return 0;
}

static int import_template(struct request *req)
{
	const struct import_spec *spec = spec_for(req);
	size_t len;

	if (!spec)
		return -1;
	req->raw_body = import_template_csv(&req->arena, spec, &len);
	req->raw_len = len;
	req->content_type_out = "text/csv; charset=utf-8";
	req->disposition = arena_printf(&req->arena, "attachment; filename=\"%s-template.csv\"", spec->kind->code);
	return 0;
}

static const struct route import_routes[] = {
	{ HTTP_POST, "/api/v1/import/{kind}", import_post, NULL, ROUTE_TX | ROUTE_AUDIT | ROUTE_UPLOAD, NULL,
	  "case.import" },
	{ HTTP_GET, "/api/v1/import/{kind}/template", import_template, NULL, 0, NULL, NULL },
};

const struct module import_module = { "import", import_routes, ARRAY_SIZE(import_routes) };
