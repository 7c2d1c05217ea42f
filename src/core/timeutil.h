/*
 * Time helpers. fazhi stores instants as Unix seconds (UTC) and shows them in
 * China Standard Time (UTC+8, no daylight saving), the time zone of every
 * user; calendar dates are strings YYYY-MM-DD.
 */
#ifndef FAZHI_CORE_TIMEUTIL_H
#define FAZHI_CORE_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

#define CST_OFFSET (8 * 3600)

/* Current Unix time in seconds / milliseconds. */
int64_t time_now(void);
int64_t time_now_ms(void);

/* "2026-11-22T21:09:56+08:00" into out[26]. */
void time_format_iso(int64_t t, char out[26]);

/* "2026-11-22 21:09" into out[17] (for Chinese messages). */
void time_format_short(int64_t t, char out[17]);

/* Today's date in China as YYYYMMDD (e.g. 20261122). */
int time_today_cst(void);

#endif
