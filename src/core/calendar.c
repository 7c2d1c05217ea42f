/*
 * Date arithmetic on YYYYMMDD ints (days-from-civil, after Howard Hinnant's
 * chrono algorithms) and the working-day calendar built from the yearly
 * holiday arrangements. The contract is in calendar.h.
 */
#include "calendar.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "validate.h"

#include "banned.h"

#define YEAR_SLOTS (CALENDAR_YEAR_MAX - CALENDAR_YEAR_MIN + 1)

#define KIND_REST "\xe4\xbc\x91"	/* 休 */
#define KIND_WORK "\xe7\x8f\xad"	/* 班 */
#define CHAR_YEAR "\xe5\xb9\xb4"	/* 年 */
#define CHAR_MONTH "\xe6\x9c\x88"	/* 月 */
#define CHAR_DAY "\xe6\x97\xa5"	/* 日 */

#define CSV_HEADER "date,kind,name"
#define EMBED_PREFIX "data/calendar/"

/* One year's arrangement: rows sorted by date, names packed in one block. */
struct cal_year {
	int assumed;	/* calendar_assume_year: known although empty */
	size_t n;
	struct calendar_day *days;
	char *names;
};

struct calendar {
	struct cal_year *years[YEAR_SLOTS];	/* NULL = not loaded */
};

