/*
 * Unit tests for src/core/calendar.c: date arithmetic and parsing, the
 * embedded holiday arrangements (real holidays of 2015-2026), working-day
 * counting, unknown years, and the CSV and admin loaders' checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/calendar.h"

/* Every embedded data/calendar/NNNN.csv: 2015..2027. */
#define EMBEDDED_YEARS 13

#define MSG_HEADER "第1行:缺少表头date,kind,name"

static struct calendar *cal;

static int load_calendar(void **state)
{
	char err[256] = "";

	(void)state;
	cal = calendar_new();
	if (calendar_load_embedded(cal, err, sizeof(err)) != EMBEDDED_YEARS) {
		fprintf(stderr, "calendar_load_embedded: %s\n", err);
		return -1;
	}
	return 0;
}

static int free_calendar(void **state)
{
	(void)state;
	calendar_free(cal);
	cal = NULL;
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static int add_wd(int start, int n)
{
	int out = -12345;

	assert_int_equal(calendar_add_working_days(cal, start, n, &out), 0);
	return out;
}

static int next_wd(int ymd)
{
	int out = -12345;

	assert_int_equal(calendar_next_working_day(cal, ymd, &out), 0);
	return out;
}

static int between(int from, int to)
{
	int out = -12345;

	assert_int_equal(calendar_working_days_between(cal, from, to, &out), 0);
	return out;
}

/* Load csv as `year` into a fresh calendar and expect exactly want_err. */
static void csv_bad(int year, const char *csv, const char *want_err)
{
	struct calendar *c = calendar_new();
	char err[256] = "unset";

	assert_int_equal(calendar_load_csv(c, year, csv, strlen(csv), err, sizeof(err)), -1);
	assert_string_equal(err, want_err);
	assert_int_equal(calendar_is_known_year(c, year), 0);
	calendar_free(c);
}

/* Load csv as `year` into a fresh calendar; returns it (caller frees). */
static struct calendar *csv_ok(int year, const char *csv)
{
	struct calendar *c = calendar_new();
	char err[256] = "";

	if (calendar_load_csv(c, year, csv, strlen(csv), err, sizeof(err)) != 0)
		fail_msg("calendar_load_csv: %s", err);
	return c;
}

/* ---- dates -------------------------------------------------------------- */

static void test_date_from_ymd(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(2021, 3, 5), 20210305);
	assert_int_equal(date_from_ymd(2024, 2, 29), 20240229);
	assert_int_equal(date_from_ymd(2021, 2, 29), -1);
	assert_int_equal(date_from_ymd(1900, 2, 29), -1);
	assert_int_equal(date_from_ymd(2000, 2, 29), 20000229);
	assert_int_equal(date_from_ymd(2021, 13, 1), -1);
	assert_int_equal(date_from_ymd(2021, 4, 31), -1);
	assert_int_equal(date_from_ymd(2021, 0, 1), -1);
	assert_int_equal(date_from_ymd(0, 1, 1), -1);
	assert_true(date_valid(20211001));
	assert_false(date_valid(20211032));
	assert_false(date_valid(0));
	assert_false(date_valid(-20210101));
}

static void test_date_parse_formats(void **state)
{
	int d = 0;

	(void)state;
	assert_int_equal(date_parse("2021-03-05", &d), 0);
	assert_int_equal(d, 20210305);
	d = 0;
	assert_int_equal(date_parse("2021/3/5", &d), 0);
	assert_int_equal(d, 20210305);
	d = 0;
	assert_int_equal(date_parse("2021年3月5日", &d), 0);
	assert_int_equal(d, 20210305);
	d = 0;
	assert_int_equal(date_parse("2021-3-5", &d), 0);
	assert_int_equal(d, 20210305);
	d = 0;
	assert_int_equal(date_parse("2021/03/05", &d), 0);
	assert_int_equal(d, 20210305);
	d = 0;
	assert_int_equal(date_parse("2021年12月31日", &d), 0);
	assert_int_equal(d, 20211231);
	d = 0;
	assert_int_equal(date_parse("  2024-02-29 ", &d), 0);
	assert_int_equal(d, 20240229);
}

