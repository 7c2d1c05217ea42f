/*
 * Dates and the working-day calendar: plain date arithmetic on YYYYMMDD
 * integers, and the State Council holiday arrangements (data/calendar/NNNN.csv)
 * that decide which days are working days. Pure computation: no database,
 * no clock, no I/O.
 *
 * Dates are ints YYYYMMDD (20211001 is 1 October 2021), proleptic Gregorian,
 * years 1..9999. Arithmetic uses a days-from-civil algorithm, never the C
 * library's time functions.
 *
 * Working days: a day listed as 休 is a day off, a day listed as 班 is a
 * working day (调休补班), any other Saturday or Sunday is a day off and any
 * other weekday is a working day. A year is "known" when its holiday
 * arrangement is loaded and has at least one row; every working-day
 * computation that touches a day of an unknown year fails with
 * CALENDAR_UNKNOWN_YEAR rather than guess (the notice for next year appears
 * around November).
 *
 * Thread safety: a struct calendar is immutable once loaded. Any number of
 * threads may call the const functions on the same calendar at once. To edit
 * a calendar (the admin API), build a new one (calendar_clone, then
 * calendar_set_year or calendar_load_csv), publish the new pointer and free
 * the old calendar only when no reader can still hold it. Never call a
 * loading function on a calendar other threads are reading.
 */
#ifndef FAZHI_CORE_CALENDAR_H
#define FAZHI_CORE_CALENDAR_H

#include <stddef.h>

/* Return codes of the working-day computations. */
#define CALENDAR_UNKNOWN_YEAR (-1) /* needs a year whose arrangement is not loaded */
#define CALENDAR_INVALID (-2)      /* an argument is not a valid date, count or year */

/* Years a calendar can hold an arrangement for. */
#define CALENDAR_YEAR_MIN 1900
#define CALENDAR_YEAR_MAX 2200

/* Most rows one year's arrangement may have. */
#define CALENDAR_MAX_DAYS 400

/* Longest holiday name in bytes (UTF-8, without the terminating NUL). */
#define CALENDAR_NAME_MAX 96

/* ---- dates -------------------------------------------------------------- */

/* YYYYMMDD for a real Gregorian date (date_is_valid), else -1. */
int date_from_ymd(int y, int m, int d);

/* Split a YYYYMMDD int; returns 0, or -1 (nothing stored) if it is not a real date. */
int date_split(int ymd, int *y, int *m, int *d);

/* True (1) when ymd is a real Gregorian date YYYYMMDD, else 0. */
int date_valid(int ymd);

/*
 * Parse "2021-03-05", "2021-3-5", "2021/3/5", "2021/03/05" or "2021年3月5日"
 * (four-digit year, one- or two-digit month and day, surrounding ASCII
 * whitespace ignored). Returns 0 and stores YYYYMMDD in *out, or -1 (nothing
 * stored) for anything else, including impossible dates such as 2021-02-29.
 */
int date_parse(const char *s, int *out);

/* "2021-03-05" into out (always NUL-terminated); "" when ymd is not a valid date. */
void date_format(int ymd, char out[11]);

/*
 * ymd + n days (n may be negative). -1 when ymd is not a valid date or the
 * result falls outside years 1..9999.
 */
int date_add_days(int ymd, int n);

/* to - from in days. Both must be valid dates; otherwise INT_MIN. */
int date_diff_days(int from, int to);

/* 0 = Monday ... 6 = Sunday; -1 when ymd is not a valid date. */
int date_weekday(int ymd);

/* ---- the calendar ------------------------------------------------------- */

enum calendar_kind {
	CALENDAR_REST = 1, /* 休: a day off (statutory holiday or day off in lieu) */
	CALENDAR_WORK = 2, /* 班: a Saturday or Sunday made a working day */
};

/* One row of a year's arrangement. */
struct calendar_day {
	int date;                /* YYYYMMDD */
	enum calendar_kind kind;
	const char *name;        /* the holiday it belongs to, e.g. "春节" */
};

struct calendar;

/* An empty calendar (no year known). Never NULL (aborts on out-of-memory). */
struct calendar *calendar_new(void);

/* A deep copy, for editing a calendar that other threads may be reading. Never NULL. */
struct calendar *calendar_clone(const struct calendar *c);

/* Free a calendar and every name it holds. NULL is ignored. */
void calendar_free(struct calendar *c);

