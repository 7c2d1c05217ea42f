/* Time helpers; see timeutil.h. */
#include "timeutil.h"

#include <stdio.h>

#include "banned.h"

int64_t time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cst_tm(int64_t t, struct tm *tm)
{
	time_t s = (time_t)(t + CST_OFFSET);

	gmtime_r(&s, tm);
}

void time_format_iso(int64_t t, char out[26])
{
	struct tm tm;
	char tmp[64];

	cst_tm(t, &tm);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	snprintf(out, 26, "%.25s", tmp);
}

void time_format_short(int64_t t, char out[17])
{
	struct tm tm;
	char tmp[64];

	cst_tm(t, &tm);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min);
	snprintf(out, 17, "%.16s", tmp);
}

int time_today_cst(void)
{
	struct tm tm;

	cst_tm(time_now(), &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}
