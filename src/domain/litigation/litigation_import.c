/*
 * The 行政应诉 ledger import: columns, row checks, and how a historical row
 * becomes a court case (立案 → 裁判 → 结案) with consistent timeline.
 */
#include <stdio.h>
#include <string.h>

#include "litigation.h"
#include "core/calendar.h"
#include "db/db.h"
#include "domain/cases/case_import.h"
#include "core/banned.h"

static const char *const columns[] = { "案号",	 "审级",	 "法院",	 "被告",	 "立案日期", "上年结转",
				       "是否开庭", "负责人出庭", "裁判结果", "结案日期", NULL };
static const char *const required[] = { "案号", "审级", "法院", "被告", "立案日期", NULL };

static const char *const instance_labels[] = { "一审", "二审", "再审", NULL };
static const char *const instance_codes[] = { "first", "second", "retrial" };
static const char *const result_labels[] = { "驳回诉讼请求", "撤销", "部分撤销", "确认违法", "确认无效", "责令履行",
					     "变更", "原告撤诉", "调解", "驳回起诉", "其他", NULL };
static const char *const result_codes[] = { "reject_claims", "revoke",	"partial_revoke", "confirm_illegal",
					    "confirm_invalid", "order_perform", "change",	  "withdrawn",
					    "mediation",	"dismiss",	"other" };

struct row {
	const char *case_no, *court, *instance, *result;
	char filed[11], closed[11];
	int64_t defendant;
	char defendant_name[256];
	int carried_over, hearing, head;
};

static void *check(struct import_ctx *x)
{
	struct row *r = arena_zalloc(x->arena, sizeof(*r));
	int bad = 0;

	r->case_no = import_cell(x, "案号");
	r->court = import_cell(x, "法院");
	if (!*r->case_no)
		bad = !import_error(x, "案号", "案号不能为空");
	if (!*r->court)
		bad = !import_error(x, "法院", "法院不能为空");
	bad |= import_choice(x, "审级", instance_labels, instance_codes, 1, &r->instance) < 0;
	bad |= import_org(x, "被告", &r->defendant, r->defendant_name, sizeof(r->defendant_name)) < 0;
	bad |= import_date(x, "立案日期", 1, r->filed) < 0;
	bad |= import_date(x, "结案日期", 0, r->closed) < 0;
	bad |= import_yes_no(x, "上年结转", &r->carried_over) < 0;
	bad |= import_yes_no(x, "是否开庭", &r->hearing) < 0;
	bad |= import_yes_no(x, "负责人出庭", &r->head) < 0;
	bad |= import_choice(x, "裁判结果", result_labels, result_codes, 0, &r->result) < 0;
	if (bad)
		return NULL;
	if (r->head && !r->hearing)
		return import_error(x, "负责人出庭", "未开庭的案件不会有负责人出庭");
	if (r->result && !*r->closed)
		return import_error(x, "结案日期", "有裁判结果的案件须填写结案日期");
	if (*r->closed && !r->result)
		return import_error(x, "裁判结果", "已结案的案件须填写裁判结果");
	if (*r->closed && strcmp(r->closed, r->filed) < 0)
		return import_error(x, "结案日期", "结案日期早于立案日期");
	return r;
}

static int insert(struct import_ctx *x, void *p)
{
	struct row *r = p;
	int year = (r->filed[0] - '0') * 1000 + (r->filed[1] - '0') * 100 + (r->filed[2] - '0') * 10 + (r->filed[3] - '0');
	int64_t id;
	struct case_row c;
	int rc;

	rc = case_store_insert(x->db, "litigation", r->defendant, r->defendant, r->case_no, year, 0,
			       arena_printf(x->arena, "%s %s应诉案件", r->case_no, r->defendant_name),
			       r->result ? "closed" : "pending", 0, r->filed, x->actor_id, &id);
	if (rc == 0)
		rc = litigation_store_insert(x->db, id, r->instance, r->court, r->filed, NULL, r->carried_over, 0);
	if (rc == 0)
		/* A ledger has no hearing date: the case's closing (or filing) date stands in for it. */
		rc = db_exec(x->db,
			     "UPDATE litigation SET hearing_held = $1, head_appeared = $2,"
			     " hearing_date = CASE WHEN $1 = 1 THEN $4 END WHERE case_id = $3",
			     db_int(r->hearing), db_int(r->head), db_int(id), db_text(*r->closed ? r->closed : r->filed));
	if (rc == 0)
		rc = case_store_add_event(x->db, id, "import", NULL, "pending", r->filed, x->actor_id, "由历史台账导入");
	if (rc == 0 && r->result) {
		const struct case_outcome *o = case_outcome_find(&litigation_kind, r->result);

		rc = case_store_set_outcome(x->db, id, o);
		if (rc == 0)
			rc = case_store_set_date(x->db, id, "decided_date", r->closed);
		if (rc == 0)
			rc = case_store_set_date(x->db, id, "closed_date", r->closed);
		if (rc == 0)
			rc = case_store_add_event(x->db, id, "judge", "pending", "judged", r->closed, x->actor_id,
						  arena_printf(x->arena, "法院裁判:%s%s", o->name, o->lost ? "(败诉)" : ""));
		if (rc == 0)
			rc = case_store_add_event(x->db, id, "close", "judged", "closed", r->closed, x->actor_id,
						  "裁判生效,结案");
		return rc;
	}
	if (rc < 0)
		return rc;
	if (case_store_load(x->db, id, &c) != DB_ROW)
		return DB_ERROR;
	{
		int start;

		date_parse(r->filed, &start);
		return case_deadline_open(x->db, &c, case_rule_find(&litigation_kind, "litigation.answer"), start);
	}
}

const struct import_spec litigation_import = { &litigation_kind, columns, required, check, insert };
