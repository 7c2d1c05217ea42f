/* SQL of the case core: cases, parties, timeline, deadlines, pauses, lists. */
#include <stdio.h>
#include <string.h>

#include "case.h"
#include "core/calendar.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "core/validate.h"
#include "db/db.h"
#include "core/banned.h"

#define MAX_PAUSES 32

int case_store_load(struct db *db, int64_t id, struct case_row *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st,
			    "SELECT c.id, c.kind, c.org_id, COALESCE(c.party_org_id, 0), c.state, c.case_no,"
			    " c.received_date, COALESCE(c.accepted_date, ''), COALESCE(c.outcome, ''), o.path,"
			    " COALESCE(p.path, ''), c.extension_days"
			    " FROM case_file c JOIN org o ON o.id = c.org_id LEFT JOIN org p ON p.id = c.party_org_id"
			    " WHERE c.id = $1");

	if (rc < 0)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		memset(out, 0, sizeof(*out));
		out->id = db_col_int(st, 0);
		out->kind = case_kind_find(db_col_text(st, 1));
		out->org_id = db_col_int(st, 2);
		out->party_org_id = db_col_int(st, 3);
		snprintf(out->state, sizeof(out->state), "%s", db_col_text(st, 4));
		snprintf(out->case_no, sizeof(out->case_no), "%s", db_col_text(st, 5));
		snprintf(out->received, sizeof(out->received), "%s", db_col_text(st, 6));
		snprintf(out->accepted, sizeof(out->accepted), "%s", db_col_text(st, 7));
		snprintf(out->outcome, sizeof(out->outcome), "%s", db_col_text(st, 8));
		snprintf(out->org_path, sizeof(out->org_path), "%s", db_col_text(st, 9));
		snprintf(out->party_path, sizeof(out->party_path), "%s", db_col_text(st, 10));
		out->extension_days = db_col_int(st, 11);
		if (!out->kind)
			rc = DB_DONE; /* a kind this binary does not know: treat as absent */
	}
	db_done(st);
	return rc;
}

int case_store_next_seq(struct db *db, int64_t org_id, const char *kind, int year, int64_t *seq)
{
	int rc = db_exec(db,
			 "INSERT INTO case_counter (org_id, kind, year, last_seq) VALUES ($1, $2, $3, 1)"
			 " ON CONFLICT (org_id, kind, year) DO UPDATE SET last_seq = case_counter.last_seq + 1",
			 db_int(org_id), db_text(kind), db_int(year));

	if (rc < 0)
		return rc;
	rc = db_query_int(db, seq, "SELECT last_seq FROM case_counter WHERE org_id = $1 AND kind = $2 AND year = $3",
			  db_int(org_id), db_text(kind), db_int(year));
	return rc == DB_ROW ? 0 : (rc < 0 ? rc : DB_ERROR);
}

int case_store_insert(struct db *db, const char *kind, int64_t org_id, int64_t party_org_id, const char *case_no,
		      int year, int64_t seq, const char *title, const char *state, int64_t handler_id,
		      const char *received, int64_t created_by, int64_t *id)
{
	struct db_stmt *st;
	int64_t now = time_now();
	int rc =
	    db_prepare(db, &st,
		       "INSERT INTO case_file (kind, org_id, party_org_id, case_no, case_year, case_seq, title, state,"
		       " handler_id, received_date, created_by, created_at, updated_at)"
		       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)");

	if (rc < 0)
		return rc;
	db_bind_text(st, 1, kind);
	db_bind_int(st, 2, org_id);
	if (party_org_id)
		db_bind_int(st, 3, party_org_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, case_no);
	db_bind_int(st, 5, year);
	if (seq)
		db_bind_int(st, 6, seq);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, title);
	db_bind_text(st, 8, state);
	if (handler_id)
		db_bind_int(st, 9, handler_id);
	else
		db_bind_null(st, 9);
	db_bind_text(st, 10, received);
	db_bind_int(st, 11, created_by);
	db_bind_int(st, 12, now);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	*id = db_last_insert_id(db);
	return 0;
}

int case_store_add_event(struct db *db, int64_t case_id, const char *action, const char *from, const char *to,
			 const char *date, int64_t actor, const char *detail)
{
	return db_exec(db,
		       "INSERT INTO case_event (case_id, action, from_state, to_state, event_date, actor_id, detail,"
		       " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		       db_int(case_id), db_text(action), db_text(from), db_text(to), db_text(date), db_int(actor),
		       db_text(detail ? detail : ""), db_int(time_now()));
}

