/*
 * Validators and display masks for resident ID numbers, unified social
 * credit codes, mobile numbers, dates and division codes. The algorithms
 * follow security.md section 4; the contract is in validate.h.
 */
#include "validate.h"

#include <string.h>
#include <time.h>

#include "banned.h"

#define ID_LEN 18
#define USCC_LEN 18
#define MOBILE_LEN 11
#define DATE_LEN 10
#define DIVISION_MAX 12

/* Room for the longest input worth looking at; anything longer is rejected. */
#define NORM_MAX 32

/* Stand-in for any character that has no ASCII equivalent. */
#define NORM_OTHER '?'

#define MSG_BUFFER "内部错误:缓冲区过小"

enum {
	NORM_UPPER = 1 << 0,	/* map a-z to A-Z */
	NORM_STRIP = 1 << 1,	/* drop spaces and '-' everywhere, not only at the ends */
};

struct utf8_lead {
	unsigned char lo, hi;	/* range of the first byte */
	unsigned char mask;	/* payload bits of the first byte */
	unsigned char len;	/* bytes in the sequence */
	unsigned long min;	/* smallest code point, to refuse overlong forms */
};

static const struct utf8_lead utf8_leads[] = {
	{ 0xC2, 0xDF, 0x1F, 2, 0x80 },
	{ 0xE0, 0xEF, 0x0F, 3, 0x800 },
	{ 0xF0, 0xF4, 0x07, 4, 0x10000 },
};

/*
 * Province-level prefixes (GB/T 2260 plus 83 for Taiwan residence permits).
 * in_division is 0 for prefixes that appear in ID numbers but are not
 * division codes of their own.
 */
struct province_range {
	unsigned char lo, hi;
	unsigned char in_division;
};

static const struct province_range provinces[] = {
	{ 11, 15, 1 },
	{ 21, 23, 1 },
	{ 31, 37, 1 },
	{ 41, 46, 1 },
	{ 50, 54, 1 },
	{ 61, 65, 1 },
	{ 71, 71, 1 },
	{ 81, 82, 1 },
	{ 83, 83, 0 },
};

/* GB 11643 / ISO 7064 MOD 11-2: W_i = 2^(18-i) mod 11. */
static const int id_weights[ID_LEN - 1] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
};
static const char id_check_chars[] = "10X98765432";

/* GB 32100: 31 symbols without I O S V Z; W_i = 3^(i-1) mod 31. */
static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[USCC_LEN - 1] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};

/* Country-code prefixes removed from mobile numbers, longest match first. */
static const char *const mobile_prefixes[] = { "+86", "0086", "86" };

static const int month_days[12] = {
	31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int fail(const char **msg, const char *text, char *out, size_t outlen)
{
	if (msg)
		*msg = text;
	if (out && outlen > 0)
		out[0] = '\0';
	return -1;
}

static int succeed(const char **msg, const char *value, size_t len, char *out)
{
	if (msg)
		*msg = NULL;
	if (out) {
		memcpy(out, value, len);
		out[len] = '\0';
	}
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return 0;
	}
	return 1;
}