static void test_date_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"2021-02-29", "2021年2月29日", "2021/2/29", "2021-13-01", "2021-00-10",
		"2021-04-31", "2021-03-00", "21-03-05", "20210305", "2021-03", "2021-03-05x",
		"2021-03-5日", "2021/3-5", "2021-3/5", "2021年3月5", "2021年3-5日",
		"2021-003-05", "2021-03-005", "２０２１-03-05", "", "   ", "-2021-03-05",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int d = 777;

		if (date_parse(bad[i], &d) != -1)
			fail_msg("date_parse accepted \"%s\"", bad[i]);
		assert_int_equal(d, 777);
	}
	assert_int_equal(date_parse(NULL, NULL), -1);
}

static void test_date_format(void **state)
{
	char out[11];

	(void)state;
	date_format(20210305, out);
	assert_string_equal(out, "2021-03-05");
	date_format(99991231, out);
	assert_string_equal(out, "9999-12-31");
	date_format(10101, out);
	assert_string_equal(out, "0001-01-01");
	memset(out, 'x', sizeof(out));
	date_format(20210229, out);
	assert_string_equal(out, "");
	date_format(-1, out);
	assert_string_equal(out, "");
}

static void test_date_add_days_leap_years(void **state)
{
	(void)state;
	assert_int_equal(date_add_days(20240228, 2), 20240301);
	assert_int_equal(date_add_days(20240228, 1), 20240229);
	assert_int_equal(date_add_days(20230228, 1), 20230301);
	assert_int_equal(date_add_days(20000228, 1), 20000229);
	assert_int_equal(date_add_days(19000228, 1), 19000301);
	assert_int_equal(date_add_days(20240301, -1), 20240229);
	assert_int_equal(date_add_days(20210101, -1), 20201231);
	assert_int_equal(date_add_days(20211231, 1), 20220101);
	assert_int_equal(date_add_days(20210305, 0), 20210305);
	assert_int_equal(date_add_days(20240101, 366), 20250101);
	assert_int_equal(date_add_days(20230101, 365), 20240101);
	assert_int_equal(date_add_days(20210802, 60), 20211001);
	assert_int_equal(date_add_days(20210229, 1), -1);
	assert_int_equal(date_add_days(99991231, 1), -1);
	assert_int_equal(date_add_days(10101, -1), -1);
	assert_int_equal(date_add_days(20210101, INT_MAX), -1);
	assert_int_equal(date_add_days(20210101, INT_MIN), -1);
}

static void test_date_diff_and_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_diff_days(20240228, 20240301), 2);
	assert_int_equal(date_diff_days(20240301, 20240228), -2);
	assert_int_equal(date_diff_days(20210101, 20220101), 365);
	assert_int_equal(date_diff_days(20240101, 20250101), 366);
	assert_int_equal(date_diff_days(19700101, 20000101), 10957);
	assert_int_equal(date_diff_days(20210229, 20210301), INT_MIN);
	assert_int_equal(date_weekday(19700101), 3);
	assert_int_equal(date_weekday(20211001), 4);
	assert_int_equal(date_weekday(20210926), 6);
	assert_int_equal(date_weekday(20211009), 5);
	assert_int_equal(date_weekday(20211011), 0);
	assert_int_equal(date_weekday(20240229), 3);
	assert_int_equal(date_weekday(10101), 0);
	assert_int_equal(date_weekday(99991231), 4);
	assert_int_equal(date_weekday(19000101), 0);
	assert_int_equal(date_weekday(20211032), -1);
}

/* Day by day across 1899..2201 against a naive month walk. */
static void test_date_walk_consistency(void **state)
{
	int y = 1899, m = 1, d = 1, wd = date_weekday(18990101), steps = 0;
	int ymd = 18990101;

	(void)state;
	while (y < 2202) {
		int next = date_add_days(ymd, 1), dim;

		assert_int_equal(date_weekday(ymd), wd);
		assert_int_equal(date_diff_days(18990101, ymd), steps);
		dim = date_from_ymd(y, m, 31) > 0 ? 31 :
		      date_from_ymd(y, m, 30) > 0 ? 30 :
		      date_from_ymd(y, m, 29) > 0 ? 29 : 28;
		d++;
		if (d > dim) {
			d = 1;
			m++;
			if (m > 12) {
				m = 1;
				y++;
			}
		}
		ymd = y * 10000 + m * 100 + d;
		assert_int_equal(next, ymd);
		wd = (wd + 1) % 7;
		steps++;
	}
}

/* ---- the embedded arrangements ------------------------------------------ */

