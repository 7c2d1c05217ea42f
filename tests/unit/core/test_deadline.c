/*
 * Unit tests for src/core/deadline.c: calendar-day and working-day periods
 * on the real 2021 holidays, 中止 pauses, extensions, unknown years, the
 * days-left status and the rule checker. The rule table below is an example
 * for the tests only; business modules keep their own.
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
#include "core/deadline.h"

static const struct deadline_rule rules[] = {
	{ "reconsideration.accept", "受理审查期限", "received", 5, DEADLINE_WORKING_DAYS, 0, 0,
	  NULL, "《行政复议法》第三十条" },
	{ "reconsideration.decide", "审理期限", "accepted", 60, DEADLINE_CALENDAR_DAYS, 1, 30,
	  "行政复议机构负责人", "《行政复议法》第六十二条" },
	{ "litigation.answer", "答辩期限", "served", 15, DEADLINE_CALENDAR_DAYS, 0, 0,
	  NULL, "《行政诉讼法》第六十七条" },
	{ "example.review", "示例审查期限", "submitted", 10, DEADLINE_WORKING_DAYS, 1, 10,
	  "负责人", "测试用规则" },
	{ NULL, NULL, NULL, 0, DEADLINE_WORKING_DAYS, 0, 0, NULL, NULL },
};

#define ACCEPT (&rules[0])
#define DECIDE (&rules[1])
#define ANSWER (&rules[2])
#define REVIEW (&rules[3])

static struct calendar *cal;

static int load_calendar(void **state)
{
	char err[256] = "";

	(void)state;
	cal = calendar_new();
	if (calendar_load_embedded(cal, err, sizeof(err)) < 0) {
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

/* deadline_compute that must succeed. */
static int due_of(const struct deadline_rule *r, int start, const struct deadline_pause *p,
		  size_t np, int ext)
{
	int due = -12345;

	assert_int_equal(deadline_compute(r, cal, start, p, np, ext, &due), 0);
	return due;
}

/* deadline_compute that must return rc without touching *due. */
static void due_fails(const struct deadline_rule *r, int start, const struct deadline_pause *p,
		      size_t np, int ext, int rc)
{
	int due = 4242;

	assert_int_equal(deadline_compute(r, cal, start, p, np, ext, &due), rc);
	assert_int_equal(due, 4242);
}

static void test_rule_table_is_valid(void **state)
{
	const struct deadline_rule *r;
	char err[128];

	(void)state;
	for (r = rules; r->code; r++) {
		if (deadline_rule_check(r, err, sizeof(err)) != 0)
			fail_msg("%s", err);
	}
}

static void test_rule_check_messages(void **state)
{
	struct deadline_rule r = rules[1];
	char err[128];

	(void)state;
	r.approver = NULL;
	assert_int_equal(deadline_rule_check(&r, err, sizeof(err)), -1);
	assert_string_equal(err, "期限规则reconsideration.decide:可以延长的期限须写明批准人");
	r = rules[1];
	r.length = 0;
	assert_int_equal(deadline_rule_check(&r, err, sizeof(err)), -1);
	assert_string_equal(err, "期限规则reconsideration.decide:期限长度应为正数");
	r = rules[1];
	r.basis = "";
	assert_int_equal(deadline_rule_check(&r, err, sizeof(err)), -1);
	assert_string_equal(err, "期限规则reconsideration.decide:缺少法律依据");
	r = rules[1];
	r.unit = (enum deadline_unit)9;
	assert_int_equal(deadline_rule_check(&r, err, sizeof(err)), -1);
	assert_string_equal(err, "期限规则reconsideration.decide:期限单位无效");
	r = rules[1];
	r.code = NULL;
	assert_int_equal(deadline_rule_check(&r, err, sizeof(err)), -1);
	assert_string_equal(err, "期限规则(无编码):缺少编码");
	assert_int_equal(deadline_rule_check(NULL, NULL, 0), -1);
}

static void test_working_days_over_national_day(void **state)
{
	(void)state;
	/* Sept 30, Oct 8, Oct 9 (补班 Saturday), Oct 11, Oct 12. */
	assert_int_equal(due_of(ACCEPT, 20210929, NULL, 0, 0), 20211012);
	/* Received on a holiday: Oct 8, 9, 11, 12, 13. */
	assert_int_equal(due_of(ACCEPT, 20211002, NULL, 0, 0), 20211013);
	/* Spring Festival 2021: Feb 10, 18, 19, 20 (补班 Saturday), 22. */
	assert_int_equal(due_of(ACCEPT, 20210209, NULL, 0, 0), 20210222);
}