/* A row being validated; name is not NUL-terminated. */
struct row {
	int date;
	enum calendar_kind kind;
	const char *name;
	size_t namelen;
	int label;	/* line number (CSV) or entry number (set_year) */
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

/* ---- dates -------------------------------------------------------------- */

/* Days since 1970-01-01 of a valid y-m-d. */
static long days_from_civil(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* Inverse of days_from_civil. */
static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Monday ... 6 = Sunday for a day number (1970-01-01 was a Thursday). */
static int weekday_of(long dn)
{
	return (int)(((dn % 7) + 7 + 3) % 7);
}

static int ymd_of(long dn)
{
	int y, m, d;

	civil_from_days(dn, &y, &m, &d);
	return y * 10000 + m * 100 + d;
}

int date_from_ymd(int y, int m, int d)
{
	if (!date_is_valid(y, m, d))
		return -1;
	return y * 10000 + m * 100 + d;
}

int date_split(int ymd, int *y, int *m, int *d)
{
	int yy, mm, dd;

	if (ymd <= 0)
		return -1;
	yy = ymd / 10000;
	mm = ymd / 100 % 100;
	dd = ymd % 100;
	if (!date_is_valid(yy, mm, dd))
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

int date_valid(int ymd)
{
	int y, m, d;

	return date_split(ymd, &y, &m, &d) == 0;
}

/* Day number of ymd: 0 and *dn set, or -1 when ymd is not a valid date. */
static int day_number(int ymd, long *dn)
{
	int y, m, d;

	if (date_split(ymd, &y, &m, &d) < 0)
		return -1;
	*dn = days_from_civil(y, m, d);
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Read 1..maxdigits digits at *p (not past end); -1 if there are none or too many. */
static int read_number(const char **p, const char *end, int maxdigits)
{
	int v = 0, n = 0;

	while (*p < end && is_digit(**p)) {
		n++;
		if (n > maxdigits)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return n ? v : -1;
}

/* Consume the literal lit at *p when it is there. */
static int eat(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return 0;
	*p += n;
	return 1;
}

int date_parse(const char *s, int *out)
{
	const char *p, *end, *sep2, *tail;
	int y, m, d, ymd;

	if (!s)
		return -1;
	p = s;
	end = s + strlen(s);
	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	if (end - p < 4 || !is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) ||
	    !is_digit(p[3]))
		return -1;
	y = read_number(&p, p + 4, 4);
	if (eat(&p, end, "-")) {
		sep2 = "-";
		tail = "";
	} else if (eat(&p, end, "/")) {
		sep2 = "/";
		tail = "";
	} else if (eat(&p, end, CHAR_YEAR)) {
		sep2 = CHAR_MONTH;
		tail = CHAR_DAY;
	} else {
		return -1;
	}
	m = read_number(&p, end, 2);
	if (m < 0 || !eat(&p, end, sep2))
		return -1;
	d = read_number(&p, end, 2);
	if (d < 0 || !eat(&p, end, tail) || p != end)
		return -1;
	ymd = date_from_ymd(y, m, d);
	if (ymd < 0)
		return -1;
	*out = ymd;
	return 0;
}

/* The low n decimal digits of v (v >= 0), zero-padded, at out. */
static void put_digits(char *out, int v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void date_format(int ymd, char out[11])
{
	int y, m, d;

	if (date_split(ymd, &y, &m, &d) < 0) {
		out[0] = '\0';
		return;
	}
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = '\0';
}

int date_add_days(int ymd, int n)
{
	long dn;
	int y, m, d;

	if (day_number(ymd, &dn) < 0)
		return -1;
	/* Years 1..9999 span fewer than 3.7 million days; anything beyond is out. */
	if (n > 4000000 || n < -4000000)
		return -1;
	civil_from_days(dn + n, &y, &m, &d);
	if (y < 1 || y > 9999)
		return -1;
	return y * 10000 + m * 100 + d;
}

int date_diff_days(int from, int to)
{
	long a, b;

	if (day_number(from, &a) < 0 || day_number(to, &b) < 0)
		return INT_MIN;
	return (int)(b - a);
}

int date_weekday(int ymd)
{
	long dn;

	if (day_number(ymd, &dn) < 0)
		return -1;
	return weekday_of(dn);
}

/* ---- errors ------------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* "第3行:" or "第3条:" followed by msg. */
static int row_err(char *err, size_t errlen, const char *unit, int label, const char *msg)
{
	set_err(err, errlen, "第%d%s:%s", label, unit, msg);
	return -1;
}

/* ---- validation shared by the CSV loader and calendar_set_year ----------- */

static int year_ok(int year)
{
	return year >= CALENDAR_YEAR_MIN && year <= CALENDAR_YEAR_MAX;
}

/*
 * Valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF)
 * without control characters, commas or double quotes.
 */
static int name_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		unsigned long cp;
		size_t len, k;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f || c == ',' || c == '"')
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return 0;
		i += len;
	}
	return 1;
}

/*
 * Checks of rows[k] on its own and against rows[0..k); the 班-on-a-weekday
 * rule needs every row and is checked afterwards by check_work_days.
 */
static int check_row(int year, const struct row *rows, size_t k, const char *unit,
		     char *err, size_t errlen)
{
	const struct row *r = &rows[k];
	int y = r->date / 10000, m = r->date / 100 % 100;
	size_t i;

	if (y != year && !(y == year - 1 && m == 12)) {
		set_err(err, errlen, "第%d%s:日期不在%d年内", r->label, unit, year);
		return -1;
	}
	if (r->namelen == 0)
		return row_err(err, errlen, unit, r->label, "名称不能为空");
	if (r->namelen > CALENDAR_NAME_MAX)
		return row_err(err, errlen, unit, r->label, "名称过长");
	if (!name_ok(r->name, r->namelen))
		return row_err(err, errlen, unit, r->label, "名称含有无效字符");
	for (i = 0; i < k; i++) {
		if (rows[i].date == r->date) {
			set_err(err, errlen, "第%d%s:日期与第%d%s重复", r->label, unit,
				rows[i].label, unit);
			return -1;
		}
	}
	return 0;
}

/*
 * A 班 day must be a Saturday or Sunday, unless the day before is a 休 day
 * of the same arrangement (the day work resumes after an extended holiday).
 */
static int check_work_days(const struct row *rows, size_t n, const char *unit,
			   char *err, size_t errlen)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		int prev, excused = 0;

		if (rows[i].kind != CALENDAR_WORK || date_weekday(rows[i].date) >= 5)
			continue;
		prev = date_add_days(rows[i].date, -1);
		for (j = 0; j < n; j++) {
			if (rows[j].date == prev && rows[j].kind == CALENDAR_REST)
				excused = 1;
		}
		if (!excused)
			return row_err(err, errlen, unit, rows[i].label,
				       "班(调休上班)只能是星期六或星期日");
	}
	return 0;
}

/* ---- building years ----------------------------------------------------- */

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return (x->date > y->date) - (x->date < y->date);
}

static void year_free(struct cal_year *cy)
{
	if (!cy)
		return;
	free(cy->days);
	free(cy->names);
	free(cy);
}

/* A new year from validated rows (sorted here). */
static struct cal_year *year_build(struct row *rows, size_t n)
{
	struct cal_year *cy = xmalloc(sizeof(*cy));
	size_t i, total = 0;
	char *p;