int case_store_set_state(struct db *db, int64_t case_id, const char *state)
{
	return db_exec(db, "UPDATE case_file SET state = $1, updated_at = $2 WHERE id = $3", db_text(state),
		       db_int(time_now()), db_int(case_id));
}

int case_store_set_date(struct db *db, int64_t case_id, const char *column, const char *date)
{
	static const char *const columns[] = { "accepted_date", "decided_date", "closed_date", NULL };
	size_t i;

	for (i = 0; columns[i]; i++) {
		if (strcmp(columns[i], column))
			continue;
		switch (i) {
		case 0:
			return db_exec(db, "UPDATE case_file SET accepted_date = $1 WHERE id = $2", db_text(date),
				       db_int(case_id));
		case 1:
			return db_exec(db, "UPDATE case_file SET decided_date = $1 WHERE id = $2", db_text(date),
				       db_int(case_id));
		default:
			return db_exec(db, "UPDATE case_file SET closed_date = $1 WHERE id = $2", db_text(date),
				       db_int(case_id));
		}
	}
	return DB_ERROR;
}

int case_store_set_outcome(struct db *db, int64_t case_id, const struct case_outcome *o)
{
	return db_exec(db, "UPDATE case_file SET outcome = $1, corrected = $2, mediated = $3, lost = $4 WHERE id = $5",
		       db_text(o->code), db_int(o->corrected), db_int(o->mediated), db_int(o->lost), db_int(case_id));
}

/*
 * One party from the request body: {"type":"person","name","id_number"?,
 * "phone"?,"address"?} or {"type":"legal_person","name","uscc"?} or
 * {"type":"org","org_id"}. Identifiers are validated; personal data is
 * sealed, masked and blind-indexed. Returns 0, or -1 with a field error.
 */
int case_store_add_party(struct request *req, int64_t case_id, const char *role, json_t *p, const char *field,
			 int64_t *party_id)
{
	const char *type = json_string_value(json_object_get(p, "type"));
	const char *name = json_string_value(json_object_get(p, "name"));
	const char *idn = json_string_value(json_object_get(p, "id_number"));
	const char *phone = json_string_value(json_object_get(p, "phone"));
	const char *addr = json_string_value(json_object_get(p, "address"));
	const char *uscc = json_string_value(json_object_get(p, "uscc"));
	json_t *org = json_object_get(p, "org_id");
	char idn_norm[24] = "", phone_norm[16] = "", uscc_norm[24] = "", idn_mask[24] = "", phone_mask[16] = "";
	char org_name[256] = "";
	const char *msg = NULL;
	struct db_stmt *st;
	int rc;

	if (!type || (strcmp(type, "person") && strcmp(type, "legal_person") && strcmp(type, "org")))
		return api_field_error(
		    req, field, "当事人类型应为 person(自然人)、legal_person(法人或其他组织)或 org(本系统内的机关)");
	if (!strcmp(type, "org")) {
		if (!json_is_integer(org) ||
		    db_query_text(req->db, org_name, sizeof(org_name), "SELECT name FROM org WHERE id = $1",
				  db_int(json_integer_value(org))) != DB_ROW)
			return api_field_error(req, field, "当事人机构不存在");
		name = org_name;
	}
	if (!name || !*name || strlen(name) > 300)
		return api_field_error(req, field, "当事人姓名或名称不能为空,且不超过100个字");
	if (idn && *idn) {
		if (validate_resident_id(idn, 0, idn_norm, sizeof(idn_norm), &msg) < 0)
			return api_field_error(req, field, arena_printf(&req->arena, "%s:%s", name, msg));
		mask_resident_id(idn_norm, idn_mask, sizeof(idn_mask));
	}
	if (phone && *phone) {
		if (validate_mobile(phone, phone_norm, sizeof(phone_norm), &msg) < 0)
			return api_field_error(req, field, arena_printf(&req->arena, "%s:%s", name, msg));
		mask_mobile(phone_norm, phone_mask, sizeof(phone_mask));
	}
	if (uscc && *uscc && validate_uscc(uscc, uscc_norm, sizeof(uscc_norm), &msg) < 0)
		return api_field_error(req, field, arena_printf(&req->arena, "%s:%s", name, msg));
	if ((*idn_norm || *phone_norm || (addr && *addr)) && !pii_ready())
		return api_error(req, "UNAVAILABLE", "个人信息加密密钥未加载,无法保存证件号码、电话或地址", NULL);

	rc =
	    db_prepare(req->db, &st,
		       "INSERT INTO case_party (case_id, role, party_type, name, org_id, id_number_enc, id_number_bidx,"
		       " id_number_mask, uscc, phone_enc, phone_mask, address_enc, created_at)"
		       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind_int(st, 1, case_id);
	db_bind_text(st, 2, role);
	db_bind_text(st, 3, type);
	db_bind_text(st, 4, name);
	if (json_is_integer(org) && !strcmp(type, "org"))
		db_bind_int(st, 5, json_integer_value(org));
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, *idn_norm ? pii_seal(&req->arena, idn_norm) : NULL);
	db_bind_text(st, 7, *idn_norm ? pii_blind_index(&req->arena, idn_norm) : NULL);
	db_bind_text(st, 8, *idn_mask ? idn_mask : NULL);
	db_bind_text(st, 9, *uscc_norm ? uscc_norm : NULL);
	db_bind_text(st, 10, *phone_norm ? pii_seal(&req->arena, phone_norm) : NULL);
	db_bind_text(st, 11, *phone_mask ? phone_mask : NULL);
	db_bind_text(st, 12, addr && *addr ? pii_seal(&req->arena, addr) : NULL);
	db_bind_int(st, 13, time_now());
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return api_db_error(req, rc);
	if (party_id)
		*party_id = db_last_insert_id(req->db);
	return 0;
}

