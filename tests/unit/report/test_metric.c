/*
 * Unit tests for the metric engine on a real SQLite file: catalogue loading
 * and checking, rounding (half-up and truncate), previous year and 同比,
 * missing data, and the roll-up of a city over its counties (the 嘉兴 2022
 * report: 全市审结行政复议案件751件, 调解成功406件, 调解成功率54.06%).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/crypto.h"
#include "db/db.h"
#include "db/migrate.h"
#include "report/metric.h"

static struct db *db;
static char dir[64];
static int64_t city, county_a, county_b;

static int64_t add_org(int64_t parent, const char *name, const char *parent_path)
{
	char path[64];
	int64_t id;

	db_exec(db, "INSERT INTO org (parent_id, kind, name, created_at, updated_at) VALUES ($1, 'government', $2, 0, 0)",
		parent ? db_int(parent) : db_text(NULL), db_text(name));
	id = db_last_insert_id(db);
	snprintf(path, sizeof(path), "%s%lld/", parent_path, (long long)id);
	db_exec(db, "UPDATE org SET path = $1 WHERE id = $2", db_text(path), db_int(id));
	return id;
}

/* n reconsideration cases of org decided on date with outcome and flags. */
static void add_cases(int64_t org, int n, const char *received, const char *decided, const char *outcome, int mediated)
{
	static int seq;
	int i;

	for (i = 0; i < n; i++) {
		char no[32];

		snprintf(no, sizeof(no), "T%d", ++seq);
		assert_int_equal(db_exec(db,
					 "INSERT INTO case_file (kind, org_id, case_no, case_year, title, state, received_date,"
					 " decided_date, outcome, mediated, created_at, updated_at)"
					 " VALUES ('reconsideration', $1, $2, 2022, 't', 'closed', $3, $4, $5, $6, 0, 0)",
					 db_int(org), db_text(no), db_text(received), db_text(decided), db_text(outcome),
					 db_int(mediated)),
				 0);
	}
}