static void test_calendar_days_roll_past_holiday(void **state)
{
	(void)state;
	/* 2021-08-02 + 60 = 2021-10-01, National Day: the period ends on 10-08. */
	assert_int_equal(due_of(DECIDE, 20210802, NULL, 0, 0), 20211008);
	/* Ending on 10-09, a 补班 Saturday: a working day, it stays. */
	assert_int_equal(due_of(DECIDE, 20210810, NULL, 0, 0), 20211009);
	/* Ending on Sunday 10-10: Monday. */
	assert_int_equal(due_of(DECIDE, 20210811, NULL, 0, 0), 20211011);
	/* An ordinary Friday. */
	assert_int_equal(due_of(DECIDE, 20210301, NULL, 0, 0), 20210430);
	/* 15 days from 2021-01-27 = 2021-02-11, Spring Festival eve: Feb 18. */
	assert_int_equal(due_of(ANSWER, 20210127, NULL, 0, 0), 20210218);
}

static void test_calendar_days_with_pause(void **state)
{
	const struct deadline_pause ten[] = { { 20210310, 20210320 } };
	const struct deadline_pause two[] = { { 20210310, 20210320 }, { 20210505, 20210507 } };
	const struct deadline_pause on_due[] = { { 20210430, 20210510 } };
	const struct deadline_pause empty[] = { { 20210310, 20210310 } };

	(void)state;
	/* A 10-day 中止 moves 2021-04-30 by 10 days to Monday 2021-05-10. */
	assert_int_equal(due_of(DECIDE, 20210301, ten, 1, 0), 20210510);
	/* The second pause begins before the moved due date, so it counts too. */
	assert_int_equal(due_of(DECIDE, 20210301, two, 2, 0), 20210512);
	/* A pause that begins on the due date still stops the clock. */
	assert_int_equal(due_of(DECIDE, 20210301, on_due, 1, 0), 20210510);
	assert_int_equal(due_of(DECIDE, 20210301, empty, 1, 0), 20210430);
	/* A rule that cannot be paused ignores pauses, open or not. */
	assert_int_equal(due_of(ANSWER, 20210301, ten, 1, 0), 20210316);
}

static void test_pause_after_deadline_is_ignored(void **state)
{
	const struct deadline_pause late[] = { { 20210506, 20210520 } };
	const struct deadline_pause late_open[] = { { 20210506, 0 } };

	(void)state;
	assert_int_equal(due_of(DECIDE, 20210301, late, 1, 0), 20210430);
	/* An overdue period is not hidden by a 中止 recorded afterwards. */
	assert_int_equal(due_of(DECIDE, 20210301, late_open, 1, 0), 20210430);
}

static void test_open_pause(void **state)
{
	const struct deadline_pause open[] = { { 20210310, 0 } };
	const struct deadline_pause closed_then_open[] = { { 20210310, 20210320 },
							   { 20210505, 0 } };
	const struct deadline_pause open_review[] = { { 20210929, 0 } };

	(void)state;
	due_fails(DECIDE, 20210301, open, 1, 0, DEADLINE_PAUSED);
	due_fails(DECIDE, 20210301, closed_then_open, 2, 0, DEADLINE_PAUSED);
	/* Working-day rules stop the same way. */
	due_fails(REVIEW, 20210924, open_review, 1, 0, DEADLINE_PAUSED);
}

static void test_working_days_with_pause(void **state)
{
	/* Clock stopped 09-29..10-08: 09-29, 09-30 and 10-08 were working days. */
	const struct deadline_pause p[] = { { 20210929, 20211009 } };
	/* Paused only over the holiday: no working day lost. */
	const struct deadline_pause holiday[] = { { 20211001, 20211008 } };

	(void)state;
	/* 09-26 (补班 Sunday), 27, 28, 29, 30, 10-08, 09, 11, 12, 13. */
	assert_int_equal(due_of(REVIEW, 20210924, NULL, 0, 0), 20211013);
	/* Three more working days: 10-14, 15, 18. */
	assert_int_equal(due_of(REVIEW, 20210924, p, 1, 0), 20211018);
	assert_int_equal(due_of(REVIEW, 20210924, holiday, 1, 0), 20211013);
}