/* ===== deadlines ===== */

static size_t load_pauses(struct db *db, int64_t case_id, int since, struct deadline_pause *out)
{
	struct db_stmt *st;
	size_t n = 0;

	if (db_prepare(db, &st,
		       "SELECT from_date, COALESCE(to_date, '') FROM case_pause WHERE case_id = $1 ORDER BY id") < 0)
		return 0;
	db_bind_int(st, 1, case_id);
	while (db_step(st) == DB_ROW && n < MAX_PAUSES) {
		int from = 0, to = 0;

		if (date_parse(db_col_text(st, 0), &from) < 0)
			continue;
		if (*db_col_text(st, 1) && date_parse(db_col_text(st, 1), &to) < 0)
			continue;
		if (to && to < since)
			continue;
		out[n].from = from;
		out[n].to = to;
		n++;
	}
	db_done(st);
	return n;
}

/* Due date text for a rule from start with the case's pauses and extension; "" when paused. */
static int compute_due(struct db *db, const struct case_row *c, const struct deadline_rule *r, int start,
		       char due_s[11], int *provisional)
{
	struct deadline_pause pauses[MAX_PAUSES];
	size_t n = r->pausable ? load_pauses(db, c->id, start, pauses) : 0;
	int due = 0, rc;

	rc = case_due_date(r, start, pauses, n, r->max_extension_days ? (int)c->extension_days : 0, &due, provisional);
	due_s[0] = '\0';
	if (rc == DEADLINE_PAUSED)
		return 0;
	if (rc < 0)
		return DB_ERROR;
	date_format(due, due_s);
	return 0;
}

int case_deadline_open(struct db *db, const struct case_row *c, const struct deadline_rule *r, int start)
{
	char start_s[11], due_s[11];
	int provisional = 0, rc;

	date_format(start, start_s);
	rc = compute_due(db, c, r, start, due_s, &provisional);
	if (rc < 0)
		return rc;
	/* The length is kept: r may carry a tenant's own period, which a recomputation must use again. */
	return db_exec(db,
		       "INSERT INTO case_deadline (case_id, rule, start_date, due_date, status, provisional, created_at,"
		       " period_length) VALUES ($1, $2, $3, NULLIF($4, ''), 'open', $5, $6, $7)",
		       db_int(c->id), db_text(r->code), db_text(start_s), db_text(due_s), db_int(provisional),
		       db_int(time_now()), db_int(r->length));
}

int case_deadline_close(struct db *db, int64_t case_id, const char *rule, const char *status, const char *date)
{
	return db_exec(
	    db,
	    "UPDATE case_deadline SET status = $1, met_date = $2 WHERE case_id = $3 AND rule = $4 AND status = 'open'",
	    db_text(status), db_text(date), db_int(case_id), db_text(rule));
}

