/*
 * Shared parts of the table reader: format detection, the row builder that
 * applies the limits and drops empty rows, trimming and error messages. The
 * CSV and XLSX parsers live in table_csv.c and table_xlsx.c.
 */
#include "table.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#include "banned.h"

void table_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

const char *table_trim(const char *s, size_t *len)
{
	size_t n = *len;

	while (n && is_space(*s)) {
		s++;
		n--;
	}
	while (n && is_space(s[n - 1]))
		n--;
	*len = n;
	return s;
}

char *table_strdup_norm(struct arena *a, const char *s, size_t len)
{
	char *p;
	size_t i, j;

	if (!memchr(s, '\r', len))
		return arena_strndup(a, s, len);
	p = arena_alloc(a, len + 1);
	for (i = j = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		p[j++] = s[i];
	}
	p[j] = '\0';
	return p;
}

const char *table_cell(const struct table_row *r, size_t i)
{
	return r && i < r->ncells ? r->cells[i] : "";
}

/* ---- the row builder ---------------------------------------------------- */

void tb_init(struct table_builder *b, struct arena *a, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
	b->err = err;
	b->errlen = errlen;
	b->empty = arena_zalloc(a, 1);
}

void tb_release(struct table_builder *b)
{
	free(b->rows);
	b->rows = NULL;
	b->nrows = b->rows_cap = 0;
}

void tb_row_begin(struct table_builder *b, int line)
{
	b->line = line;
	b->ncells = 0;
}

/* Store s (non-empty, already in the arena) or an empty cell at col. */
static int tb_put(struct table_builder *b, size_t col, char *s, size_t len)
{
	if (len == 0) {
		if (col < b->ncells)
			b->cells[col] = b->empty;
		return 0;
	}
	if (col >= TABLE_MAX_COLS) {
		table_set_err(b->err, b->errlen, "第%d行:列数超过%d", b->line, TABLE_MAX_COLS);
		return -1;
	}
	if (len > TABLE_MAX_CELL) {
		table_set_err(b->err, b->errlen, "第%d行第%zu列:单元格内容超过%dKB", b->line, col + 1,
			      TABLE_MAX_CELL / 1024);
		return -1;
	}
	while (b->ncells < col)
		b->cells[b->ncells++] = b->empty;
	b->cells[col] = s;
	if (col >= b->ncells)
		b->ncells = col + 1;
	return 0;
}

int tb_cell(struct table_builder *b, size_t col, const char *s, size_t len)
{
	s = table_trim(s, &len);
	if (len == 0)
		return tb_put(b, col, NULL, 0);
	/* Check before copying so an oversized cell costs nothing. */
	if (len > TABLE_MAX_CELL || col >= TABLE_MAX_COLS)
		return tb_put(b, col, NULL, len);
	return tb_put(b, col, table_strdup_norm(b->a, s, len), len);
}

int tb_cell_ref(struct table_builder *b, size_t col, char *s)
{
	return tb_put(b, col, s, strlen(s));
}

int tb_row_end(struct table_builder *b)
{
	struct table_row *r;
	size_t n = b->ncells;

	/* Overwriting with empties can leave empty cells at the end. */
	while (n && b->cells[n - 1][0] == '\0')
		n--;
	b->ncells = 0;
	if (n == 0)
		return 0;
	if (b->nrows >= TABLE_MAX_ROWS) {
		table_set_err(b->err, b->errlen, "第%d行:超过最大行数%d", b->line, TABLE_MAX_ROWS);
		return -1;
	}
	if (b->nrows == b->rows_cap) {
		size_t cap = b->rows_cap ? b->rows_cap * 2 : 64;
		struct table_row *rows = realloc(b->rows, cap * sizeof(*rows));

		if (!rows) {
			fputs("fazhi: out of memory\n", stderr);
			abort();
		}
		b->rows = rows;
		b->rows_cap = cap;
	}
	r = &b->rows[b->nrows++];
	r->ncells = n;
	r->cells = arena_alloc(b->a, n * sizeof(*r->cells));
	memcpy(r->cells, b->cells, n * sizeof(*r->cells));
	r->line = b->line;
	if (n > b->ncols)
		b->ncols = n;
	return 0;
}

int tb_finish(struct table_builder *b, struct table *out)
{
	if (b->nrows == 0) {
		table_set_err(b->err, b->errlen, "表格是空的");
		return -1;
	}
	out->nrows = b->nrows;
	out->rows = arena_alloc(b->a, b->nrows * sizeof(*out->rows));
	memcpy(out->rows, b->rows, b->nrows * sizeof(*out->rows));
	out->ncols = b->ncols;
	return 0;
}

/* ---- format detection --------------------------------------------------- */

int table_read(struct arena *a, const char *data, size_t len, struct table *out, char *err, size_t errlen)
{
	static const char ole2[8] = { '\xd0', '\xcf', '\x11', '\xe0', '\xa1', '\xb1', '\x1a', '\xe1' };
	int rc;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	if (len == 0) {
		table_set_err(err, errlen, "表格是空的");
		return -1;
	}
	if (len > TABLE_MAX_BYTES) {
		table_set_err(err, errlen, "文件过大(超过%zuMB)", TABLE_MAX_BYTES >> 20);
		return -1;
	}
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		rc = table_read_xlsx(a, data, len, out, err, errlen);
	else if (len >= 4 && memcmp(data, "PK\x05\x06", 4) == 0)
		rc = table_read_xlsx(a, data, len, out, err, errlen); /* an empty zip */
	else if (len >= sizeof(ole2) && memcmp(data, ole2, sizeof(ole2)) == 0) {
		table_set_err(err, errlen, "不支持旧版 Excel(.xls)或加密的文件,请在 Excel 中另存为 .xlsx 或 CSV");
		rc = -1;
	} else
		rc = table_read_csv(a, data, len, out, err, errlen);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
