/*
 * Due dates of statutory periods on the working-day calendar: calendar-day
 * and working-day periods, 中止 pauses and approved extensions. The
 * contract is in deadline.h.
 */
#include "deadline.h"

#include <stdio.h>

#include "banned.h"

/* No statutory period comes near this; it keeps every sum far from overflow. */
#define DEADLINE_MAX_DAYS 36600

/* Calendar days that a pause list may add, at most (a pause is bounded by its dates). */
#define PAUSE_MAX_DAYS 4000000L

static int rule_ok(const struct deadline_rule *r)
{
	return r && r->length >= 1 && r->length <= DEADLINE_MAX_DAYS &&
	       (r->unit == DEADLINE_WORKING_DAYS || r->unit == DEADLINE_CALENDAR_DAYS) &&
	       r->max_extension_days >= 0 && r->max_extension_days <= DEADLINE_MAX_DAYS;
}

/* The pause list as deadline.h requires it: ordered, closed except the last, after start. */
static int pauses_ok(int start, const struct deadline_pause *p, size_t n)
{
	size_t i;

	if (n > 0 && !p)
		return 0;
	for (i = 0; i < n; i++) {
		if (!date_valid(p[i].from) || p[i].from < start)
			return 0;
		if (i > 0 && p[i].from < p[i - 1].to)
			return 0;
		if (p[i].to == 0) {
			if (i + 1 != n)
				return 0;
		} else if (!date_valid(p[i].to) || p[i].to < p[i].from) {
			return 0;
		}
	}
	return 1;
}

/* Days a closed pause adds, in the rule's unit: the countable days in from..to-1. */
static int pause_amount(const struct deadline_rule *r, const struct calendar *c,
			const struct deadline_pause *p, long *amount)
{
	int n, rc;

	if (p->to == p->from) {
		*amount = 0;
		return 0;
	}
	if (r->unit == DEADLINE_CALENDAR_DAYS) {
		*amount = date_diff_days(p->from, p->to);
		return 0;
	}
	rc = calendar_working_days_between(c, date_add_days(p->from, -1),
					   date_add_days(p->to, -1), &n);
	if (rc < 0)
		return rc;
	*amount = n;
	return 0;
}

/* The due date with `paused` units of pause and ext extension days. */
static int due_with(const struct deadline_rule *r, const struct calendar *c, int start,
		    long paused, int ext, int *due)
{
	int day, rc;

	if (paused > PAUSE_MAX_DAYS)
		return CALENDAR_INVALID;
	if (r->unit == DEADLINE_CALENDAR_DAYS) {
		day = date_add_days(start, (int)(r->length + paused + ext));
		if (day < 0)
			return CALENDAR_INVALID;
		return calendar_next_working_day(c, day, due);
	}
	rc = calendar_add_working_days(c, start, (int)(r->length + paused), &day);
	if (rc < 0)
		return rc;
	if (ext > 0) {
		day = date_add_days(day, ext);
		if (day < 0)
			return CALENDAR_INVALID;
		return calendar_next_working_day(c, day, due);
	}
	*due = day;
	return 0;
}

int deadline_compute(const struct deadline_rule *r, const struct calendar *c, int start,
		     const struct deadline_pause *pauses, size_t npauses, int extension_days, int *due)
{
	long paused = 0;
	int cur, rc;
	size_t i;

	if (!rule_ok(r) || !c || !due || !date_valid(start) || extension_days < 0 ||
	    extension_days > r->max_extension_days)
		return CALENDAR_INVALID;
	if (!r->pausable)
		npauses = 0;
	if (!pauses_ok(start, pauses, npauses))
		return CALENDAR_INVALID;
	rc = due_with(r, c, start, 0, extension_days, &cur);
	if (rc < 0)
		return rc;
	for (i = 0; i < npauses; i++) {
		long amount;

		/* The clock had run out before this pause (and every later one) began. */
		if (pauses[i].from > cur)
			break;
		if (pauses[i].to == 0)
			return DEADLINE_PAUSED;
		rc = pause_amount(r, c, &pauses[i], &amount);
		if (rc < 0)
			return rc;
		paused += amount;
		rc = due_with(r, c, start, paused, extension_days, &cur);
		if (rc < 0)
			return rc;
	}
	*due = cur;
	return 0;
}

int deadline_days_left(int today, int due)
{
	return date_diff_days(today, due);
}

const char *deadline_status(int today, int due, int warn_days)
{
	int left;

	if (!date_valid(today) || !date_valid(due))
		return NULL;
	left = date_diff_days(today, due);
	if (left < 0)
		return "overdue";
	if (left <= warn_days)
		return "due_soon";
	return "ok";
}

int deadline_rule_check(const struct deadline_rule *r, char *err, size_t errlen)
{
	const char *msg = NULL;
	const char *code = r && r->code && r->code[0] ? r->code : "(无编码)";

	if (!r || !r->code || !r->code[0])
		msg = "缺少编码";
	else if (!r->name || !r->name[0])
		msg = "缺少名称";
	else if (!r->start_event || !r->start_event[0])
		msg = "缺少起算事件";
	else if (!r->basis || !r->basis[0])
		msg = "缺少法律依据";
	else if (r->length < 1 || r->length > DEADLINE_MAX_DAYS)
		msg = "期限长度应为正数";
	else if (r->unit != DEADLINE_WORKING_DAYS && r->unit != DEADLINE_CALENDAR_DAYS)
		msg = "期限单位无效";
	else if (r->max_extension_days < 0 || r->max_extension_days > DEADLINE_MAX_DAYS)
		msg = "最长延长天数无效";
	else if (r->max_extension_days > 0 && (!r->approver || !r->approver[0]))
		msg = "可以延长的期限须写明批准人";
	if (!msg)
		return 0;
	if (err && errlen > 0)
		snprintf(err, errlen, "期限规则%s:%s", code, msg);
	return -1;
}