int case_deadline_close_all(struct db *db, int64_t case_id, const char *keep, const char *date)
{
	return db_exec(db,
		       "UPDATE case_deadline SET status = 'cancelled', met_date = $1"
		       " WHERE case_id = $2 AND status = 'open' AND (',' || $3 || ',') NOT LIKE ('%,' || rule || ',%')",
		       db_text(date), db_int(case_id), db_text(keep ? keep : ""));
}

int case_deadline_recompute(struct db *db, const struct case_row *c)
{
	struct db_stmt *st;
	struct {
		int64_t id;
		char rule[64];
		int start;
		int64_t length;
	} open[32];
	size_t n = 0, i;
	int rc;

	rc = db_prepare(db, &st,
			"SELECT id, rule, start_date, COALESCE(period_length, 0) FROM case_deadline"
			" WHERE case_id = $1 AND status = 'open'");
	if (rc < 0)
		return rc;
	db_bind_int(st, 1, c->id);
	while ((rc = db_step(st)) == DB_ROW && n < ARRAY_SIZE(open)) {
		open[n].id = db_col_int(st, 0);
		snprintf(open[n].rule, sizeof(open[n].rule), "%s", db_col_text(st, 1));
		open[n].length = db_col_int(st, 3);
		if (date_parse(db_col_text(st, 2), &open[n].start) == 0)
			n++;
	}
	db_done(st);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		const struct deadline_rule *r = case_rule_find(c->kind, open[i].rule);
		struct deadline_rule own;
		char due_s[11];
		int provisional = 0;

		if (!r)
			continue;
		own = *r;
		if (open[i].length > 0)
			own.length = (int)open[i].length;
		rc = compute_due(db, c, &own, open[i].start, due_s, &provisional);
		if (rc == 0)
			rc = db_exec(
			    db, "UPDATE case_deadline SET due_date = NULLIF($1, ''), provisional = $2 WHERE id = $3",
			    db_text(due_s), db_int(provisional), db_int(open[i].id));
		if (rc < 0)
			return rc;
	}
	return 0;
}

int case_pause_open(struct db *db, int64_t case_id, const char *date, const char *reason)
{
	return db_exec(db, "INSERT INTO case_pause (case_id, from_date, reason) VALUES ($1, $2, $3)", db_int(case_id),
		       db_text(date), db_text(reason));
}

int case_pause_close(struct db *db, int64_t case_id, const char *date)
{
	return db_exec(db, "UPDATE case_pause SET to_date = $1 WHERE case_id = $2 AND to_date IS NULL", db_text(date),
		       db_int(case_id));
}

/* ===== detail and list ===== */

static json_t *rows_json(struct db *db, const char *sql, int64_t id)
{
	struct db_stmt *st;
	json_t *a = json_array();
	int i, n;

	if (db_prepare(db, &st, sql) < 0)
		return a;
	db_bind_int(st, 1, id);
	n = db_col_count(st);
	while (db_step(st) == DB_ROW) {
		json_t *o = json_object();

		for (i = 0; i < n; i++) {
			const char *name = db_col_name(st, i);

			if (db_col_is_null(st, i))
				json_object_set_new(o, name, json_null());
			else if (!strcmp(name, "id") || !strcmp(name, "size") || !strcmp(name, "actor_id") ||
				 !strcmp(name, "org_id") || !strcmp(name, "provisional") || !strcmp(name, "author_id") ||
				 !strcmp(name, "has_address"))
				json_object_set_new(o, name, json_integer(db_col_int(st, i)));
			else
				json_object_set_new(o, name, json_string(db_col_text(st, i)));
		}
		json_array_append_new(a, o);
	}
	db_done(st);
	return a;
}

/* Names and statuses of deadlines for display. */
static void decorate_deadlines(const struct case_kind *k, json_t *deadlines)
{
	json_t *d;
	size_t i;
	int today = time_today_cst();

	json_array_foreach (deadlines, i, d) {
		const struct deadline_rule *r = case_rule_find(k, json_string_value(json_object_get(d, "rule")));
		const char *due = json_string_value(json_object_get(d, "due_date"));
		const char *status = json_string_value(json_object_get(d, "status"));
		int due_i;

		json_object_set_new(d, "name", json_string(r ? r->name : ""));
		if (r && r->basis)
			json_object_set_new(d, "basis", json_string(r->basis));
		if (status && !strcmp(status, "open") && due && date_parse(due, &due_i) == 0) {
			json_object_set_new(d, "days_left", json_integer(deadline_days_left(today, due_i)));
			json_object_set_new(d, "urgency", json_string(deadline_status(today, due_i, 3)));
		} else if (status && !strcmp(status, "open") && !due) {
			json_object_set_new(d, "urgency", json_string("paused"));
		}
	}
}