/*
 * Load one year's arrangement from CSV text (len bytes; need not be
 * NUL-terminated) and replace whatever the calendar held for that year.
 *
 * Format: a header line `date,kind,name` (an optional UTF-8 BOM before it),
 * then one row per line `YYYY-MM-DD,休|班,name`; CRLF line ends, blank lines
 * and spaces around fields are tolerated. Rules, each checked with an error
 * naming the line, e.g. "第3行:日期格式不正确":
 *   - the date is YYYY-MM-DD and exists;
 *   - the date lies in `year`, or in December of year - 1: a notice may
 *     start the 元旦 holiday in the last days of the previous year (the 2019
 *     notice lists 2018-12-29..31, the 2023 notice 2022-12-31);
 *   - kind is 休 or 班;
 *   - a 班 day is a Saturday or Sunday; the one exception is a weekday
 *     directly after a 休 day of the same file, which is how an extended
 *     holiday records the day work resumes (2020-02-03 after the 2020 Spring
 *     Festival extension); such a row changes nothing;
 *   - no date is listed twice;
 *   - the name is 1..CALENDAR_NAME_MAX bytes of UTF-8 without control
 *     characters, commas or double quotes;
 *   - at most CALENDAR_MAX_DAYS rows.
 * When a date of December of year - 1 is also listed by that year's own
 * file, the later notice (this one) decides.
 *
 * The year becomes known when the file has at least one row; a file with
 * only the header is accepted but leaves the year unknown. Returns 0, or -1
 * with a Chinese message in err (when err is not NULL) and the calendar
 * unchanged.
 */
int calendar_load_csv(struct calendar *c, int year, const char *text, size_t len,
		      char *err, size_t errlen);

/*
 * Load every embedded file named data/calendar/NNNN.csv (see embedded.h).
 * Returns the number of files loaded, or -1 with a message that starts with
 * the file name (e.g. "data/calendar/2021.csv 第3行:日期格式不正确"); files
 * loaded before the failing one stay loaded.
 */
int calendar_load_embedded(struct calendar *c, char *err, size_t errlen);

/*
 * Replace a whole year with days[0..n) (any order), validated by the same
 * rules as calendar_load_csv; messages name the entry, e.g. "第2条:日期不存在".
 * The names are copied. n == 0 leaves the year loaded but unknown. Returns 0,
 * or -1 with err set and the calendar unchanged.
 */
int calendar_set_year(struct calendar *c, int year, const struct calendar_day *days, size_t n,
		      char *err, size_t errlen);

/*
 * The rows of `year`'s arrangement (including any December days of the year
 * before it lists) in date order: writes at most max of them to out and
 * returns how many there are (0 for a year not loaded), or CALENDAR_INVALID
 * for a year outside CALENDAR_YEAR_MIN..MAX. The names belong to the calendar.
 */
int calendar_year_days(const struct calendar *c, int year, struct calendar_day *out, size_t max);

/*
 * Treat `year` as known with no holidays at all (only Saturdays and Sundays
 * off), replacing what the calendar held for it: for a provisional due date
 * while a year's notice is not out yet. Use it on a clone, never on the
 * calendar that decides real deadlines. Returns 0, or -1 for a year outside
 * CALENDAR_YEAR_MIN..MAX.
 */
int calendar_assume_year(struct calendar *c, int year);

/*
 * 1 when year's arrangement is loaded and has at least one row (or the year
 * was assumed with calendar_assume_year), else 0.
 */
int calendar_is_known_year(const struct calendar *c, int year);

/*
 * 1 for a working day, 0 for a day off, CALENDAR_UNKNOWN_YEAR when ymd's year
 * is not known, CALENDAR_INVALID when ymd is not a valid date.
 */
int calendar_is_working_day(const struct calendar *c, int ymd);

/*
 * The name of the holiday ymd belongs to (for 休 and 班 days), or NULL for
 * an ordinary day or an invalid date. Owned by the calendar.
 */
const char *calendar_day_name(const struct calendar *c, int ymd);

/*
 * The last day of a period of n working days (n >= 1) counted from the day
 * after start (the day a period starts is not counted). Returns 0 and sets
 * *out; CALENDAR_UNKNOWN_YEAR when a day that must be examined lies in an
 * unknown year; CALENDAR_INVALID for an invalid start or n < 1. *out is set
 * only on success.
 */
int calendar_add_working_days(const struct calendar *c, int start, int n, int *out);

/*
 * ymd itself when it is a working day, else the first working day after it.
 * Returns 0 and sets *out, or CALENDAR_UNKNOWN_YEAR / CALENDAR_INVALID.
 */
int calendar_next_working_day(const struct calendar *c, int ymd, int *out);

/*
 * The number of working days d with from < d <= to (0 when to <= from).
 * Returns 0 and sets *out, or CALENDAR_UNKNOWN_YEAR when a day in that range
 * lies in an unknown year, or CALENDAR_INVALID.
 */
int calendar_working_days_between(const struct calendar *c, int from, int to, int *out);

#endif