	if (n > 1)
		qsort(rows, n, sizeof(rows[0]), row_cmp);
	cy->assumed = 0;
	for (i = 0; i < n; i++)
		total += rows[i].namelen + 1;
	cy->n = n;
	cy->days = xcalloc(n, sizeof(cy->days[0]));
	cy->names = xmalloc(total);
	p = cy->names;
	for (i = 0; i < n; i++) {
		memcpy(p, rows[i].name, rows[i].namelen);
		p[rows[i].namelen] = '\0';
		cy->days[i].date = rows[i].date;
		cy->days[i].kind = rows[i].kind;
		cy->days[i].name = p;
		p += rows[i].namelen + 1;
	}
	return cy;
}

static void year_install(struct calendar *c, int year, struct cal_year *cy)
{
	struct cal_year **slot = &c->years[year - CALENDAR_YEAR_MIN];

	year_free(*slot);
	*slot = cy;
}

/* ---- the calendar ------------------------------------------------------- */

struct calendar *calendar_new(void)
{
	return xcalloc(1, sizeof(struct calendar));
}

struct calendar *calendar_clone(const struct calendar *c)
{
	struct calendar *copy = calendar_new();
	struct row *rows = xcalloc(CALENDAR_MAX_DAYS, sizeof(*rows));
	size_t y, i;

	for (y = 0; y < YEAR_SLOTS; y++) {
		const struct cal_year *cy = c->years[y];

		if (!cy)
			continue;
		for (i = 0; i < cy->n; i++) {
			rows[i].date = cy->days[i].date;
			rows[i].kind = cy->days[i].kind;
			rows[i].name = cy->days[i].name;
			rows[i].namelen = strlen(cy->days[i].name);
		}
		copy->years[y] = year_build(rows, cy->n);
		copy->years[y]->assumed = cy->assumed;
	}
	free(rows);
	return copy;
}

void calendar_free(struct calendar *c)
{
	size_t y;

	if (!c)
		return;
	for (y = 0; y < YEAR_SLOTS; y++)
		year_free(c->years[y]);
	free(c);
}

/* Next line of [*p, end) without its "\n" and a trailing "\r"; 0 at the end. */
static int next_line(const char **p, const char *end, const char **line, size_t *len)
{
	const char *s = *p, *nl;

	if (s >= end)
		return 0;
	nl = memchr(s, '\n', (size_t)(end - s));
	*p = nl ? nl + 1 : end;
	if (!nl)
		nl = end;
	if (nl > s && nl[-1] == '\r')
		nl--;
	*line = s;
	*len = (size_t)(nl - s);
	return 1;
}

/* Trim spaces and tabs from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Strict YYYY-MM-DD: 0 ok, -1 format, -2 no such date. */
static int parse_iso(const char *s, size_t n, int *out)
{
	static const int digit_pos[8] = { 0, 1, 2, 3, 5, 6, 8, 9 };
	int y, m, d;
	size_t i;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 8; i++) {
		if (!is_digit(s[digit_pos[i]]))
			return -1;
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_is_valid(y, m, d))
		return -2;
	*out = y * 10000 + m * 100 + d;
	return 0;
}

/* Parse one data line into *r; -1 with err set on a malformed line. */
static int parse_csv_row(const char *s, size_t n, struct row *r, char *err, size_t errlen)
{
	const char *c1, *c2, *f;
	size_t fn;
	int rc;

	c1 = memchr(s, ',', n);
	c2 = c1 ? memchr(c1 + 1, ',', (size_t)(s + n - c1 - 1)) : NULL;
	if (!c2 || memchr(c2 + 1, ',', (size_t)(s + n - c2 - 1)))
		return row_err(err, errlen, "行", r->label, "应为3列(date,kind,name)");
	f = s;
	fn = (size_t)(c1 - s);
	trim(&f, &fn);
	rc = parse_iso(f, fn, &r->date);
	if (rc == -1)
		return row_err(err, errlen, "行", r->label, "日期格式不正确");
	if (rc == -2)
		return row_err(err, errlen, "行", r->label, "日期不存在");
	f = c1 + 1;
	fn = (size_t)(c2 - f);
	trim(&f, &fn);
	if (fn == 3 && memcmp(f, KIND_REST, 3) == 0)
		r->kind = CALENDAR_REST;
	else if (fn == 3 && memcmp(f, KIND_WORK, 3) == 0)
		r->kind = CALENDAR_WORK;
	else
		return row_err(err, errlen, "行", r->label, "类型应为休或班");
	r->name = c2 + 1;
	r->namelen = (size_t)(s + n - r->name);
	trim(&r->name, &r->namelen);
	return 0;
}

