/*
 * The holiday calendar in use: the built-in yearly files overlaid with the
 * years an administrator edited (tables calendar_year / calendar_day), the
 * admin API for viewing and replacing a year, and due-date computation with
 * an honest fallback when a year's notice is not loaded yet.
 *
 * Concurrency: readers take the current pointer; an edit builds a new
 * calendar and swaps the pointer under a mutex. Old calendars are kept
 * until exit (an edit happens a few times a year), so a reader never sees
 * freed memory.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "core/calendar.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "core/banned.h"

#define MAX_RETIRED 64

static pthread_mutex_t cal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct calendar *current;
static struct calendar *fallback; /* current + weekends-only for unknown years */
static struct calendar *retired[MAX_RETIRED];
static size_t nretired;

static void retire(struct calendar *c)
{
	if (!c)
		return;
	if (nretired < MAX_RETIRED)
		retired[nretired++] = c;
	else
		log_warn("calendar: too many edits in one run, keeping an old calendar alive");
}

const struct calendar *case_calendar(void)
{
	return __atomic_load_n(&current, __ATOMIC_ACQUIRE);
}

/* Read the edited years from the database into c. */
static int overlay_db(struct db *db, struct calendar *c, char *err, size_t errlen)
{
	struct db_stmt *years, *days;
	struct calendar_day rows[CALENDAR_MAX_DAYS];
	char names[CALENDAR_MAX_DAYS][CALENDAR_NAME_MAX + 1];
	int rc, y;
	size_t n;

	rc = db_prepare(db, &years, "SELECT year FROM calendar_year ORDER BY year");
	if (rc < 0)
		return -1;
	while ((rc = db_step(years)) == DB_ROW) {
		y = (int)db_col_int(years, 0);
		n = 0;
		if (db_prepare(db, &days, "SELECT day, kind, name FROM calendar_day WHERE year = $1 ORDER BY day") <
		    0) {
			rc = -1;
			break;
		}
		db_bind_int(days, 1, y);
		while (db_step(days) == DB_ROW && n < CALENDAR_MAX_DAYS) {
			if (date_parse(db_col_text(days, 0), &rows[n].date) < 0)
				continue;
			rows[n].kind = strcmp(db_col_text(days, 1), "work") ? CALENDAR_REST : CALENDAR_WORK;
			snprintf(names[n], sizeof(names[n]), "%s", db_col_text(days, 2));
			rows[n].name = names[n];
			n++;
		}
		db_done(days);
		if (calendar_set_year(c, y, rows, n, err, errlen) < 0) {
			rc = -1;
			break;
		}
	}
	db_done(years);
	return rc < 0 ? -1 : 0;
}

/* The current calendar with every unknown year 2000..2100 assumed to have weekends only. */
static struct calendar *make_fallback(const struct calendar *c)
{
	struct calendar *f = calendar_clone(c);
	int y;

	for (y = 2000; y <= 2100; y++)
		if (!calendar_is_known_year(c, y))
			calendar_assume_year(f, y);
	return f;
}

static void publish(struct calendar *c)
{
	struct calendar *f = make_fallback(c);

	pthread_mutex_lock(&cal_lock);
	retire(current);
	retire(fallback);
	__atomic_store_n(&fallback, f, __ATOMIC_RELEASE);
	__atomic_store_n(&current, c, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&cal_lock);
}

int case_calendar_load(struct db *db, char *err, size_t errlen)
{
	struct calendar *c = calendar_new();

	if (calendar_load_embedded(c, err, errlen) < 0 || overlay_db(db, c, err, errlen) < 0) {
		calendar_free(c);
		return -1;
	}
	publish(c);
	return 0;
}

void case_calendar_release(void)
{
	size_t i;

	pthread_mutex_lock(&cal_lock);
	for (i = 0; i < nretired; i++)
		calendar_free(retired[i]);
	nretired = 0;
	calendar_free(current);
	calendar_free(fallback);
	current = fallback = NULL;
	pthread_mutex_unlock(&cal_lock);
}

int case_due_date(const struct deadline_rule *r, int start, const struct deadline_pause *pauses, size_t npauses,
		  int extension_days, int *due, int *provisional)
{
	const struct calendar *c = case_calendar();
	int rc;

	*provisional = 0;
	if (!c)
		return -1;
	rc = deadline_compute(r, c, start, pauses, npauses, extension_days, due);
	if (rc == CALENDAR_UNKNOWN_YEAR) {
		*provisional = 1;
		rc = deadline_compute(r, __atomic_load_n(&fallback, __ATOMIC_ACQUIRE), start, pauses, npauses,
				      extension_days, due);
	}
	return rc;
}

/* ===== API ===== */

static int year_param(struct request *req, int *year)
{
	int64_t y;

	if (parse_int64_cstr(req_param(req, "year"), &y) < 0 || y < 2000 || y > 2100)
		return api_error(req, "NOT_FOUND", "年份应在2000到2100之间", NULL);
	*year = (int)y;
	return 0;
}

