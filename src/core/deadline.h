/*
 * Statutory deadlines as data: a rule says how long a period is, in working
 * or calendar days, whether 中止 stops the clock and how far it may be
 * extended; deadline_compute turns a rule, a start date, the pauses and an
 * extension into a due date on a holiday calendar (calendar.h). The rule
 * values themselves live with the business modules that own them.
 *
 * Dates are YYYYMMDD ints as in calendar.h. Pure computation, thread-safe.
 */
#ifndef FAZHI_CORE_DEADLINE_H
#define FAZHI_CORE_DEADLINE_H

#include <stddef.h>

#include "calendar.h"

/* deadline_compute: the clock is stopped by a pause still open; *due not set. */
#define DEADLINE_PAUSED 1

enum deadline_unit { DEADLINE_WORKING_DAYS, DEADLINE_CALENDAR_DAYS };

struct deadline_rule {
	const char *code;        /* "reconsideration.accept" */
	const char *name;        /* "受理审查期限" */
	const char *start_event; /* event code that starts the clock, e.g. "received" */
	int length;              /* >= 1, in `unit`s */
	enum deadline_unit unit;
	int pausable;            /* 中止 stops the clock */
	int max_extension_days;  /* 0 = no extension possible */
	const char *approver;    /* who approves an extension, e.g. "行政复议机构负责人" or NULL */
	const char *basis;       /* legal basis, e.g. "《行政复议法》第三十条" */
};

/*
 * A 中止: the clock stops on `from` and runs again on `to`, so from..to-1
 * are not counted and a pause {20210301, 20210311} lasts 10 days. to == 0
 * while still paused; otherwise from <= to.
 */
struct deadline_pause {
	int from;
	int to;
};

/*
 * Compute the due date of a period of rule r that starts on `start` (the day
 * of the start event; it is not counted).
 *
 * Calendar-day periods: start + length + paused calendar days + extension
 * days; when that day is not a working day the due date moves to the next
 * working day (a period ending on a holiday ends on the first working day
 * after it). Working-day periods: calendar_add_working_days(start, length +
 * the working days inside the pauses), then + extension calendar days,
 * rolled forward to a working day the same way.
 *
 * Pauses: ignored unless r->pausable. They must be in date order, not
 * overlap, begin on or after start, and only the last may be open. A pause
 * that begins after the clock has already run out (after the due date
 * computed from the pauses before it) does not revive it and is ignored, so
 * a late 中止 never hides an overdue period. An open pause that begins while
 * the clock runs returns DEADLINE_PAUSED.
 *
 * extension_days: 0..r->max_extension_days calendar days (an approved
 * extension).
 *
 * Returns 0 and sets *due; DEADLINE_PAUSED (*due not set);
 * CALENDAR_UNKNOWN_YEAR when the calendar lacks a year the computation
 * needs; CALENDAR_INVALID for an invalid rule, start date, pause list or
 * extension.
 */
int deadline_compute(const struct deadline_rule *r, const struct calendar *c, int start,
		     const struct deadline_pause *pauses, size_t npauses, int extension_days, int *due);

/* due - today in days (negative when overdue); INT_MIN when either date is invalid. */
int deadline_days_left(int today, int due);

/*
 * "overdue" when due is before today, "due_soon" when it is at most
 * warn_days away (today included), else "ok". NULL when either date is
 * invalid. Static strings.
 */
const char *deadline_status(int today, int due, int warn_days);

/*
 * Check one rule of a business module's table: code, name and basis set,
 * length >= 1, a known unit, max_extension_days >= 0 and an approver when
 * an extension is possible. Returns 0, or -1 with a Chinese message naming
 * the rule in err.
 */
int deadline_rule_check(const struct deadline_rule *r, char *err, size_t errlen);

#endif