static int load_csv_rows(int year, const char *text, size_t len, struct row *rows, size_t *nrows,
			 char *err, size_t errlen)
{
	const char *p = text, *end = text + len, *line;
	size_t ll, n = 0;
	int lineno = 1;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (!next_line(&p, end, &line, &ll))
		return row_err(err, errlen, "行", 1, "缺少表头" CSV_HEADER);
	trim(&line, &ll);
	if (ll != strlen(CSV_HEADER) || memcmp(line, CSV_HEADER, ll) != 0)
		return row_err(err, errlen, "行", 1, "缺少表头" CSV_HEADER);
	while (next_line(&p, end, &line, &ll)) {
		lineno++;
		trim(&line, &ll);
		if (ll == 0)
			continue;
		if (n == CALENDAR_MAX_DAYS) {
			set_err(err, errlen, "第%d行:行数超过%d", lineno, CALENDAR_MAX_DAYS);
			return -1;
		}
		rows[n].label = lineno;
		if (parse_csv_row(line, ll, &rows[n], err, errlen) < 0)
			return -1;
		if (check_row(year, rows, n, "行", err, errlen) < 0)
			return -1;
		n++;
	}
	if (check_work_days(rows, n, "行", err, errlen) < 0)
		return -1;
	*nrows = n;
	return 0;
}

int calendar_load_csv(struct calendar *c, int year, const char *text, size_t len,
		      char *err, size_t errlen)
{
	struct row *rows;
	size_t n = 0;

	if (!year_ok(year)) {
		set_err(err, errlen, "年份应在%d至%d之间", CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
		return -1;
	}
	if (!text)
		len = 0;
	rows = xcalloc(CALENDAR_MAX_DAYS, sizeof(*rows));
	if (load_csv_rows(year, text ? text : "", len, rows, &n, err, errlen) < 0) {
		free(rows);
		return -1;
	}
	year_install(c, year, year_build(rows, n));
	free(rows);
	return 0;
}

/* The year of a name data/calendar/NNNN.csv, or -1. */
static int embedded_year(const char *name)
{
	size_t plen = strlen(EMBED_PREFIX);
	const char *s;
	int i, year = 0;

	if (strncmp(name, EMBED_PREFIX, plen) != 0)
		return -1;
	s = name + plen;
	for (i = 0; i < 4; i++) {
		if (!is_digit(s[i]))
			return -1;
		year = year * 10 + (s[i] - '0');
	}
	if (strcmp(s + 4, ".csv") != 0)
		return -1;
	return year;
}

int calendar_load_embedded(struct calendar *c, char *err, size_t errlen)
{
	const struct embedded_file *f;
	char msg[256];
	int count = 0;

	for (f = embedded_files; f->name; f++) {
		int year = embedded_year(f->name);

		if (year < 0)
			continue;
		if (calendar_load_csv(c, year, f->data, f->len, msg, sizeof(msg)) < 0) {
			set_err(err, errlen, "%s %s", f->name, msg);
			return -1;
		}
		count++;
	}
	return count;
}

int calendar_set_year(struct calendar *c, int year, const struct calendar_day *days, size_t n,
		      char *err, size_t errlen)
{
	struct row *rows;
	size_t i;

	if (!year_ok(year)) {
		set_err(err, errlen, "年份应在%d至%d之间", CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
		return -1;
	}
	if (n > CALENDAR_MAX_DAYS) {
		set_err(err, errlen, "条目过多(最多%d条)", CALENDAR_MAX_DAYS);
		return -1;
	}
	rows = xcalloc(CALENDAR_MAX_DAYS, sizeof(*rows));
	for (i = 0; i < n; i++) {
		struct row *r = &rows[i];

		r->label = (int)i + 1;
		r->date = days[i].date;
		r->kind = days[i].kind;
		r->name = days[i].name ? days[i].name : "";
		/* Bounded scan: a longer name is rejected without reading all of it. */
		r->namelen = strnlen(r->name, CALENDAR_NAME_MAX + 1);
		if (!date_valid(r->date)) {
			row_err(err, errlen, "条", r->label, "日期不存在");
			goto fail;
		}
		if (r->kind != CALENDAR_REST && r->kind != CALENDAR_WORK) {
			row_err(err, errlen, "条", r->label, "类型应为休或班");
			goto fail;
		}
		if (check_row(year, rows, i, "条", err, errlen) < 0)
			goto fail;
	}
	if (check_work_days(rows, n, "条", err, errlen) < 0)
		goto fail;
	year_install(c, year, year_build(rows, n));
	free(rows);
	return 0;
fail:
	free(rows);
	return -1;
}

int calendar_year_days(const struct calendar *c, int year, struct calendar_day *out, size_t max)
{
	const struct cal_year *cy;
	size_t i;

	if (!year_ok(year))
		return CALENDAR_INVALID;
	cy = c->years[year - CALENDAR_YEAR_MIN];
	if (!cy)
		return 0;
	for (i = 0; i < cy->n && i < max; i++)
		out[i] = cy->days[i];
	return (int)cy->n;
}

int calendar_is_known_year(const struct calendar *c, int year)
{
	const struct cal_year *cy;

	if (!year_ok(year))
		return 0;
	cy = c->years[year - CALENDAR_YEAR_MIN];
	return cy && (cy->n > 0 || cy->assumed);
}

int calendar_assume_year(struct calendar *c, int year)
{
	struct cal_year *cy;

	if (!year_ok(year))
		return -1;
	cy = year_build(NULL, 0);
	cy->assumed = 1;
	year_install(c, year, cy);
	return 0;
}

/* The row of `year`'s arrangement for date, or NULL. */
static const struct calendar_day *year_find(const struct calendar *c, int year, int date)
{
	const struct cal_year *cy;
	size_t lo = 0, hi;

	if (!year_ok(year))
		return NULL;
	cy = c->years[year - CALENDAR_YEAR_MIN];
	if (!cy)
		return NULL;
	hi = cy->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cy->days[mid].date < date)
			lo = mid + 1;
		else if (cy->days[mid].date > date)
			hi = mid;
		else
			return &cy->days[mid];
	}
	return NULL;
}

