/*
 * Compact JSON writer over jansson trees, for replies; see json_write.h.
 */
#include "json_write.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/banned.h"

/* The escape of each byte below 0x20 and of '"' and '\\'; NULL: written as is. */
static const char *escape_of(unsigned char c, char tmp[8])
{
	static const char *const shorts[0x20] = {
		['\b'] = "\\b", ['\t'] = "\\t", ['\n'] = "\\n", ['\f'] = "\\f", ['\r'] = "\\r",
	};
	static const char hex[] = "0123456789ABCDEF";

	if (c == '"')
		return "\\\"";
	if (c == '\\')
		return "\\\\";
	if (c >= 0x20)
		return NULL;
	if (shorts[c])
		return shorts[c];
	memcpy(tmp, "\\u00", 4);
	tmp[4] = hex[c >> 4];
	tmp[5] = hex[c & 15];
	tmp[6] = '\0';
	return tmp;
}

/* A string or key: bytes from 0x20 up (UTF-8 included, '/' and 0x7f too) as they are. */
static int put_string(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *esc;
	char tmp[8];

	if (buf_putc(b, '"') < 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		esc = escape_of(c, tmp);
		if (buf_append(b, s + run, i - run) < 0 || buf_puts(b, esc) < 0)
			return -1;
		run = i + 1;
	}
	if (buf_append(b, s + run, n - run) < 0)
		return -1;
	return buf_putc(b, '"');
}

/* jansson's real format: %.17g, ".0" when it would read as an integer, no '+' or leading zeros in the exponent. */
static int put_real(struct buf *b, double v)
{
	char s[64], *e, *from;
	int n = snprintf(s, sizeof(s), "%.17g", v);

	if (n < 0 || (size_t)n >= sizeof(s) - 3)
		return -1;
	if (!strpbrk(s, ".e")) {
		memcpy(s + n, ".0", 3);
		n += 2;
	}
	e = strchr(s, 'e');
	if (e) {
		e++;
		if (*e == '-')
			e++;
		from = *e == '+' ? e + 1 : e;
		while (*from == '0' && from[1])
			from++;
		memmove(e, from, strlen(from) + 1);
		n = (int)strlen(s);
	}
	return buf_append(b, s, (size_t)n);
}

/* Decimal digits without snprintf (replies carry dozens of ids and counts). */
static int put_integer(struct buf *b, json_int_t v)
{
	char num[24], *p = num + sizeof(num);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*--p = '-';
	return buf_append(b, p, (size_t)(num + sizeof(num) - p));
}

static int put_value(struct buf *b, const json_t *v);

/* Members in insertion order, as jansson's dump walks them without JSON_SORT_KEYS. */
static int put_object(struct buf *b, const json_t *o)
{
	void *it;
	int first = 1;

	if (buf_putc(b, '{') < 0)
		return -1;
	for (it = json_object_iter((json_t *)o); it; it = json_object_iter_next((json_t *)o, it), first = 0) {
		if ((!first && buf_putc(b, ',') < 0) ||
		    put_string(b, json_object_iter_key(it), json_object_iter_key_len(it)) < 0 ||
		    buf_putc(b, ':') < 0 || put_value(b, json_object_iter_value(it)) < 0)
			return -1;
	}
	return buf_putc(b, '}');
}

static int put_array(struct buf *b, const json_t *a)
{
	size_t i, n = json_array_size(a);

	if (buf_putc(b, '[') < 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((i && buf_putc(b, ',') < 0) || put_value(b, json_array_get(a, i)) < 0)
			return -1;
	return buf_putc(b, ']');
}

static int put_value(struct buf *b, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return put_object(b, v);
	case JSON_ARRAY:
		return put_array(b, v);
	case JSON_STRING:
		return put_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return put_integer(b, json_integer_value(v));
	case JSON_REAL:
		return put_real(b, json_real_value(v));
	case JSON_TRUE:
		return buf_puts(b, "true");
	case JSON_FALSE:
		return buf_puts(b, "false");
	case JSON_NULL:
		return buf_puts(b, "null");
	}
	return -1;
}

char *json_write(const json_t *doc, size_t *len)
{
	struct buf b;

	buf_init(&b, BUF_DEFAULT_MAX);
	if (!doc || put_value(&b, doc) < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}