static void test_extension(void **state)
{
	(void)state;
	/* 60 + 30 days from 2021-03-01 is Sunday 2021-05-30: Monday 05-31. */
	assert_int_equal(due_of(DECIDE, 20210301, NULL, 0, 30), 20210531);
	assert_int_equal(due_of(DECIDE, 20210301, NULL, 0, 10), 20210510);
	/* Working-day period then calendar-day extension: 10-13 + 3 = 10-16 (Sat) -> 10-18. */
	assert_int_equal(due_of(REVIEW, 20210924, NULL, 0, 3), 20211018);
	assert_int_equal(due_of(REVIEW, 20210924, NULL, 0, 2), 20211015);
	/* Beyond the rule's maximum, or for a rule without extension. */
	due_fails(DECIDE, 20210301, NULL, 0, 31, CALENDAR_INVALID);
	due_fails(ACCEPT, 20210929, NULL, 0, 1, CALENDAR_INVALID);
	due_fails(DECIDE, 20210301, NULL, 0, -1, CALENDAR_INVALID);
}

static void test_unknown_year(void **state)
{
	(void)state;
	/* 2026-11-15 + 60 = 2027-01-14: the 2027 notice is not loaded. */
	due_fails(DECIDE, 20261115, NULL, 0, 0, CALENDAR_UNKNOWN_YEAR);
	/* 12-29, 12-30, 12-31, then 2027. */
	due_fails(ACCEPT, 20261228, NULL, 0, 0, CALENDAR_UNKNOWN_YEAR);
	assert_int_equal(due_of(ACCEPT, 20261222, NULL, 0, 0), 20261229);
}

static void test_invalid_input(void **state)
{
	const struct deadline_pause before_start[] = { { 20210220, 20210310 } };
	const struct deadline_pause reversed[] = { { 20210320, 20210310 } };
	const struct deadline_pause overlap[] = { { 20210310, 20210320 }, { 20210315, 20210325 } };
	const struct deadline_pause open_first[] = { { 20210310, 0 }, { 20210315, 20210325 } };
	const struct deadline_pause bad_date[] = { { 20210230, 20210310 } };
	struct deadline_rule r = rules[1];
	int due = 4242;

	(void)state;
	due_fails(DECIDE, 20210301, before_start, 1, 0, CALENDAR_INVALID);
	due_fails(DECIDE, 20210301, reversed, 1, 0, CALENDAR_INVALID);
	due_fails(DECIDE, 20210301, overlap, 2, 0, CALENDAR_INVALID);
	due_fails(DECIDE, 20210301, open_first, 2, 0, CALENDAR_INVALID);
	due_fails(DECIDE, 20210301, bad_date, 1, 0, CALENDAR_INVALID);
	due_fails(DECIDE, 20210301, NULL, 1, 0, CALENDAR_INVALID);
	due_fails(DECIDE, 20210229, NULL, 0, 0, CALENDAR_INVALID);
	due_fails(NULL, 20210301, NULL, 0, 0, CALENDAR_INVALID);
	r.length = 0;
	due_fails(&r, 20210301, NULL, 0, 0, CALENDAR_INVALID);
	r.length = INT_MAX;
	due_fails(&r, 20210301, NULL, 0, 0, CALENDAR_INVALID);
	assert_int_equal(deadline_compute(DECIDE, NULL, 20210301, NULL, 0, 0, &due),
			 CALENDAR_INVALID);
	assert_int_equal(due, 4242);
}

static void test_days_left_and_status(void **state)
{
	(void)state;
	assert_int_equal(deadline_days_left(20211001, 20211008), 7);
	assert_int_equal(deadline_days_left(20211009, 20211008), -1);
	assert_int_equal(deadline_days_left(20211008, 20211008), 0);
	assert_int_equal(deadline_days_left(20240228, 20240301), 2);
	assert_int_equal(deadline_days_left(20210229, 20211008), INT_MIN);
	assert_string_equal(deadline_status(20211001, 20211008, 3), "ok");
	assert_string_equal(deadline_status(20211001, 20211008, 7), "due_soon");
	assert_string_equal(deadline_status(20211005, 20211008, 3), "due_soon");
	assert_string_equal(deadline_status(20211008, 20211008, 0), "due_soon");
	assert_string_equal(deadline_status(20211009, 20211008, 3), "overdue");
	assert_null(deadline_status(20211009, 0, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_table_is_valid),
		cmocka_unit_test(test_rule_check_messages),
		cmocka_unit_test(test_working_days_over_national_day),
		cmocka_unit_test(test_calendar_days_roll_past_holiday),
		cmocka_unit_test(test_calendar_days_with_pause),
		cmocka_unit_test(test_pause_after_deadline_is_ignored),
		cmocka_unit_test(test_open_pause),
		cmocka_unit_test(test_working_days_with_pause),
		cmocka_unit_test(test_extension),
		cmocka_unit_test(test_unknown_year),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_days_left_and_status),
	};

	return cmocka_run_group_tests(tests, load_calendar, free_calendar);
}