/* Value of n decimal digits at s; the caller has checked they are digits. */
static int digits_value(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * Decode one UTF-8 character at s, store its length in *len and return the
 * code point. A malformed or overlong sequence yields U+FFFD for one byte.
 * Stops at a NUL byte because NUL is never a continuation byte.
 */
static unsigned long utf8_next(const unsigned char *s, size_t *len)
{
	const struct utf8_lead *lead = NULL;
	unsigned long cp;
	size_t i;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	for (i = 0; i < NELEM(utf8_leads); i++) {
		if (s[0] >= utf8_leads[i].lo && s[0] <= utf8_leads[i].hi)
			lead = &utf8_leads[i];
	}
	if (!lead)
		return 0xFFFD;
	cp = s[0] & lead->mask;
	for (i = 1; i < lead->len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0xFFFD;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < lead->min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	*len = lead->len;
	return cp;
}

/*
 * Map one code point to ASCII: the ideographic space U+3000 and ASCII
 * whitespace to ' ', full-width forms U+FF01..U+FF5E to their ASCII twins,
 * anything else outside printable ASCII to NORM_OTHER.
 */
static char map_char(unsigned long cp, unsigned flags)
{
	if (cp == 0x3000 || cp == '\t' || cp == '\r' || cp == '\n')
		return ' ';
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFF01 - 0x21;
	if (cp < 0x20 || cp > 0x7E)
		return NORM_OTHER;
	if ((flags & NORM_UPPER) && cp >= 'a' && cp <= 'z')
		cp -= 'a' - 'A';
	return (char)cp;
}

static void put_char(char *buf, size_t cap, size_t *n, char c)
{
	if (*n + 1 < cap)
		buf[*n] = c;
	(*n)++;
}

/*
 * Copy `in` into buf (cap bytes, always NUL-terminated) with spaces trimmed
 * at both ends and characters mapped by map_char. Returns the length of the
 * result in characters; when that is cap or more only the first cap - 1 are
 * stored and the caller must reject the value.
 */
static size_t normalise(const char *in, char *buf, size_t cap, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = 0, spaces = 0, len;
	char c;

	while (*s) {
		c = map_char(utf8_next(s, &len), flags);
		s += len;
		if (c == ' ' || ((flags & NORM_STRIP) && c == '-')) {
			if (n > 0 && !(flags & NORM_STRIP))
				spaces++;
			continue;
		}
		for (; spaces > 0; spaces--)
			put_char(buf, cap, &n, ' ');
		put_char(buf, cap, &n, c);
	}
	buf[n < cap ? n : cap - 1] = '\0';
	return n;
}

static const struct province_range *find_province(const char *digits)
{
	int code = digits_value(digits, 2);
	size_t i;

	for (i = 0; i < NELEM(provinces); i++) {
		if (code >= provinces[i].lo && code <= provinces[i].hi)
			return &provinces[i];
	}
	return NULL;
}

static int is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Real Gregorian date; years 1..9999, callers narrow the range further. */
int date_is_valid(int year, int month, int day)
{
	int max;

	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
		return 0;
	max = month_days[month - 1];
	if (month == 2 && is_leap(year))
		max = 29;
	return day <= max;
}

/* Today in China (UTC+8) as YYYYMMDD, or -1 if the clock is unusable. */
static int current_date(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1)
		return -1;
	now += 8 * 60 * 60;
	if (!gmtime_r(&now, &tm))
		return -1;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* 17 digits and a final digit or X: the shape masking relies on. */
static int id_shape_ok(const char *id, size_t n)
{
	return n == ID_LEN && all_digits(id, ID_LEN - 1) &&
	       (is_digit(id[ID_LEN - 1]) || id[ID_LEN - 1] == 'X');
}

static char id_check_char(const char *id)
{
	int sum = 0;
	size_t i;

	for (i = 0; i < ID_LEN - 1; i++)
		sum += (id[i] - '0') * id_weights[i];
	return id_check_chars[sum % 11];
}

/*
 * Checks run in the order of security.md 4.1: length, characters, check
 * character, province, birth date. A nonzero `today` is compared as an
 * integer YYYYMMDD and is not itself validated.
 */
int validate_resident_id(const char *in, int today, char *out, size_t outlen, const char **msg)
{
	char id[NORM_MAX];
	size_t n;
	int year, month, day;

	if (out && outlen < ID_LEN + 1)
		return fail(msg, MSG_BUFFER, out, outlen);
	if (!in)
		return fail(msg, "身份证号码不能为空", out, outlen);
	n = normalise(in, id, sizeof(id), NORM_UPPER);
	if (n == 0)
		return fail(msg, "身份证号码不能为空", out, outlen);
	if (n != ID_LEN)
		return fail(msg, "身份证号码应为18位", out, outlen);
	if (!id_shape_ok(id, n))
		return fail(msg, "身份证号码只能由数字和末位的X组成", out, outlen);
	if (id_check_char(id) != id[ID_LEN - 1])
		return fail(msg, "身份证号码校验位不正确", out, outlen);
	if (!find_province(id))
		return fail(msg, "身份证号码的省级行政区划代码无效", out, outlen);
	year = digits_value(id + 6, 4);
	month = digits_value(id + 10, 2);
	day = digits_value(id + 12, 2);
	if (!date_is_valid(year, month, day))
		return fail(msg, "身份证号码中的出生日期无效", out, outlen);
	if (year < 1850)
		return fail(msg, "身份证号码中的出生日期早于1850年", out, outlen);
	if (today == 0)
		today = current_date();
	if (today < 0)
		return fail(msg, "内部错误:无法获取当前日期", out, outlen);
	if (year * 10000 + month * 100 + day > today)
		return fail(msg, "身份证号码中的出生日期晚于今天", out, outlen);
	return succeed(msg, id, ID_LEN, out);
}

static int uscc_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(uscc_chars, c);
	return p ? (int)(p - uscc_chars) : -1;
}

/*
 * Normalised like IDs (trimmed, full-width to ASCII, upper case). Checks:
 * length, character set, digits in positions 3-8, check character.
 */
int validate_uscc(const char *in, char *out, size_t outlen, const char **msg)
{
	char code[NORM_MAX];
	size_t n, i;
	int sum = 0, check;

	if (out && outlen < USCC_LEN + 1)
		return fail(msg, MSG_BUFFER, out, outlen);
	if (!in)
		return fail(msg, "统一社会信用代码不能为空", out, outlen);
	n = normalise(in, code, sizeof(code), NORM_UPPER);
	if (n == 0)
		return fail(msg, "统一社会信用代码不能为空", out, outlen);
	if (n != USCC_LEN)
		return fail(msg, "统一社会信用代码应为18位", out, outlen);
	for (i = 0; i < USCC_LEN; i++) {
		if (uscc_value(code[i]) < 0)
			return fail(msg, "统一社会信用代码含有无效字符(不使用I、O、S、V、Z)",
				    out, outlen);
	}
	if (!all_digits(code + 2, 6))
		return fail(msg, "统一社会信用代码第3至8位应为数字", out, outlen);
	for (i = 0; i < USCC_LEN - 1; i++)
		sum += uscc_value(code[i]) * uscc_weights[i];
	check = 31 - sum % 31;
	if (check == 31)
		check = 0;
	if (uscc_chars[check] != code[USCC_LEN - 1])
		return fail(msg, "统一社会信用代码校验位不正确", out, outlen);
	return succeed(msg, code, USCC_LEN, out);
}

/*
 * Normalise a mobile number into buf (NORM_MAX bytes): strip spaces and '-',
 * map full-width forms, drop one +86/0086/86 prefix. Returns 0 when the
 * result matches ^1[3-9][0-9]{9}$.
 */
static int mobile_normalise(const char *in, char *buf)
{
	size_t n, plen, i;

	n = normalise(in, buf, NORM_MAX, NORM_STRIP);
	if (n >= NORM_MAX)
		return -1;
	for (i = 0; i < NELEM(mobile_prefixes); i++) {
		plen = strlen(mobile_prefixes[i]);
		if (n > plen && memcmp(buf, mobile_prefixes[i], plen) == 0) {
			memmove(buf, buf + plen, n - plen + 1);
			n -= plen;
			break;
		}
	}
	if (n != MOBILE_LEN || !all_digits(buf, n) || buf[0] != '1' || buf[1] < '3')
		return -1;
	return 0;
}

int validate_mobile(const char *in, char *out, size_t outlen, const char **msg)
{
	char phone[NORM_MAX];

	if (out && outlen < MOBILE_LEN + 1)
		return fail(msg, MSG_BUFFER, out, outlen);
	if (!in)
		return fail(msg, "手机号码不能为空", out, outlen);
	if (mobile_normalise(in, phone) < 0) {
		if (phone[0] == '\0')
			return fail(msg, "手机号码不能为空", out, outlen);
		return fail(msg, "手机号码应为11位数字且以13-19开头", out, outlen);
	}
	return succeed(msg, phone, MOBILE_LEN, out);
}

/* Strict YYYY-MM-DD after trimming; full-width digits and '-' are mapped. */
int validate_date(const char *in, char *out, size_t outlen, const char **msg)
{
	char date[NORM_MAX];
	size_t n;
	int year;

	if (out && outlen < DATE_LEN + 1)
		return fail(msg, MSG_BUFFER, out, outlen);
	if (!in)
		return fail(msg, "日期不能为空", out, outlen);
	n = normalise(in, date, sizeof(date), 0);
	if (n == 0)
		return fail(msg, "日期不能为空", out, outlen);
	if (n != DATE_LEN || !all_digits(date, 4) || date[4] != '-' ||
	    !all_digits(date + 5, 2) || date[7] != '-' || !all_digits(date + 8, 2))
		return fail(msg, "日期格式应为YYYY-MM-DD", out, outlen);
	year = digits_value(date, 4);
	if (year < 1900 || year > 2200)
		return fail(msg, "日期的年份应在1900至2200之间", out, outlen);
	if (!date_is_valid(year, digits_value(date + 5, 2), digits_value(date + 8, 2)))
		return fail(msg, "日期不存在", out, outlen);
	return succeed(msg, date, DATE_LEN, out);
}

int validate_division_code(const char *in, char *out, size_t outlen, const char **msg)
{
	char code[NORM_MAX];
	const struct province_range *p;
	size_t n;

	if (out && outlen < DIVISION_MAX + 1)
		return fail(msg, MSG_BUFFER, out, outlen);
	if (!in)
		return fail(msg, "行政区划代码不能为空", out, outlen);
	n = normalise(in, code, sizeof(code), 0);
	if (n == 0)
		return fail(msg, "行政区划代码不能为空", out, outlen);
	if ((n != 6 && n != 9 && n != 12) || !all_digits(code, n))
		return fail(msg, "行政区划代码应为6、9或12位数字", out, outlen);
	p = find_province(code);
	if (!p || !p->in_division)
		return fail(msg, "行政区划代码的省级代码无效", out, outlen);
	return succeed(msg, code, n, out);
}

/* One '*' per input byte, cut to fit out; never any of the input itself. */
static void mask_all(const char *in, char *out, size_t outlen)
{
	size_t n = in ? strlen(in) : 0;

	if (n > outlen - 1)
		n = outlen - 1;
	memset(out, '*', n);
	out[n] = '\0';
}

/*
 * Any 18-character ID shape (after the same normalisation as validation,
 * check character not verified) shows as 330421********1234; anything else,
 * or a buffer under 19 bytes, is masked completely.
 */
void mask_resident_id(const char *id, char *out, size_t outlen)
{
	char buf[NORM_MAX];
	size_t n;

	if (!out || outlen == 0)
		return;
	if (!id) {
		out[0] = '\0';
		return;
	}
	n = normalise(id, buf, sizeof(buf), NORM_UPPER);
	if (outlen < ID_LEN + 1 || !id_shape_ok(buf, n)) {
		mask_all(id, out, outlen);
		return;
	}
	memcpy(out, buf, 6);
	memset(out + 6, '*', 8);
	memcpy(out + 14, buf + 14, 4);
	out[ID_LEN] = '\0';
}

/*
 * A number validate_mobile accepts (in any of its input forms) shows as
 * 138****8000; anything else, or a buffer under 12 bytes, is masked
 * completely.
 */
void mask_mobile(const char *phone, char *out, size_t outlen)
{
	char buf[NORM_MAX];

	if (!out || outlen == 0)
		return;
	if (!phone) {
		out[0] = '\0';
		return;
	}
	if (outlen < MOBILE_LEN + 1 || mobile_normalise(phone, buf) < 0) {
		mask_all(phone, out, outlen);
		return;
	}
	memcpy(out, buf, 3);
	memset(out + 3, '*', 4);
	memcpy(out + 7, buf + 7, 4);
	out[MOBILE_LEN] = '\0';
}