static void test_known_years(void **state)
{
	int y;

	(void)state;
	for (y = 2015; y <= 2026; y++)
		assert_int_equal(calendar_is_known_year(cal, y), 1);
	assert_int_equal(calendar_is_known_year(cal, 2014), 0);
	assert_int_equal(calendar_is_known_year(cal, 2027), 0);
	assert_int_equal(calendar_is_known_year(cal, 1800), 0);
	assert_int_equal(calendar_is_known_year(cal, 99999), 0);
	/* 2027.csv is only the header: loaded, empty, unknown. */
	assert_int_equal(calendar_year_days(cal, 2027, NULL, 0), 0);
	assert_int_equal(calendar_year_days(cal, 1899, NULL, 0), CALENDAR_INVALID);
}

static void test_national_day_2021(void **state)
{
	int d;

	(void)state;
	assert_int_equal(calendar_is_working_day(cal, 20210926), 1);	/* Sunday, 补班 */
	for (d = 20211001; d <= 20211007; d++) {
		assert_int_equal(calendar_is_working_day(cal, d), 0);
		assert_string_equal(calendar_day_name(cal, d), "国庆节");
	}
	assert_int_equal(calendar_is_working_day(cal, 20210930), 1);
	assert_int_equal(calendar_is_working_day(cal, 20211008), 1);
	assert_int_equal(calendar_is_working_day(cal, 20211009), 1);	/* Saturday, 补班 */
	assert_string_equal(calendar_day_name(cal, 20211009), "国庆节");
	assert_int_equal(calendar_is_working_day(cal, 20211010), 0);
	assert_null(calendar_day_name(cal, 20211010));
	assert_null(calendar_day_name(cal, 20211011));
	assert_int_equal(calendar_is_working_day(cal, 20210925), 0);	/* ordinary Saturday */

	/* From 2021-09-29: Sept 30, Oct 8, Oct 9 (补班 Saturday), Oct 11, Oct 12. */
	assert_int_equal(add_wd(20210929, 1), 20210930);
	assert_int_equal(add_wd(20210929, 2), 20211008);
	assert_int_equal(add_wd(20210929, 3), 20211009);
	assert_int_equal(add_wd(20210929, 4), 20211011);
	assert_int_equal(add_wd(20210929, 5), 20211012);
	/* The start day is not counted, even when it is a working day. */
	assert_int_equal(add_wd(20210930, 1), 20211008);
	/* Starting inside the holiday. */
	assert_int_equal(add_wd(20211003, 1), 20211008);
	assert_int_equal(add_wd(20210924, 10), 20211013);
}

static void test_spring_festival_2021(void **state)
{
	int d;

	(void)state;
	/* 2021-02-07 (Sunday) and 2021-02-20 (Saturday) are 补班; 02-11..17 off. */
	assert_int_equal(calendar_is_working_day(cal, 20210206), 0);
	assert_int_equal(calendar_is_working_day(cal, 20210207), 1);
	assert_int_equal(calendar_is_working_day(cal, 20210210), 1);
	for (d = 20210211; d <= 20210217; d++) {
		assert_int_equal(calendar_is_working_day(cal, d), 0);
		assert_string_equal(calendar_day_name(cal, d), "春节");
	}
	assert_int_equal(calendar_is_working_day(cal, 20210218), 1);
	assert_int_equal(calendar_is_working_day(cal, 20210220), 1);
	assert_int_equal(calendar_is_working_day(cal, 20210221), 0);
	assert_int_equal(add_wd(20210205, 1), 20210207);
	assert_int_equal(add_wd(20210210, 1), 20210218);
	assert_int_equal(add_wd(20210209, 4), 20210220);
	assert_int_equal(add_wd(20210209, 5), 20210222);
	assert_int_equal(between(20210206, 20210221), 7);
}

