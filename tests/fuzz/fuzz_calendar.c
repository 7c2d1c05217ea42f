/*
 * Fuzz target: the holiday calendar loader (calendar_load_csv in
 * src/core/calendar.h). Input: a first line with the year (four digits; any
 * other first line means 2026 and is kept as CSV), then the CSV text, not
 * NUL-terminated. Properties: a refusal leaves the calendar unchanged and
 * writes a NUL-terminated message; an accepted year answers the queries
 * (working days, names, periods) without crashing, its clone agrees with it,
 * and reloading its own rows gives the same rows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"

#define CHECK(c) ((c) ? (void)0 : abort())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar *c = calendar_new(), *copy;
	struct calendar_day days[CALENDAR_MAX_DAYS + 8], again[CALENDAR_MAX_DAYS + 8];
	const char *text = (const char *)data;
	char err[256], *buf;
	int year = 2026, n, n2, i, out, d;
	size_t len = size;

	if (size >= 5 && data[4] == '\n' && data[0] >= '0' && data[0] <= '9' && data[1] >= '0' && data[1] <= '9' &&
	    data[2] >= '0' && data[2] <= '9' && data[3] >= '0' && data[3] <= '9') {
		year = (data[0] - '0') * 1000 + (data[1] - '0') * 100 + (data[2] - '0') * 10 + (data[3] - '0');
		text += 5;
		len -= 5;
	}
	/* Not NUL-terminated: a copy of exactly len bytes, so reading past it is caught. */
	buf = malloc(len ? len : 1);
	memcpy(buf, text, len);
	memset(err, 'x', sizeof(err));
	if (calendar_load_csv(c, year, buf, len, err, sizeof(err)) < 0) {
		CHECK(memchr(err, '\0', sizeof(err)));
		CHECK(!calendar_is_known_year(c, year));
		CHECK(calendar_year_days(c, year, days, CALENDAR_MAX_DAYS + 8) <= 0);
	} else {
		n = calendar_year_days(c, year, days, CALENDAR_MAX_DAYS + 8);
		CHECK(n >= 0 && n <= CALENDAR_MAX_DAYS);
		copy = calendar_clone(c);
		for (i = 0; i < n; i++) {
			CHECK(date_valid(days[i].date));
			CHECK(calendar_is_working_day(c, days[i].date) == calendar_is_working_day(copy, days[i].date));
			CHECK(days[i].name && strlen(days[i].name) <= CALENDAR_NAME_MAX);
			(void)calendar_day_name(c, days[i].date);
		}
		if (calendar_is_known_year(c, year)) {
			d = date_from_ymd(year, 1, 1);
			(void)calendar_add_working_days(c, d, 1 + (int)(size % 200), &out);
			(void)calendar_next_working_day(c, d, &out);
			(void)calendar_working_days_between(c, d, date_from_ymd(year, 12, 31), &out);
		}
		/* The rows set again give the same rows. */
		n2 = calendar_set_year(copy, year, days, (size_t)n, err, sizeof(err));
		CHECK(n2 == 0);
		CHECK(calendar_year_days(copy, year, again, CALENDAR_MAX_DAYS + 8) == n);
		for (i = 0; i < n; i++)
			CHECK(again[i].date == days[i].date && again[i].kind == days[i].kind &&
			      !strcmp(again[i].name, days[i].name));
		calendar_free(copy);
	}
	free(buf);
	calendar_free(c);
	return 0;
}
