/*
 * 行政规范性文件 routes: POST /api/v1/normdocs registers an issued document
 * (统一登记, numbered PREFIX-YEAR-NNNN unless an older number is given),
 * PATCH corrects its descriptive fields, GET lists the register with
 * filters and full-text search, GET /api/v1/normdocs/export is the same
 * list as .xlsx. Filing, its result and every change of status are actions
 * of the case engine (POST /api/v1/cases/{id}/actions/{code}), listed in the
 * table below.
 */
#include <stdio.h>
#include <string.h>

#include "normdocs.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "domain/review/review.h"
#include "report/xlsx_export.h"
#include "core/banned.h"

/* ===== effects of the actions ===== */

static int fail_db(struct case_ctx *x, int rc)
{
	return rc < 0 ? api_db_error(x->req, rc) : 0;
}

static int filed_date_of(struct case_ctx *x, char out[11])
{
	int rc = db_query_text(x->req->db, out, 11, "SELECT COALESCE(filed_date, '') FROM normdoc WHERE case_id = $1",
			       db_int(x->c->id));

	return rc == DB_ROW ? 0 : fail_db(x, rc < 0 ? rc : DB_ERROR);
}

static int file(struct case_ctx *x)
{
	char filed[11], due[11] = "";
	int d_due;

	if (filed_date_of(x, filed) < 0)
		return -1;
	if (*filed)
		return api_error(x->req, "INVALID_STATE", arena_printf(&x->req->arena, "该文件已于%s报送备案", filed),
				 NULL);
	db_query_text(x->req->db, due, sizeof(due),
		      "SELECT COALESCE(due_date, '') FROM case_deadline WHERE case_id = $1 AND rule = 'normdoc.filing'"
		      " ORDER BY id DESC LIMIT 1",
		      db_int(x->c->id));
	if (fail_db(x, db_exec(x->req->db, "UPDATE normdoc SET filed_date = $1, filing_authority = $2 WHERE case_id = $3",
			       db_text(x->date_s), db_text(body_str(x->req, "authority")), db_int(x->c->id))) < 0 ||
	    fail_db(x, case_deadline_close(x->req->db, x->c->id, "normdoc.filing", "met", x->date_s)) < 0)
		return -1;
	if (*due && date_parse(due, &d_due) == 0 && x->date > d_due)
		x->detail = arena_printf(&x->req->arena, "报送%s备案,逾期%d日(期限%s)", body_str(x->req, "authority"),
					 date_diff_days(d_due, x->date), due);
	else
		x->detail = arena_printf(&x->req->arena, "报送%s备案,按期报送", body_str(x->req, "authority"));
	return 0;
}

static int filing_result(struct case_ctx *x)
{
	const char *result = body_str(x->req, "result"), *text = body_str(x->req, "opinion_text");
	int64_t opinions = body_int(x->req, "opinions", 0), done = 0;
	char filed[11];

	if (filed_date_of(x, filed) < 0)
		return -1;
	if (!*filed)
		return api_error(x->req, "INVALID_STATE", "该文件尚未报送备案,不能登记备案审查结果", NULL);
	db_query_int(x->req->db, &done, "SELECT COUNT(*) FROM normdoc WHERE case_id = $1 AND filing_result IS NOT NULL",
		     db_int(x->c->id));
	if (done)
		return api_error(x->req, "INVALID_STATE", "该文件已登记备案审查结果", NULL);
	if (!strcmp(result, "refused") && (!text || !*text))
		return api_field_error(x->req, "opinion_text", "不予登记的,应当写明审查意见");
	x->detail = arena_printf(&x->req->arena, "备案审查:%s,提出审查意见%lld条", strcmp(result, "refused") ? "登记" : "不予登记",
				 (long long)opinions);
	return fail_db(x, db_exec(x->req->db,
				  "UPDATE normdoc SET filing_result = $1, filing_result_date = $2, filing_opinions = $3,"
				  " filing_opinion_text = $4 WHERE case_id = $5",
				  db_text(result), db_text(x->date_s), db_int(opinions), db_text(text), db_int(x->c->id)));
}