json_t *case_store_reveal(struct request *req, int64_t case_id, int64_t party_id)
{
	static const char *const sealed[] = { "id_number", "phone", "address" };
	struct db_stmt *st;
	json_t *o = NULL;
	size_t k;

	if (db_prepare(req->db, &st,
		       "SELECT id_number_enc, phone_enc, address_enc, name FROM case_party WHERE id = $1 AND case_id = $2") < 0)
		return NULL;
	db_bind(st, db_int(party_id), db_int(case_id));
	if (db_step(st) == DB_ROW) {
		o = json_pack("{s:I,s:s}", "id", (json_int_t)party_id, "name", db_col_text(st, 3));
		for (k = 0; k < ARRAY_SIZE(sealed); k++) {
			char *plain = db_col_is_null(st, (int)k) ? NULL : pii_open(&req->arena, db_col_text(st, (int)k));

			json_object_set_new(o, sealed[k], plain ? json_string(plain) : json_null());
		}
	}
	db_done(st);
	return o;
}

json_t *case_store_detail(struct request *req, const struct case_row *c)
{
	struct db_stmt *st;
	json_t *o = NULL, *kind_fields, *deadlines;
	const struct case_state *state = case_state_find(c->kind, c->state);
	const struct case_outcome *outcome = case_outcome_find(c->kind, c->outcome);

	if (db_prepare(req->db, &st,
		       "SELECT c.title, c.case_year, c.received_date, c.accepted_date, c.decided_date, c.closed_date,"
		       " c.corrected, c.mediated, c.lost, COALESCE(c.handler_id, 0), COALESCE(u.display_name, ''),"
		       " o.name, COALESCE(p.name, ''), c.extension_days, COALESCE(c.extension_approver, '')"
		       " FROM case_file c JOIN org o ON o.id = c.org_id LEFT JOIN org p ON p.id = c.party_org_id"
		       " LEFT JOIN app_user u ON u.id = c.handler_id WHERE c.id = $1") < 0)
		return NULL;
	db_bind_int(st, 1, c->id);
	if (db_step(st) == DB_ROW) {
		o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:s,s:b,s:b,s:b,s:I}", "id",
			      (json_int_t)c->id, "kind", c->kind->code, "kind_name", c->kind->name, "case_no",
			      c->case_no, "title", db_col_text(st, 0), "state", c->state, "state_name",
			      state ? state->name : c->state, "org_id", (json_int_t)c->org_id, "org_name",
			      db_col_text(st, 11), "case_year", (json_int_t)db_col_int(st, 1), "received_date",
			      db_col_text(st, 2), "outcome", c->outcome, "corrected", (int)db_col_int(st, 6),
			      "mediated", (int)db_col_int(st, 7), "lost", (int)db_col_int(st, 8), "extension_days",
			      (json_int_t)db_col_int(st, 13));
		json_object_set_new(o, "outcome_name", json_string(outcome ? outcome->name : ""));
		json_object_set_new(o, "accepted_date",
				    db_col_is_null(st, 3) ? json_null() : json_string(db_col_text(st, 3)));
		json_object_set_new(o, "decided_date",
				    db_col_is_null(st, 4) ? json_null() : json_string(db_col_text(st, 4)));
		json_object_set_new(o, "closed_date",
				    db_col_is_null(st, 5) ? json_null() : json_string(db_col_text(st, 5)));
		json_object_set_new(o, "handler_id", db_col_int(st, 9) ? json_integer(db_col_int(st, 9)) : json_null());
		json_object_set_new(o, "handler_name", json_string(db_col_text(st, 10)));
		json_object_set_new(o, "party_org_id", c->party_org_id ? json_integer(c->party_org_id) : json_null());
		json_object_set_new(o, "party_org_name", json_string(db_col_text(st, 12)));
		if (*db_col_text(st, 14))
			json_object_set_new(o, "extension_approver", json_string(db_col_text(st, 14)));
	}
	db_done(st);
	if (!o)
		return NULL;
	kind_fields = c->kind->detail_json ? c->kind->detail_json(req->db, c->id) : NULL;
	json_object_set_new(o, "fields", kind_fields ? kind_fields : json_object());
	/* Masked values only; the full ones come from the audited reveal call. */
	json_object_set_new(o, "parties",
			    rows_json(req->db,
				      "SELECT id, role, party_type, name, org_id, id_number_mask, uscc, phone_mask,"
				      " address_enc IS NOT NULL AS has_address FROM case_party WHERE case_id = $1 ORDER BY id",
				      c->id));
	json_object_set_new(o, "timeline",
			    rows_json(req->db,
				      "SELECT e.id, e.action, e.from_state, e.to_state, e.event_date, e.actor_id,"
				      " COALESCE(u.display_name, '') AS actor_name, e.detail FROM case_event e"
				      " LEFT JOIN app_user u ON u.id = e.actor_id WHERE e.case_id = $1 ORDER BY e.id",
				      c->id));
	deadlines = rows_json(req->db,
			      "SELECT id, rule, start_date, due_date, status, met_date, provisional FROM case_deadline"
			      " WHERE case_id = $1 ORDER BY id",
			      c->id);
	decorate_deadlines(c->kind, deadlines);
	json_object_set_new(o, "deadlines", deadlines);
	json_object_set_new(o, "attachments",
			    rows_json(req->db,
				      "SELECT id, filename, content_type, size, sha256, created_at FROM case_attachment"
				      " WHERE case_id = $1 ORDER BY id",
				      c->id));
	json_object_set_new(o, "notes",
			    rows_json(req->db,
				      "SELECT n.id, n.body, n.author_id, COALESCE(u.display_name, '') AS author_name,"
				      " n.created_at FROM case_note n LEFT JOIN app_user u ON u.id = n.author_id"
				      " WHERE n.case_id = $1 ORDER BY n.id",
				      c->id));
	json_object_set_new(o, "actions", case_allowed_actions_json(c->kind, c->state));
	return o;
}