static void test_special_years(void **state)
{
	struct calendar_day days[CALENDAR_MAX_DAYS];

	(void)state;
	/* 2015: the 70th anniversary of the victory, 09-03..05 off, 09-06 (Sunday) 补班. */
	assert_int_equal(calendar_is_working_day(cal, 20150903), 0);
	assert_int_equal(calendar_is_working_day(cal, 20150904), 0);
	assert_int_equal(calendar_is_working_day(cal, 20150906), 1);
	assert_string_equal(calendar_day_name(cal, 20150906),
			    "抗日战争暨世界反法西斯战争胜利70周年纪念日");

	/* 2020: Spring Festival extended to 02-02; 02-01 (Saturday) no longer 补班. */
	assert_int_equal(calendar_is_working_day(cal, 20200119), 1);
	assert_int_equal(calendar_is_working_day(cal, 20200131), 0);
	assert_int_equal(calendar_is_working_day(cal, 20200201), 0);
	assert_int_equal(calendar_is_working_day(cal, 20200202), 0);
	assert_int_equal(calendar_is_working_day(cal, 20200203), 1);
	assert_int_equal(add_wd(20200123, 1), 20200203);

	/* The 2019 notice starts 元旦 in December 2018; 2018-12-29 (Saturday) is 补班. */
	assert_int_equal(calendar_is_working_day(cal, 20181229), 1);
	assert_int_equal(calendar_is_working_day(cal, 20181230), 0);
	assert_int_equal(calendar_is_working_day(cal, 20181231), 0);
	assert_string_equal(calendar_day_name(cal, 20181231), "元旦");
	assert_int_equal(add_wd(20181228, 1), 20181229);
	assert_int_equal(add_wd(20181229, 1), 20190102);
	assert_int_equal(calendar_year_days(cal, 2019, days, CALENDAR_MAX_DAYS), 31);
	assert_int_equal(days[0].date, 20181229);
	assert_int_equal(days[0].kind, CALENDAR_WORK);
	assert_string_equal(days[0].name, "元旦");
	assert_int_equal(days[30].date, 20191012);
	assert_int_equal(calendar_year_days(cal, 2018, days, CALENDAR_MAX_DAYS), 29);
	assert_int_equal(days[28].date, 20181007);
	assert_int_equal(calendar_is_working_day(cal, 20221231), 0);
	assert_string_equal(calendar_day_name(cal, 20221231), "元旦");
}

/* Every row of every year says what the calendar answers, and year totals match. */
static void test_year_totals(void **state)
{
	static const int working_days[] = {
		249, 250, 249, 250, 250, 249, 250, 249, 249, 251, 248, 248,
	};
	struct calendar_day days[CALENDAR_MAX_DAYS];
	int y, n, i, prev;

	(void)state;
	for (y = 2015; y <= 2026; y++) {
		n = calendar_year_days(cal, y, days, CALENDAR_MAX_DAYS);
		assert_true(n > 20);
		prev = 0;
		for (i = 0; i < n; i++) {
			assert_true(days[i].date > prev);
			prev = days[i].date;
			assert_int_equal(calendar_is_working_day(cal, days[i].date),
					 days[i].kind == CALENDAR_WORK);
			assert_non_null(days[i].name);
		}
		assert_int_equal(between((y - 1) * 10000 + 1231, y * 10000 + 1231),
				 working_days[y - 2015]);
	}
	/* A smaller buffer still reports the full count. */
	assert_int_equal(calendar_year_days(cal, 2021, days, 2), 38);
	assert_int_equal(days[1].date, 20210102);
}

static void test_next_and_between(void **state)
{
	(void)state;
	assert_int_equal(next_wd(20211001), 20211008);
	assert_int_equal(next_wd(20211008), 20211008);
	assert_int_equal(next_wd(20211009), 20211009);
	assert_int_equal(next_wd(20211010), 20211011);
	assert_int_equal(next_wd(20210925), 20210926);
	assert_int_equal(between(20210929, 20211011), 4);
	assert_int_equal(between(20210929, 20210929), 0);
	assert_int_equal(between(20211011, 20210929), 0);
	assert_int_equal(between(20211001, 20211007), 0);
	assert_int_equal(between(20211007, 20211008), 1);
}