static json_t *year_json(int year)
{
	const struct calendar *c = case_calendar();
	struct calendar_day days[CALENDAR_MAX_DAYS];
	int n = calendar_year_days(c, year, days, CALENDAR_MAX_DAYS), i;
	json_t *a = json_array();

	for (i = 0; i < n && i < CALENDAR_MAX_DAYS; i++) {
		char d[11];

		date_format(days[i].date, d);
		json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "date", d, "kind",
						   days[i].kind == CALENDAR_WORK ? "班" : "休", "name", days[i].name));
	}
	return json_pack("{s:i,s:b,s:o}", "year", year, "known", calendar_is_known_year(c, year), "days", a);
}

static int calendar_get(struct request *req)
{
	int year;

	if (year_param(req, &year) < 0)
		return -1;
	req->reply = year_json(year);
	return 0;
}

/* Recompute every open deadline (the calendar changed under them). */
static int recompute_all(struct db *db)
{
	struct db_stmt *st;
	int64_t ids[4096];
	size_t n = 0, i;
	int rc;

	rc = db_prepare(db, &st, "SELECT DISTINCT case_id FROM case_deadline WHERE status = 'open'");
	if (rc < 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW && n < ARRAY_SIZE(ids))
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	for (i = 0; i < n && rc >= 0; i++) {
		struct case_row c;

		rc = case_store_load(db, ids[i], &c);
		if (rc == DB_ROW)
			rc = case_deadline_recompute(db, &c);
	}
	return rc < 0 ? rc : 0;
}

static int calendar_put(struct request *req)
{
	json_t *days = json_object_get(req->json, "days"), *d;
	struct calendar_day rows[CALENDAR_MAX_DAYS];
	struct calendar *next;
	char err[256];
	size_t i, n = json_array_size(days);
	int year, rc;

	if (year_param(req, &year) < 0)
		return -1;
	if (n > CALENDAR_MAX_DAYS)
		return api_field_error(req, "days", "一年的节假日安排不能超过400条");
	json_array_foreach (days, i, d) {
		const char *date = json_string_value(json_object_get(d, "date"));
		const char *kind = json_string_value(json_object_get(d, "kind"));
		const char *name = json_string_value(json_object_get(d, "name"));

		if (!date || !kind || !name || date_parse(date, &rows[i].date) < 0)
			return api_field_error(
			    req, "days",
			    arena_printf(&req->arena, "第%zu条:应有 date(日期)、kind(休或班)和 name", i + 1));
		if (strcmp(kind, "休") && strcmp(kind, "班"))
			return api_field_error(req, "days",
					       arena_printf(&req->arena, "第%zu条:类型应为“休”或“班”", i + 1));
		rows[i].kind = strcmp(kind, "班") ? CALENDAR_REST : CALENDAR_WORK;
		rows[i].name = name;
	}
	next = calendar_clone(case_calendar());
	if (calendar_set_year(next, year, rows, n, err, sizeof(err)) < 0) {
		calendar_free(next);
		return api_field_error(req, "days", arena_strdup(&req->arena, err));
	}
	rc = db_exec(req->db, "DELETE FROM calendar_day WHERE year = $1", db_int(year));
	for (i = 0; i < n && rc == 0; i++) {
		char ds[11];

		date_format(rows[i].date, ds);
		rc = db_exec(req->db,
			     "INSERT INTO calendar_day (day, kind, name, year, updated_at) VALUES ($1, $2, $3, $4, $5)",
			     db_text(ds), db_text(rows[i].kind == CALENDAR_WORK ? "work" : "off"),
			     db_text(rows[i].name), db_int(year), db_int(time_now()));
	}
	if (rc == 0)
		rc = db_exec(req->db,
			     "INSERT INTO calendar_year (year, updated_at, updated_by) VALUES ($1, $2, $3)"
			     " ON CONFLICT (year) DO UPDATE SET updated_at = excluded.updated_at, updated_by = "
			     "excluded.updated_by",
			     db_int(year), db_int(time_now()), db_int(req->session->user_id));
	if (rc < 0) {
		calendar_free(next);
		return api_db_error(req, rc);
	}
	publish(next);
	/* Deadlines computed with the old calendar follow the new one. */
	rc = recompute_all(req->db);
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_object_type = "calendar";
	snprintf(req->audit_object_id, sizeof(req->audit_object_id), "%d", year);
	req->audit_detail = arena_printf(&req->arena, "设置%d年节假日安排,共%zu条", year, n);
	req->reply = year_json(year);
	return 0;
}

static const struct body_field calendar_body[] = {
	{ "days", FIELD_OBJECT_ARRAY, 1, 0, CALENDAR_MAX_DAYS, "节假日安排", NULL, NULL },
	CASE_END_FIELD,
};

static const struct route calendar_routes[] = {
	{ HTTP_GET, "/api/v1/calendar/{year}", calendar_get, NULL, 0, NULL, NULL },
	{ HTTP_PUT, "/api/v1/calendar/{year}", calendar_put, "calendar.manage", ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON,
	  calendar_body, "calendar.update" },
};

const struct module calendar_module = { "calendar", calendar_routes, ARRAY_SIZE(calendar_routes) };
