/*
 * CSV half of the table reader (RFC 4180 as Excel writes it): "," or tab
 * separators, quoted fields with "" escapes and embedded newlines, CRLF, LF or
 * CR line ends. Text that is not valid UTF-8 is converted from GB18030 (Excel
 * on Chinese Windows) or, with a BOM, UTF-16 (Excel's "Unicode 文本").
 */
#include "table.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

#include "banned.h"

#define MSG_ENCODING "文件编码无法识别(请另存为 UTF-8 或 GB18030 编码的 CSV)"

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t k, extra;
		unsigned lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			extra = 1;
		else if (c >= 0xe0 && c <= 0xef)
			extra = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			extra = 3;
		else
			return 0;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (n - i <= extra)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k <= extra; k++) {
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return 0;
		}
		i += extra + 1;
	}
	return 1;
}

/* Convert the whole input with iconv into a heap buffer; NULL on any error. */
static char *convert(const char *from, const char *data, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", from);
	size_t cap = len * 2 + 16, left_in = len, left_out;
	char *out, *in = (char *)data, *o;

	if (cd == (iconv_t)-1)
		return NULL;
	out = malloc(cap);
	if (!out) {
		fputs("fazhi: out of memory\n", stderr);
		abort();
	}
	o = out;
	left_out = cap;
	while (left_in) {
		if (iconv(cd, &in, &left_in, &o, &left_out) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - out);
			char *p;

			cap *= 2;
			p = realloc(out, cap);
			if (!p) {
				fputs("fazhi: out of memory\n", stderr);
				abort();
			}
			out = p;
			o = out + used;
			left_out = cap - used;
			continue;
		}
		/* EILSEQ or EINVAL (truncated sequence at the end). */
		free(out);
		iconv_close(cd);
		return NULL;
	}
	iconv_close(cd);
	*outlen = (size_t)(o - out);
	return out;
}

struct csv {
	struct table_builder *b;
	const char *p;
	size_t n, i;
	int line; /* physical line of p[i] */
	char sep;
	struct buf field; /* a quoted field, unescaped */
};

static int is_blank(char c, char sep)
{
	return c == ' ' || (c == '\t' && sep != '\t');
}

/* The separator: tab when the first non-blank line has tabs and no commas. */
static char detect_sep(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t end = i, k;
		int tabs = 0, commas = 0, text = 0;

		while (end < n && p[end] != '\n' && p[end] != '\r')
			end++;
		for (k = i; k < end; k++) {
			if (p[k] == '\t')
				tabs = 1;
			else if (p[k] == ',')
				commas = 1;
			else if (p[k] != ' ')
				text = 1;
		}
		if (tabs || commas || text)
			return tabs && !commas ? '\t' : ',';
		i = end + 1;
	}
	return ',';
}

/* At a line end (or the end): step over it and count the line. */
static void skip_eol(struct csv *c)
{
	if (c->i >= c->n)
		return;
	if (c->p[c->i] == '\r' && c->i + 1 < c->n && c->p[c->i + 1] == '\n')
		c->i++;
	c->i++;
	c->line++;
}

/* A quoted field starting at the opening quote; leaves c->i after the closing quote. */
static int quoted_field(struct csv *c)
{
	int open_line = c->line;
	size_t i = c->i + 1, start;

	buf_reset(&c->field);
	for (;;) {
		start = i;
		while (i < c->n && c->p[i] != '"' && c->p[i] != '\r' && c->p[i] != '\n')
			i++;
		if (buf_append(&c->field, c->p + start, i - start) < 0)
			goto too_long;
		if (i >= c->n) {
			table_set_err(c->b->err, c->b->errlen, "第%d行:引号不匹配", open_line);
			return -1;
		}
		if (c->p[i] == '"') {
			if (i + 1 < c->n && c->p[i + 1] == '"') {
				if (buf_putc(&c->field, '"') < 0)
					goto too_long;
				i += 2;
				continue;
			}
			c->i = i + 1;
			return 0;
		}
		/* An embedded line end, kept as LF. */
		if (c->p[i] == '\r' && i + 1 < c->n && c->p[i + 1] == '\n')
			i++;
		i++;
		c->line++;
		if (buf_putc(&c->field, '\n') < 0)
			goto too_long;
	}
too_long:
	table_set_err(c->b->err, c->b->errlen, "第%d行:单元格内容超过%dKB", open_line, TABLE_MAX_CELL / 1024);
	return -1;
}

/* One record from c->i, ending after its line end. */
static int record(struct csv *c)
{
	size_t col = 0;

	tb_row_begin(c->b, c->line);
	for (;;) {
		size_t j = c->i;

		while (j < c->n && is_blank(c->p[j], c->sep))
			j++;
		if (j < c->n && c->p[j] == '"') {
			c->i = j;
			if (quoted_field(c) < 0)
				return -1;
			while (c->i < c->n && is_blank(c->p[c->i], c->sep))
				c->i++;
			if (c->i < c->n && c->p[c->i] != c->sep && c->p[c->i] != '\r' && c->p[c->i] != '\n') {
				table_set_err(c->b->err, c->b->errlen, "第%d行:第%zu列的引号后面有多余的字符", c->line,
					      col + 1);
				return -1;
			}
			if (tb_cell(c->b, col, c->field.p, c->field.len) < 0)
				return -1;
		} else {
			size_t start = c->i;

			/* A quote inside an unquoted field is an ordinary character. */
			while (j < c->n && c->p[j] != c->sep && c->p[j] != '\r' && c->p[j] != '\n')
				j++;
			c->i = j;
			if (tb_cell(c->b, col, c->p + start, j - start) < 0)
				return -1;
		}
		col++;
		if (c->i < c->n && c->p[c->i] == c->sep) {
			c->i++;
			continue;
		}
		skip_eol(c);
		return tb_row_end(c->b);
	}
}

static int parse(struct table_builder *b, const char *p, size_t n, struct table *out)
{
	struct csv c;
	int rc = 0;

	if (memchr(p, '\0', n)) {
		table_set_err(b->err, b->errlen, "文件中含有空字符,不是文本格式的 CSV 文件");
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.b = b;
	c.p = p;
	c.n = n;
	c.line = 1;
	c.sep = detect_sep(p, n);
	/* No tighter ceiling: the input is bounded and blanks are trimmed afterwards. */
	buf_init(&c.field, TABLE_MAX_BYTES);
	while (rc == 0 && c.i < c.n)
		rc = record(&c);
	buf_release(&c.field);
	if (rc == 0)
		rc = tb_finish(b, out);
	return rc;
}

int table_read_csv(struct arena *a, const char *data, size_t len, struct table *out, char *err, size_t errlen)
{
	struct table_builder b;
	char *conv = NULL;
	size_t clen = 0;
	int rc;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	} else if (len >= 2 && (memcmp(data, "\xff\xfe", 2) == 0 || memcmp(data, "\xfe\xff", 2) == 0)) {
		conv = convert("UTF-16", data, len, &clen);
		if (!conv)
			goto bad_encoding;
	}
	if (!conv && !utf8_valid((const unsigned char *)data, len)) {
		conv = convert("GB18030", data, len, &clen);
		if (!conv)
			goto bad_encoding;
	}
	if (conv) {
		data = conv;
		len = clen;
		/* A BOM that survived the conversion (GB18030's is 84 31 95 33). */
		if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
			data += 3;
			len -= 3;
		}
	}
	tb_init(&b, a, err, errlen);
	rc = parse(&b, data, len, out);
	tb_release(&b);
	free(conv);
	return rc;

bad_encoding:
	table_set_err(err, errlen, MSG_ENCODING);
	return -1;
}