/* The row that decides date: the next year's notice first (it may reach back into December). */
static const struct calendar_day *find_day(const struct calendar *c, int date)
{
	const struct calendar_day *d = year_find(c, date / 10000 + 1, date);

	return d ? d : year_find(c, date / 10000, date);
}

/* calendar_is_working_day for a valid date whose day number is dn. */
static int working(const struct calendar *c, int ymd, long dn)
{
	const struct calendar_day *d;

	if (!calendar_is_known_year(c, ymd / 10000))
		return CALENDAR_UNKNOWN_YEAR;
	d = find_day(c, ymd);
	if (d)
		return d->kind == CALENDAR_WORK;
	return weekday_of(dn) < 5;
}

int calendar_is_working_day(const struct calendar *c, int ymd)
{
	long dn;

	if (day_number(ymd, &dn) < 0)
		return CALENDAR_INVALID;
	return working(c, ymd, dn);
}

const char *calendar_day_name(const struct calendar *c, int ymd)
{
	const struct calendar_day *d;

	if (!date_valid(ymd))
		return NULL;
	d = find_day(c, ymd);
	return d ? d->name : NULL;
}

/*
 * Every loop below stops at the first day of an unknown year, so none runs
 * for more than the (at most YEAR_SLOTS) known years, whatever n is.
 */
int calendar_add_working_days(const struct calendar *c, int start, int n, int *out)
{
	long dn;
	int count = 0;

	if (n < 1 || day_number(start, &dn) < 0)
		return CALENDAR_INVALID;
	for (;;) {
		int ymd, w;

		dn++;
		ymd = ymd_of(dn);
		w = working(c, ymd, dn);
		if (w < 0)
			return w;
		count += w;
		if (count == n) {
			*out = ymd;
			return 0;
		}
	}
}

int calendar_next_working_day(const struct calendar *c, int ymd, int *out)
{
	long dn;

	if (day_number(ymd, &dn) < 0)
		return CALENDAR_INVALID;
	for (;;) {
		int day = ymd_of(dn), w = working(c, day, dn);

		if (w < 0)
			return w;
		if (w) {
			*out = day;
			return 0;
		}
		dn++;
	}
}

int calendar_working_days_between(const struct calendar *c, int from, int to, int *out)
{
	long a, b;
	int count = 0;

	if (day_number(from, &a) < 0 || day_number(to, &b) < 0)
		return CALENDAR_INVALID;
	while (++a <= b) {
		int w = working(c, ymd_of(a), a);

		if (w < 0)
			return w;
		count += w;
	}
	*out = count;
	return 0;
}