static int with_reason(struct case_ctx *x, const char *verb)
{
	x->detail = arena_printf(&x->req->arena, "%s:%s", verb, body_str(x->req, "reason"));
	return 0;
}

static int mark_to_amend(struct case_ctx *x)
{
	return with_reason(x, "列为拟修改");
}

static int keep(struct case_ctx *x)
{
	return with_reason(x, "继续有效");
}

static int amend(struct case_ctx *x)
{
	return with_reason(x, "已修改");
}

static int end_doc(struct case_ctx *x, const char *verb)
{
	with_reason(x, verb);
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

static int repeal(struct case_ctx *x)
{
	return end_doc(x, "废止");
}

static int expire(struct case_ctx *x)
{
	return end_doc(x, "宣布失效");
}

static int renew(struct case_ctx *x)
{
	char effective[11];
	int eff, until;

	if (date_parse(body_str(x->req, "expiry_date"), &until) < 0)
		return api_field_error(x->req, "expiry_date", "有效期截止日期格式应为2021-03-05");
	if (until <= x->date)
		return api_field_error(x->req, "expiry_date", "新的有效期截止日期应晚于本次重新公布的日期");
	if (db_query_text(x->req->db, effective, sizeof(effective), "SELECT effective_date FROM normdoc WHERE case_id = $1",
			  db_int(x->c->id)) != DB_ROW ||
	    date_parse(effective, &eff) < 0)
		return api_error(x->req, "INTERNAL", NULL, NULL);
	{
		char until_s[11];

		date_format(until, until_s);
		if (fail_db(x, db_exec(x->req->db, "UPDATE normdoc SET expiry_date = $1 WHERE case_id = $2",
				       db_text(until_s), db_int(x->c->id))) < 0 ||
		    fail_db(x, case_deadline_close(x->req->db, x->c->id, "normdoc.expiry", "cancelled", x->date_s)) < 0 ||
		    legal_deadline_open(x->req, x->c, "normdoc.expiry", eff, date_diff_days(eff, until)) < 0)
			return -1;
		x->detail = arena_printf(&x->req->arena, "重新公布,有效期至%s:%s", until_s, body_str(x->req, "reason"));
	}
	return 0;
}

/* ===== action table ===== */

static const char *const filing_results[] = { "registered", "refused", NULL };

static const struct body_field f_file[] = {
	CASE_DATE_FIELD, { "authority", FIELD_STRING, 1, 2, 100, "备案机关", NULL, NULL }, CASE_END_FIELD
};
static const struct body_field f_filing_result[] = {
	CASE_DATE_FIELD,
	{ "result", FIELD_STRING, 1, 1, 16, "备案审查结果", NULL, filing_results },
	{ "opinions", FIELD_INT, 0, 0, 1000, "审查意见条数", NULL, NULL },
	{ "opinion_text", FIELD_STRING, 0, 0, 4000, "审查意见", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_reason[] = {
	CASE_DATE_FIELD, { "reason", FIELD_STRING, 1, 2, 1000, "理由", NULL, NULL }, CASE_END_FIELD
};
static const struct body_field f_renew[] = {
	CASE_DATE_FIELD,
	{ "expiry_date", FIELD_STRING, 1, 8, 11, "新的有效期截止日期", case_check_date, NULL },
	{ "reason", FIELD_STRING, 1, 2, 1000, "理由", NULL, NULL },
	CASE_END_FIELD,
};

static const struct case_action normdoc_actions[] = {
	{ "effective,to_amend,amended", "file", "报送备案", NULL, f_file, file },
	{ "effective,to_amend,amended,repealed,expired", "filing_result", "登记备案审查结果", NULL, f_filing_result,
	  filing_result },
	{ "effective,amended", "mark_to_amend", "列为拟修改", "to_amend", f_reason, mark_to_amend },
	{ "to_amend", "keep", "继续有效", "effective", f_reason, keep },
	{ "effective,to_amend", "amend", "已修改", "amended", f_reason, amend },
	{ "effective,to_amend,amended", "renew", "重新公布(延续有效期)", NULL, f_renew, renew },
	{ "effective,to_amend,amended", "repeal", "废止", "repealed", f_reason, repeal },
	{ "effective,to_amend,amended", "expire", "宣布失效", "expired", f_reason, expire },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

/* No outcome: a document's result is its status. */
static const struct case_outcome normdoc_outcomes[] = { { NULL, NULL, 0, 0, 0 } };

const struct case_kind normdoc_kind = {
	"normdoc",	    "行政规范性文件", "normdocs.read",	"normdocs.manage",   "effective",
	normdoc_states, normdoc_actions, normdoc_outcomes, normdoc_rules,	    normdocs_store_detail,
};

/* ===== registration ===== */

/* An optional date of the body into out ("" when absent); 1 when present, -1 with a field error. */
static int body_date(struct request *req, const char *name, int *d, char out[11])
{
	out[0] = '\0';
	*d = 0;
	if (!body_str(req, name))
		return 0;
	if (date_parse(body_str(req, name), d) < 0)
		return api_field_error(req, name, "日期格式应为2021-03-05");
	date_format(*d, out);
	return 1;
}

/* The legality review a document links to: a review of a normative document that concluded it lawful. */
static int check_review(struct request *req, int64_t review_id)
{
	struct case_row r;
	char subject[32] = "";

	if (case_store_load(req->db, review_id, &r) != DB_ROW || r.kind != &review_kind ||
	    !case_visible(req->session, &r))
		return api_field_error(req, "review_id", "合法性审核记录不存在或不在您的数据权限范围内");
	review_store_get_text(req->db, review_id, "subject_kind", subject, sizeof(subject));
	if (strcmp(subject, "normative"))
		return api_field_error(req, "review_id", "关联的合法性审查应为行政规范性文件的审核");
	if (!review_conclusion_passes(r.outcome))
		return api_error(req, "INVALID_STATE",
				 "未经合法性审核或者经审核不合法的规范性文件不得印发:关联的审核尚未得出“合法”或“修改后合法”的结论",
				 json_pack("{s:I,s:s,s:s}", "review_id", (json_int_t)review_id, "state", r.state,
					   "outcome", r.outcome));
	return 0;
}

/* The registration number: the one given (checked unique in the tenant), else the next one. */
static int registration_number(struct request *req, int year, char *out, size_t outlen)
{
	int64_t tenant = legal_tenant_of(req->session->tenant_path), seq = 0, dup = 0;
	const char *given = body_str(req, "reg_no"), *why;
	char prefix[32];
	int rc;

	if (given) {
		if ((why = normdoc_check_number(given)))
			return api_field_error(req, "reg_no", why);
		rc = db_query_int(req->db, &dup,
				  "SELECT COUNT(*) FROM case_file c JOIN org o ON o.id = c.org_id"
				  " WHERE c.kind = 'normdoc' AND c.case_no = $1 AND o.path LIKE $2",
				  db_text(given), db_text(arena_printf(&req->arena, "%s%%", req->session->tenant_path)));
		if (rc < 0)
			return api_db_error(req, rc);
		if (dup)
			return api_field_error(req, "reg_no", "登记号已被使用");
		snprintf(out, outlen, "%s", given);
		return 0;
	}
	rc = case_store_next_seq(req->db, tenant, "normdoc", year, &seq);
	if (rc < 0)
		return api_db_error(req, rc);
	legal_setting_text(req->db, tenant, "normdocs.number_prefix", prefix, sizeof(prefix));
	normdoc_format_number(out, outlen, prefix, year, seq);
	return 0;
}

static int normdocs_create(struct request *req)
{
	struct normdoc_new n;
	struct org issuer;
	struct case_row c;
	char reg_no[64], eff_s[11], exp_s[11], cs_s[11], ce_s[11], filed_s[11];
	int issued, eff, exp, cs, ce, filed, rc;
	int64_t id;

	memset(&n, 0, sizeof(n));
	rc = org_store_get(req->db, body_int(req, "issuing_org_id", 0), &issuer);
	if (rc != DB_ROW || !session_can_see_path(req->session, issuer.path))
		return api_field_error(req, "issuing_org_id", "制定机关不存在或不在您的数据权限范围内");
	date_parse(body_str(req, "issued_date"), &issued);
	if (issued > time_today_cst())
		return api_field_error(req, "issued_date", "公布日期不能晚于今天");
	if (body_date(req, "effective_date", &eff, eff_s) < 0 || body_date(req, "expiry_date", &exp, exp_s) < 0 ||
	    body_date(req, "comment_start", &cs, cs_s) < 0 || body_date(req, "comment_end", &ce, ce_s) < 0 ||
	    body_date(req, "filed_date", &filed, filed_s) < 0)
		return -1;
	if (!eff) {
		eff = issued;
		date_format(eff, eff_s);
	}
	if (eff < issued)
		return api_field_error(req, "effective_date", "施行日期不能早于公布日期");
	if (body_has(req, "validity_years")) {
		int y, m, d;

		if (exp)
			return api_field_error(req, "validity_years", "有效期年数和有效期截止日期只填一项");
		date_split(eff, &y, &m, &d);
		y += (int)body_int(req, "validity_years", 0);
		/* Five years from 2021-03-01 end on 2026-02-28; from a 29 February, on 28 February. */
		exp = date_from_ymd(y, m, d) > 0 ? date_add_days(date_from_ymd(y, m, d), -1) : date_from_ymd(y, m, 28);
		date_format(exp, exp_s);
	}
	if (exp && exp <= eff)
		return api_field_error(req, "expiry_date", "有效期截止日期应晚于施行日期");
	if (!cs != !ce)
		return api_field_error(req, cs ? "comment_end" : "comment_start", "公开征求意见的起止日期应同时填写");
	if (cs && (ce < cs || ce > issued))
		return api_field_error(req, "comment_end", "征求意见截止日期应不早于开始日期且不晚于公布日期");
	if (filed && (filed < issued || filed > time_today_cst()))
		return api_field_error(req, "filed_date", "报送备案日期应在公布日期和今天之间");
	if (filed && !body_str(req, "filing_authority"))
		return api_field_error(req, "filing_authority", "填写报送备案日期时须写明备案机关");
	n.review_id = body_int(req, "review_id", 0);
	if (n.review_id && check_review(req, n.review_id) < 0)
		return -1;
	if (registration_number(req, issued / 10000, reg_no, sizeof(reg_no)) < 0)
		return -1;
	if (case_create(req, &normdoc_kind, issuer.id, 0, reg_no, body_str(req, "title"), body_str(req, "issued_date"),
			&id) < 0)
		return -1;
	n.doc_no = body_str(req, "doc_no");
	n.effective = eff_s;
	n.expiry = exp ? exp_s : NULL;
	n.comment_start = cs ? cs_s : NULL;
	n.comment_end = ce ? ce_s : NULL;
	n.comment_reason = body_str(req, "comment_short_reason");
	n.text = body_str(req, "text");
	n.affects_business = (int)body_int(req, "affects_business", 0);
	rc = normdocs_store_insert(req->db, id, &n);
	if (rc == 0)
		rc = case_store_load(req->db, id, &c) == DB_ROW ? 0 : DB_ERROR;
	if (rc < 0)
		return api_db_error(req, rc);
	if (legal_deadline_open(req, &c, "normdoc.filing", issued, 0) < 0)
		return -1;
	if (filed) {
		rc = db_exec(req->db, "UPDATE normdoc SET filed_date = $1, filing_authority = $2 WHERE case_id = $3",
			     db_text(filed_s), db_text(body_str(req, "filing_authority")), db_int(id));
		if (rc == 0)
			rc = case_deadline_close(req->db, id, "normdoc.filing", "met", filed_s);
		if (rc < 0)
			return api_db_error(req, rc);
	}
	if (exp && legal_deadline_open(req, &c, "normdoc.expiry", eff, date_diff_days(eff, exp)) < 0)
		return -1;
	req->audit_detail = arena_printf(&req->arena, "登记行政规范性文件 %s《%s》(%s)", reg_no, body_str(req, "title"),
					 n.doc_no);
	return case_created(req, &normdoc_kind, id, NULL, NULL);
}

/* PATCH: descriptive fields only; the status changes through actions. */
static int normdocs_update(struct request *req)
{
	struct case_row c;
	int64_t id;
	int rc, cs = 0, ce = 0;
	char cs_s[11], ce_s[11], today[11];

	if (req_param_id(req, "id", &id) < 0 || case_load_visible(req, id, &c) < 0)
		return -1;
	req_audit_object(req, "case", id);
	if (c.kind != &normdoc_kind)
		return api_error(req, "NOT_FOUND", "规范性文件不存在", NULL);
	if (body_date(req, "comment_start", &cs, cs_s) < 0 || body_date(req, "comment_end", &ce, ce_s) < 0)
		return -1;
	if (!cs != !ce)
		return api_field_error(req, cs ? "comment_end" : "comment_start", "公开征求意见的起止日期应同时填写");
	if (cs && ce < cs)
		return api_field_error(req, "comment_end", "征求意见截止日期不能早于开始日期");
	rc = db_exec(req->db, "UPDATE case_file SET title = COALESCE($1, title), updated_at = $2 WHERE id = $3",
		     db_text(body_str(req, "title")), db_int(time_now()), db_int(id));
	if (rc == 0)
		rc = db_exec(req->db,
			     "UPDATE normdoc SET doc_no = COALESCE($1, doc_no), body_text = COALESCE($2, body_text),"
			     " affects_business = CASE WHEN $3 < 0 THEN affects_business ELSE $3 END,"
			     " comment_start = CASE WHEN $4 = '' THEN comment_start ELSE $4 END,"
			     " comment_end = CASE WHEN $5 = '' THEN comment_end ELSE $5 END,"
			     " comment_short_reason = COALESCE($6, comment_short_reason) WHERE case_id = $7",
			     db_text(body_str(req, "doc_no")), db_text(body_str(req, "text")),
			     db_int(body_has(req, "affects_business") ? body_int(req, "affects_business", 0) : -1),
			     db_text(cs ? cs_s : ""), db_text(ce ? ce_s : ""), db_text(body_str(req, "comment_short_reason")),
			     db_int(id));
	date_format(time_today_cst(), today);
	if (rc == 0)
		rc = case_store_add_event(req->db, id, "correct", c.state, c.state, today, req->session->user_id,
					  "更正登记信息");
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = arena_printf(&req->arena, "%s 更正登记信息", c.case_no);
	return case_reply_detail(req, id, 200);
}

static int normdocs_list(struct request *req)
{
	int64_t limit, offset, page, total;
	json_t *items;

	req_paging(req, &limit, &offset, &page);
	if (normdocs_store_list(req, limit, offset, &items, &total) < 0)
		return -1;
	req->reply = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			       (json_int_t)page, "page_size", (json_int_t)limit);
	return 0;
}

static int normdocs_export(struct request *req)
{
	static const struct xlsx_column cols[] = {
		{ "reg_no", "登记号", 18 },	   { "doc_no", "文号", 24 },	       { "title", "文件名称", 48 },
		{ "org_name", "制定机关", 24 },	   { "issued_date", "公布日期", 12 },   { "effective_date", "施行日期", 12 },
		{ "expiry_date", "有效期至", 12 },   { "state_name", "状态", 10 },	       { "filed_date", "报送备案日期", 14 },
		{ "filing_due", "备案期限", 12 },    { "filing_result", "备案审查结果", 14 },
	};
	char *data = NULL;
	size_t len = 0;
	int64_t total;
	json_t *items;
	int rc;

	if (normdocs_store_list(req, 50000, 0, &items, &total) < 0)
		return -1;
	rc = xlsx_export("规范性文件", arena_printf(&req->arena, "行政规范性文件登记簿(共%lld件)", (long long)total), cols,
			 ARRAY_SIZE(cols), items, &data, &len);
	json_decref(items);
	return legal_reply_file(req, rc, data, len, "normdocs.xlsx");
}

static const struct body_field create_body[] = {
	{ "issuing_org_id", FIELD_INT, 1, 1, INT64_MAX, "制定机关", NULL, NULL },
	{ "title", FIELD_STRING, 1, 2, 300, "文件名称", NULL, NULL },
	{ "doc_no", FIELD_STRING, 1, 2, 64, "文号", NULL, NULL },
	{ "issued_date", FIELD_STRING, 1, 8, 11, "公布日期", case_check_date, NULL },
	{ "effective_date", FIELD_STRING, 0, 8, 11, "施行日期", case_check_date, NULL },
	{ "expiry_date", FIELD_STRING, 0, 8, 11, "有效期截止日期", case_check_date, NULL },
	{ "validity_years", FIELD_INT, 0, 1, 10, "有效期(年)", NULL, NULL },
	{ "review_id", FIELD_INT, 0, 1, INT64_MAX, "合法性审核记录", NULL, NULL },
	{ "affects_business", FIELD_BOOL, 0, 0, 0, "涉及市场主体生产经营", NULL, NULL },
	{ "comment_start", FIELD_STRING, 0, 8, 11, "征求意见开始日期", case_check_date, NULL },
	{ "comment_end", FIELD_STRING, 0, 8, 11, "征求意见截止日期", case_check_date, NULL },
	{ "comment_short_reason", FIELD_STRING, 0, 0, 500, "征求意见期限较短的理由", NULL, NULL },
	{ "text", FIELD_STRING, 0, 0, 200000, "全文", NULL, NULL },
	{ "reg_no", FIELD_STRING, 0, 6, 30, "登记号", NULL, NULL },
	{ "filed_date", FIELD_STRING, 0, 8, 11, "报送备案日期", case_check_date, NULL },
	{ "filing_authority", FIELD_STRING, 0, 2, 100, "备案机关", NULL, NULL },
	{ "handler_id", FIELD_INT, 0, 1, INT64_MAX, "承办人", NULL, NULL },
	CASE_END_FIELD,
};

static const struct body_field update_body[] = {
	{ "title", FIELD_STRING, 0, 2, 300, "文件名称", NULL, NULL },
	{ "doc_no", FIELD_STRING, 0, 2, 64, "文号", NULL, NULL },
	{ "text", FIELD_STRING, 0, 0, 200000, "全文", NULL, NULL },
	{ "affects_business", FIELD_BOOL, 0, 0, 0, "涉及市场主体生产经营", NULL, NULL },
	{ "comment_start", FIELD_STRING, 0, 8, 11, "征求意见开始日期", case_check_date, NULL },
	{ "comment_end", FIELD_STRING, 0, 8, 11, "征求意见截止日期", case_check_date, NULL },
	{ "comment_short_reason", FIELD_STRING, 0, 0, 500, "征求意见期限较短的理由", NULL, NULL },
	CASE_END_FIELD,
};

static const struct route normdocs_routes[] = {
	{ HTTP_GET, "/api/v1/normdocs", normdocs_list, "normdocs.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/normdocs/export", normdocs_export, "normdocs.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/normdocs", normdocs_create, "normdocs.manage", ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON,
	  create_body, "normdoc.create" },
	{ HTTP_PATCH, "/api/v1/normdocs/{id}", normdocs_update, "normdocs.manage", ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON,
	  update_body, "normdoc.update" },
};

const struct module normdocs_module = { "normdocs", normdocs_routes, ARRAY_SIZE(normdocs_routes) };