static void test_unknown_years(void **state)
{
	int out = 4242;

	(void)state;
	assert_int_equal(calendar_is_working_day(cal, 20270104), CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(calendar_is_working_day(cal, 20141231), CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(add_wd(20261230, 1), 20261231);
	assert_int_equal(calendar_add_working_days(cal, 20261231, 1, &out), CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(calendar_add_working_days(cal, 20261228, 5, &out), CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(calendar_add_working_days(cal, 20211001, INT_MAX, &out),
			 CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(calendar_next_working_day(cal, 20270101, &out), CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(calendar_working_days_between(cal, 20261230, 20270101, &out),
			 CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(calendar_working_days_between(cal, 20141231, 20150105, &out), 0);
	assert_int_equal(out, 2);
	out = 4242;
	assert_int_equal(calendar_working_days_between(cal, 20141230, 20150105, &out),
			 CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(out, 4242);
	/* A start day in an unknown year is not examined; 2015-01-04 is a 补班 Sunday. */
	assert_int_equal(add_wd(20141231, 1), 20150104);
}

static void test_invalid_arguments(void **state)
{
	int out = 4242;

	(void)state;
	assert_int_equal(calendar_is_working_day(cal, 20210229), CALENDAR_INVALID);
	assert_null(calendar_day_name(cal, 20210229));
	assert_int_equal(calendar_add_working_days(cal, 20210929, 0, &out), CALENDAR_INVALID);
	assert_int_equal(calendar_add_working_days(cal, 20210929, -3, &out), CALENDAR_INVALID);
	assert_int_equal(calendar_add_working_days(cal, 20211301, 1, &out), CALENDAR_INVALID);
	assert_int_equal(calendar_next_working_day(cal, 0, &out), CALENDAR_INVALID);
	assert_int_equal(calendar_working_days_between(cal, 20210101, 20210230, &out),
			 CALENDAR_INVALID);
	assert_int_equal(out, 4242);
}

/* ---- the CSV loader ------------------------------------------------------ */

static void test_csv_errors(void **state)
{
	(void)state;
	csv_bad(2021, "", MSG_HEADER);
	csv_bad(2021, "2021-01-01,休,元旦\n", MSG_HEADER);
	csv_bad(2021, "date,kind\n2021-01-01,休,元旦\n", MSG_HEADER);
	csv_bad(2021, "date,kind,name\n2021-01-01,休,元旦\n2021-1-2,休,元旦\n",
		"第3行:日期格式不正确");
	csv_bad(2021, "date,kind,name\n2021/01/01,休,元旦\n", "第2行:日期格式不正确");
	csv_bad(2021, "date,kind,name\n2021-02-29,休,春节\n", "第2行:日期不存在");
	csv_bad(2021, "date,kind,name\n2021-01-01,休,元旦\n2021-01-02,放,元旦\n",
		"第3行:类型应为休或班");
	csv_bad(2021, "date,kind,name\n2021-01-01,,元旦\n", "第2行:类型应为休或班");
	/* 2021-10-11 is a Monday. */
	csv_bad(2021, "date,kind,name\n2021-10-07,休,国庆节\n2021-10-11,班,国庆节\n",
		"第3行:班(调休上班)只能是星期六或星期日");
	csv_bad(2021, "date,kind,name\n2022-01-01,休,元旦\n", "第2行:日期不在2021年内");
	csv_bad(2021, "date,kind,name\n2020-11-30,休,元旦\n", "第2行:日期不在2021年内");
	csv_bad(2021, "date,kind,name\n2019-12-31,休,元旦\n", "第2行:日期不在2021年内");
	csv_bad(2021, "date,kind,name\n2021-10-01,休,国庆节\n2021-10-02,休,国庆节\n"
		"2021-10-01,休,国庆节\n", "第4行:日期与第2行重复");
	csv_bad(2021, "date,kind,name\n2021-10-01,休\n", "第2行:应为3列(date,kind,name)");
	csv_bad(2021, "date,kind,name\n2021-10-01,休,国庆,节\n", "第2行:应为3列(date,kind,name)");
	csv_bad(2021, "date,kind,name\n2021-10-01,休,\n", "第2行:名称不能为空");
	csv_bad(2021, "date,kind,name\n2021-10-01,休,国庆\"节\"\n", "第2行:名称含有无效字符");
	csv_bad(2021, "date,kind,name\n2021-10-01,休,国庆\x01\n", "第2行:名称含有无效字符");
	csv_bad(2021, "date,kind,name\n2021-10-01,休,\xe5\x9b\n", "第2行:名称含有无效字符");
	csv_bad(2021, "date,kind,name\n2021-10-01,休,"
		"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三\n",
		"第2行:名称过长");
	csv_bad(1899, "date,kind,name\n", "年份应在1900至2200之间");
	csv_bad(2201, "date,kind,name\n", "年份应在1900至2200之间");
}

static void test_csv_tolerated_forms(void **state)
{
	struct calendar *c;
	struct calendar_day days[4];

	(void)state;
	/* BOM, CRLF, blank lines, spaces around fields, no final newline. */
	c = csv_ok(2021, "\xef\xbb\xbf" "date,kind,name\r\n2021-10-09 , 班 , 国庆节 \r\n\r\n"
		   "2021-10-01,休,国庆节");
	assert_int_equal(calendar_is_known_year(c, 2021), 1);
	assert_int_equal(calendar_year_days(c, 2021, days, 4), 2);
	assert_int_equal(days[0].date, 20211001);
	assert_int_equal(days[0].kind, CALENDAR_REST);
	assert_int_equal(days[1].date, 20211009);
	assert_int_equal(days[1].kind, CALENDAR_WORK);
	assert_string_equal(days[1].name, "国庆节");
	assert_int_equal(calendar_is_working_day(c, 20211001), 0);
	assert_int_equal(calendar_is_working_day(c, 20211002), 0);	/* plain Saturday */
	assert_int_equal(calendar_is_working_day(c, 20211004), 1);	/* not listed here */
	calendar_free(c);

	/* A weekday 班 right after a 休 day (how 2020-02-03 is written) is accepted. */
	c = csv_ok(2021, "date,kind,name\n2021-10-08,班,国庆节\n2021-10-07,休,国庆节\n");
	assert_int_equal(calendar_is_working_day(c, 20211008), 1);
	calendar_free(c);

	/* December of the year before is allowed (元旦 starting early). */
	c = csv_ok(2019, "date,kind,name\n2018-12-29,班,元旦\n2018-12-31,休,元旦\n");
	assert_int_equal(calendar_is_known_year(c, 2019), 1);
	assert_int_equal(calendar_is_known_year(c, 2018), 0);
	assert_int_equal(calendar_is_working_day(c, 20181231), CALENDAR_UNKNOWN_YEAR);
	assert_string_equal(calendar_day_name(c, 20181231), "元旦");
	calendar_free(c);

	/* Only the header: loaded, but the year stays unknown. */
	c = csv_ok(2027, "date,kind,name\n");
	assert_int_equal(calendar_is_known_year(c, 2027), 0);
	assert_int_equal(calendar_year_days(c, 2027, days, 4), 0);
	calendar_free(c);
}

/* Every day of 2020 and December 2019 as 休: the largest arrangement possible. */
static void test_csv_full_year(void **state)
{
	static char csv[400 * 40];
	struct calendar *c;
	size_t len;
	int d = 20191201, rows = 0, out = 0;

	(void)state;
	len = (size_t)snprintf(csv, sizeof(csv), "date,kind,name\n");
	while (d <= 20201231) {
		char day[11];

		date_format(d, day);
		len += (size_t)snprintf(csv + len, sizeof(csv) - len, "%s,休,全年\n", day);
		d = date_add_days(d, 1);
		rows++;
	}
	assert_int_equal(rows, 397);
	c = csv_ok(2020, csv);
	assert_int_equal(calendar_year_days(c, 2020, NULL, 0), 397);
	assert_int_equal(calendar_working_days_between(c, 20191231, 20201231, &out), 0);
	assert_int_equal(out, 0);
	calendar_free(c);
}

static void test_csv_error_keeps_calendar(void **state)
{
	struct calendar *c = csv_ok(2021, "date,kind,name\n2021-10-01,休,国庆节\n");
	const char *bad = "date,kind,name\n2021-10-04,休,国庆节\n2021-10-05,x,国庆节\n";
	char err[128];

	(void)state;
	assert_int_equal(calendar_load_csv(c, 2021, bad, strlen(bad), err, sizeof(err)), -1);
	assert_string_equal(err, "第3行:类型应为休或班");
	assert_int_equal(calendar_is_working_day(c, 20211001), 0);
	assert_int_equal(calendar_is_working_day(c, 20211004), 1);
	/* NULL err is allowed. */
	assert_int_equal(calendar_load_csv(c, 2021, bad, strlen(bad), NULL, 0), -1);
	calendar_free(c);
}

/* ---- admin edits --------------------------------------------------------- */

static void test_set_year(void **state)
{
	struct calendar *c = calendar_clone(cal);
	char name[16] = "国庆节";
	struct calendar_day days[3] = {
		{ 20211009, CALENDAR_WORK, name },
		{ 20211004, CALENDAR_REST, name },
		{ 20211005, CALENDAR_REST, "国庆节" },
	};
	struct calendar_day got[3];
	char err[128] = "";

	(void)state;
	assert_int_equal(calendar_set_year(c, 2021, days, 3, err, sizeof(err)), 0);
	snprintf(name, sizeof(name), "changed");
	assert_int_equal(calendar_year_days(c, 2021, got, 3), 3);
	assert_int_equal(got[0].date, 20211004);
	assert_int_equal(got[2].date, 20211009);
	assert_string_equal(got[0].name, "国庆节");
	assert_int_equal(calendar_is_working_day(c, 20211001), 1);	/* no longer listed */
	assert_int_equal(calendar_is_working_day(c, 20211004), 0);
	assert_int_equal(calendar_is_working_day(c, 20211009), 1);
	/* The original is untouched. */
	assert_int_equal(calendar_is_working_day(cal, 20211001), 0);
	assert_int_equal(calendar_year_days(cal, 2021, NULL, 0), 38);

	days[0].name = "国庆节";
	days[1].date = 20211009;
	assert_int_equal(calendar_set_year(c, 2021, days, 3, err, sizeof(err)), -1);
	assert_string_equal(err, "第2条:日期与第1条重复");
	days[1].date = 20210230;
	assert_int_equal(calendar_set_year(c, 2021, days, 3, err, sizeof(err)), -1);
	assert_string_equal(err, "第2条:日期不存在");
	days[1].date = 20211004;
	days[1].kind = (enum calendar_kind)7;
	assert_int_equal(calendar_set_year(c, 2021, days, 3, err, sizeof(err)), -1);
	assert_string_equal(err, "第2条:类型应为休或班");
	days[1].kind = CALENDAR_WORK;
	assert_int_equal(calendar_set_year(c, 2021, days, 3, err, sizeof(err)), -1);
	assert_string_equal(err, "第2条:班(调休上班)只能是星期六或星期日");
	days[1].kind = CALENDAR_REST;
	days[2].name = NULL;
	assert_int_equal(calendar_set_year(c, 2021, days, 3, err, sizeof(err)), -1);
	assert_string_equal(err, "第3条:名称不能为空");
	days[2].name = "国庆节";
	days[2].date = 20221001;
	assert_int_equal(calendar_set_year(c, 2021, days, 3, err, sizeof(err)), -1);
	assert_string_equal(err, "第3条:日期不在2021年内");
	assert_int_equal(calendar_set_year(c, 2021, days, CALENDAR_MAX_DAYS + 1, err,
					   sizeof(err)), -1);
	assert_string_equal(err, "条目过多(最多400条)");
	/* Still the first edit. */
	assert_int_equal(calendar_year_days(c, 2021, got, 3), 3);
	assert_int_equal(got[0].date, 20211004);

	/* Empty: loaded but unknown. */
	assert_int_equal(calendar_set_year(c, 2021, NULL, 0, err, sizeof(err)), 0);
	assert_int_equal(calendar_is_known_year(c, 2021), 0);
	calendar_free(c);
}

static void test_assume_year(void **state)
{
	struct calendar *c = calendar_clone(cal);
	int out = 0;

	(void)state;
	assert_int_equal(calendar_add_working_days(c, 20261231, 1, &out), CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(calendar_assume_year(c, 2027), 0);
	assert_int_equal(calendar_is_known_year(c, 2027), 1);
	assert_int_equal(calendar_add_working_days(c, 20261231, 1, &out), 0);
	assert_int_equal(out, 20270101);	/* a Friday, no holiday assumed */
	assert_int_equal(calendar_add_working_days(c, 20270101, 1, &out), 0);
	assert_int_equal(out, 20270104);
	assert_int_equal(calendar_assume_year(c, 2300), -1);
	assert_int_equal(calendar_is_known_year(cal, 2027), 0);
	calendar_free(c);
	calendar_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_from_ymd),
		cmocka_unit_test(test_date_parse_formats),
		cmocka_unit_test(test_date_parse_rejects),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_date_add_days_leap_years),
		cmocka_unit_test(test_date_diff_and_weekday),
		cmocka_unit_test(test_date_walk_consistency),
		cmocka_unit_test(test_known_years),
		cmocka_unit_test(test_national_day_2021),
		cmocka_unit_test(test_spring_festival_2021),
		cmocka_unit_test(test_special_years),
		cmocka_unit_test(test_year_totals),
		cmocka_unit_test(test_next_and_between),
		cmocka_unit_test(test_unknown_years),
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_tolerated_forms),
		cmocka_unit_test(test_csv_full_year),
		cmocka_unit_test(test_csv_error_keeps_calendar),
		cmocka_unit_test(test_set_year),
		cmocka_unit_test(test_assume_year),
	};

	return cmocka_run_group_tests(tests, load_calendar, free_calendar);
}