int case_visible(const struct session *s, const struct case_row *c)
{
	return session_can_see_path(s, c->org_path) || (*c->party_path && session_can_see_path(s, c->party_path));
}

int case_store_due(struct db *db, const char *pattern, int within_days, json_t **items)
{
	int today = time_today_cst();
	char until[11];
	struct db_stmt *st;
	int rc;

	date_format(date_add_days(today, within_days), until);
	rc = db_prepare(db, &st,
			"SELECT d.id, d.rule, d.start_date, d.due_date, d.provisional, c.id, c.kind, c.case_no, c.title,"
			" COALESCE(u.display_name, '')"
			" FROM case_deadline d JOIN case_file c ON c.id = d.case_id JOIN org o ON o.id = c.org_id"
			" LEFT JOIN org p ON p.id = c.party_org_id LEFT JOIN app_user u ON u.id = c.handler_id"
			" WHERE d.status = 'open' AND d.due_date IS NOT NULL AND d.due_date <= $1"
			" AND (o.path LIKE $2 OR p.path LIKE $2) ORDER BY d.due_date, c.id LIMIT 1000");
	if (rc < 0)
		return rc;
	db_bind(st, db_text(until), db_text(pattern));
	*items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		const struct case_kind *k = case_kind_find(db_col_text(st, 6));
		const struct deadline_rule *r = k ? case_rule_find(k, db_col_text(st, 1)) : NULL;
		int due = 0;

		if (!k)
			continue;
		date_parse(db_col_text(st, 3), &due);
		json_array_append_new(*items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:i,s:s,s:I,s:s,s:s,s:s,s:s,s:s}",
							"id", (json_int_t)db_col_int(st, 0), "rule", db_col_text(st, 1),
							"name", r ? r->name : "", "start_date", db_col_text(st, 2),
							"due_date", db_col_text(st, 3), "provisional",
							(int)db_col_int(st, 4), "days_left", deadline_days_left(today, due),
							"urgency", deadline_status(today, due, 3), "case_id",
							(json_int_t)db_col_int(st, 5), "kind", k->code, "kind_name", k->name,
							"case_no", db_col_text(st, 7), "title", db_col_text(st, 8),
							"handler_name", db_col_text(st, 9)));
	}
	db_done(st);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
		return rc;
	}
	return 0;
}