static int setup(void **state)
{
	char path[128], err[256];
	char city_path[32];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/fazhi-metric-XXXXXX");
	if (!mkdtemp(dir) || crypto_setup() < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(&db, path, err, sizeof(err)) < 0 || migrate_apply(db, err, sizeof(err)) < 0)
		return -1;
	city = add_org(0, "嘉兴市人民政府", "/");
	snprintf(city_path, sizeof(city_path), "/%lld/", (long long)city);
	county_a = add_org(city, "嘉善县人民政府", city_path);
	county_b = add_org(city, "海盐县人民政府", city_path);
	/* 2022: 751 concluded in the city, 406 of them mediated; 2021: 700 concluded. */
	add_cases(county_a, 300, "2022-02-01", "2022-06-01", "mediation", 1);
	add_cases(county_a, 100, "2022-02-01", "2022-06-01", "uphold", 0);
	add_cases(county_b, 106, "2022-03-01", "2022-07-01", "mediation", 1);
	add_cases(county_b, 245, "2022-03-01", "2022-07-01", "reject", 0);
	add_cases(county_b, 700, "2021-03-01", "2021-07-01", "uphold", 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static json_t *figure(int64_t org, int year, const char *id)
{
	const struct metric_catalog *c = metric_catalog();
	struct metric_scope s;
	char key[24];

	memset(&s, 0, sizeof(s));
	snprintf(key, sizeof(key), "%lld", (long long)org);
	assert_int_equal(metric_scope_org(db, key, &s, NULL, 0), DB_ROW);
	s.from = year * 10000 + 101;
	s.to = year * 10000 + 1231;
	return metric_one_json(db, c, metric_find(c, id), &s);
}

static void test_catalogue_loads(void **state)
{
	const struct metric_catalog *c = metric_catalog();

	(void)state;
	assert_non_null(c);
	assert_non_null(metric_find(c, "reconsideration.received"));
	assert_non_null(metric_find(c, "litigation.head_appearance_rate"));
	assert_non_null(metric_find(c, "ledger.training_people"));
	assert_null(metric_find(c, "no.such"));
}

static void test_rounding(void **state)
{
	(void)state;
	/* 嘉善 2021: 511/517 printed 98.83% is truncation; half-up gives 98.84. */
	assert_true(metric_round(511.0 / 517.0 * 100, 2, 1) == 98.83);
	assert_true(metric_round(511.0 / 517.0 * 100, 2, 0) == 98.84);
	assert_true(metric_round(62.0 / 138.0 * 100, 2, 0) == 44.93);
	assert_true(metric_round(1.0 / 102.0 * 100, 2, 0) == 0.98);
	assert_true(metric_round(0.985, 2, 0) == 0.99); /* binary 0.98499...: still rounds up */
	assert_true(metric_round(4192.0 / 4193.0 * 100, 2, 0) == 99.98);
}

static void test_city_rolls_up_its_counties(void **state)
{
	json_t *f;

	(void)state;
	f = figure(city, 2022, "reconsideration.concluded");
	assert_int_equal(json_integer_value(json_object_get(f, "value")), 751);
	assert_int_equal(json_integer_value(json_object_get(f, "previous")), 700);
	/* (751 - 700) / 700 = 7.2857% -> 7.29 */
	assert_true(json_real_value(json_object_get(f, "yoy")) == 7.29);
	json_decref(f);
	f = figure(city, 2022, "reconsideration.mediated");
	assert_int_equal(json_integer_value(json_object_get(f, "value")), 406);
	json_decref(f);
	f = figure(city, 2022, "reconsideration.mediation_rate");
	assert_true(json_real_value(json_object_get(f, "value")) == 54.06);
	/* Rates change in percentage points: 54.06 - 0 = +54.06. */
	assert_string_equal(json_string_value(json_object_get(f, "yoy_unit")), "个百分点");
	json_decref(f);
	f = figure(county_a, 2022, "reconsideration.concluded");
	assert_int_equal(json_integer_value(json_object_get(f, "value")), 400);
	json_decref(f);
}

static void test_missing_is_not_zero(void **state)
{
	json_t *f;

	(void)state;
	/* No litigation at all in this city: missing, not 0. */
	f = figure(city, 2022, "litigation.new");
	assert_true(json_is_null(json_object_get(f, "value")));
	json_decref(f);
	/* Reconsideration exists but not in 2019: a true 0, and a rate over nothing is missing. */
	f = figure(city, 2019, "reconsideration.concluded");
	assert_int_equal(json_integer_value(json_object_get(f, "value")), 0);
	json_decref(f);
	f = figure(city, 2019, "reconsideration.mediation_rate");
	assert_true(json_is_null(json_object_get(f, "value")));
	json_decref(f);
}

static void test_breakdown_by_org_and_month(void **state)
{
	const struct metric_catalog *c = metric_catalog();
	struct metric_scope s;
	json_t *rows;
	int64_t sum = 0;
	size_t i;
	json_t *r;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(metric_scope_org(db, "1", &s, NULL, 0), DB_ROW);
	s.from = 20220101;
	s.to = 20221231;
	rows = metric_breakdown_json(db, c, metric_find(c, "reconsideration.concluded"), &s, "org");
	assert_int_equal(json_array_size(rows), 2);
	json_array_foreach (rows, i, r)
		sum += json_integer_value(json_object_get(r, "value"));
	assert_int_equal(sum, 751);
	json_decref(rows);
	rows = metric_breakdown_json(db, c, metric_find(c, "reconsideration.concluded"), &s, "month");
	assert_int_equal(json_array_size(rows), 12);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 5), "value")), 400); /* June */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 6), "value")), 351); /* July */
	json_decref(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_loads),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_city_rolls_up_its_counties),
		cmocka_unit_test(test_missing_is_not_zero),
		cmocka_unit_test(test_breakdown_by_org_and_month),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
