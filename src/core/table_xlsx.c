/*
 * XLSX half of the table reader: the first worksheet of an Office Open XML
 * workbook, read from memory with libzip and parsed part by part with expat's
 * streaming callbacks (workbook -> its relationships -> styles, shared strings,
 * the sheet). Hostile files are bounded by TABLE_MAX_BYTES of uncompressed XML
 * in all, checked against the sizes the zip claims and the bytes actually
 * read, by the row, column and cell limits of the builder, and by refusing any
 * DTD (so no entity can be declared, and none is ever fetched).
 */
#include "table.h"

#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "arena.h"
#include "buf.h"
#include "calendar.h"
#include "util.h"

#include "banned.h"

#define MSG_INVALID	"不是有效的 xlsx 文件"
#define NS_SEP		'\x01'	    /* between namespace URI and local name */
#define CHUNK		(64 * 1024) /* bytes handed to expat at a time */
#define XLSX_MAX_ROW	1048576	    /* Excel's own limits, for references */
#define XLSX_MAX_COLUMN 16384

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_DATE };

struct numfmt {
	unsigned id;
	int is_date;
};

struct xlsx {
	struct arena *a;
	struct table_builder *b;
	zip_t *za;
	XML_Parser parser; /* the part being parsed, NULL between parts */
	size_t used;	   /* uncompressed bytes read so far */
	char *err;
	size_t errlen;
	int failed;

	struct buf text; /* character data of the element being collected */
	int in_t, rph;	 /* inside <t>; depth of <rPh> (phonetic runs, not text) */

	/* xl/workbook.xml and its relationships */
	int date1904, seen_sheet;
	char *sheet_rid, *sheet_target, *sst_target, *styles_target;

	/* xl/sharedStrings.xml */
	char **sst;
	size_t nsst, sst_cap;
	int in_si;

	/* xl/styles.xml */
	struct numfmt *fmts;
	size_t nfmts, fmts_cap;
	unsigned *xf_fmt; /* cellXfs[i].numFmtId, then 1/0 "is a date" once resolved */
	size_t nxf, xf_cap;
	int in_cellxfs;

	/* the worksheet */
	int in_sheetdata, in_row, in_c, in_v, in_is;
	long row, last_row;
	size_t col, next_col;
	enum cell_type ctype;
	long style; /* -1: none */
};

static void fail(struct xlsx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record the first error (fmt NULL: the builder already wrote it) and stop the parser. */
static void fail(struct xlsx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->failed)
		return;
	x->failed = 1;
	if (fmt && x->err && x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err, x->errlen, fmt, ap);
		va_end(ap);
	}
	if (x->parser)
		XML_StopParser(x->parser, XML_FALSE);
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n;

	if (need <= *cap)
		return p;
	n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	p = realloc(p, n * size);
	if (!p) {
		fputs("fazhi: out of memory\n", stderr);
		abort();
	}
	*cap = n;
	return p;
}

/* "uri\x01local" or "local" -> "local". */
static const char *local(const XML_Char *name)
{
	const char *s = strrchr(name, NS_SEP);

	return s ? s + 1 : name;
}

static int is(const XML_Char *name, const char *want)
{
	return strcmp(local(name), want) == 0;
}

/* The value of the attribute with this local name (any namespace), or NULL. */
static const char *attr(const XML_Char **atts, const char *want)
{
	size_t i;

	for (i = 0; atts[i]; i += 2) {
		if (is(atts[i], want))
			return atts[i + 1];
	}
	return NULL;
}

static int parse_uint(const char *s, long max, long *out)
{
	int64_t v;

	if (!s || !*s || *s == '-' || *s == '+' || parse_int64_cstr(s, &v) < 0 || v > max)
		return -1;
	*out = (long)v;
	return 0;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx *x = ud;

	if (x->failed)
		return; /* expat may still deliver events after XML_StopParser */
	/* The ceiling is the part budget, so this cannot fail on a file that fits. */
	if (buf_append(&x->text, s, (size_t)len) < 0)
		fail(x, "文件过大(解压后超过%zuMB)", TABLE_MAX_BYTES >> 20);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode OOXML's "_xHHHH_" escapes (Excel writes a CR as "_x000D_" and a
 * literal "_x" as "_x005F_x") in place; returns the new length. NUL and lone
 * surrogates are dropped.
 */
static size_t xdecode(char *s, size_t n)
{
	size_t i = 0, j = 0, k;

	while (i < n) {
		unsigned cp = 0;
		int ok = s[i] == '_' && n - i >= 7 && s[i + 1] == 'x' && s[i + 6] == '_';

		for (k = 2; ok && k < 6; k++) {
			int h = hexval(s[i + k]);

			if (h < 0)
				ok = 0;
			else
				cp = cp * 16 + (unsigned)h;
		}
		if (!ok) {
			s[j++] = s[i++];
			continue;
		}
		i += 7;
		if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
			continue;
		if (cp < 0x80) {
			s[j++] = (char)cp;
		} else if (cp < 0x800) {
			s[j++] = (char)(0xc0 | (cp >> 6));
			s[j++] = (char)(0x80 | (cp & 0x3f));
		} else {
			s[j++] = (char)(0xe0 | (cp >> 12));
			s[j++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			s[j++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	s[j] = '\0';
	return j;
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid, int subset)
{
	struct xlsx *x = ud;

	UNUSED(name);
	UNUSED(sysid);
	UNUSED(pubid);
	UNUSED(subset);
	fail(x, MSG_INVALID "(含有不允许的 DTD 声明)");
}

/*
 * Stream one part of the archive through expat with these handlers. A missing
 * optional part is not an error. 0, or -1 with the error recorded.
 */
static int parse_part(struct xlsx *x, const char *name, int required, XML_StartElementHandler start,
		      XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	zip_int64_t idx = zip_name_locate(x->za, name, 0);
	zip_stat_t st;
	zip_file_t *zf;
	char *chunk;
	int done = 0;

	if (idx < 0) {
		if (required)
			fail(x, MSG_INVALID "(缺少 %s)", name);
		return required ? -1 : 0;
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) < 0) {
		fail(x, MSG_INVALID "(无法读取 %s)", name);
		return -1;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > TABLE_MAX_BYTES - x->used) {
		fail(x, "文件过大(解压后超过%zuMB)", TABLE_MAX_BYTES >> 20);
		return -1;
	}
	zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!zf) {
		fail(x, MSG_INVALID "(无法解压 %s)", name);
		return -1;
	}
	x->parser = XML_ParserCreateNS(NULL, NS_SEP);
	if (!x->parser) {
		fputs("fazhi: out of memory\n", stderr);
		abort();
	}
	XML_SetUserData(x->parser, x);
	XML_SetElementHandler(x->parser, start, end);
	if (text)
		XML_SetCharacterDataHandler(x->parser, text);
	XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);
	chunk = malloc(CHUNK);
	if (!chunk) {
		fputs("fazhi: out of memory\n", stderr);
		abort();
	}
	buf_reset(&x->text);
	while (!done && !x->failed) {
		zip_int64_t n = zip_fread(zf, chunk, CHUNK);

		if (n < 0) {
			fail(x, MSG_INVALID "(%s 已损坏)", name);
			break;
		}
		/* The size in the directory may lie: count what really comes out. */
		if ((zip_uint64_t)n > TABLE_MAX_BYTES - x->used) {
			fail(x, "文件过大(解压后超过%zuMB)", TABLE_MAX_BYTES >> 20);
			break;
		}
		x->used += (size_t)n;
		done = n == 0;
		if (XML_Parse(x->parser, chunk, (int)n, done) == XML_STATUS_ERROR && !x->failed)
			fail(x, MSG_INVALID "(%s 第%lu行 XML 格式错误)", name,
			     (unsigned long)XML_GetCurrentLineNumber(x->parser));
	}
	free(chunk);
	XML_ParserFree(x->parser);
	x->parser = NULL;
	zip_fclose(zf);
	return x->failed ? -1 : 0;
}

/* ---- xl/workbook.xml and xl/_rels/workbook.xml.rels ---------------------- */

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *v;

	if (x->failed)
		return;
	if (is(name, "workbookPr")) {
		v = attr(atts, "date1904");
		x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (is(name, "sheet") && !x->seen_sheet) {
		x->seen_sheet = 1;
		/* r:id, the only attribute of <sheet> whose local name is "id". */
		x->sheet_rid = arena_strdup(x->a, attr(atts, "id"));
	}
}

static void no_end(void *ud, const XML_Char *name)
{
	UNUSED(ud);
	UNUSED(name);
}

/* A relationship target relative to xl/ (or absolute from the root), with "." and ".." resolved. */
static char *resolve_target(struct arena *a, const char *target)
{
	const char *full = target[0] == '/' ? target + 1 : arena_printf(a, "xl/%s", target);
	size_t n = strlen(full), len = 0;
	char *out = arena_alloc(a, n + 1);
	const char *s = full;

	while (*s) {
		const char *e = strchr(s, '/');
		size_t seg = e ? (size_t)(e - s) : strlen(s);

		if (seg == 2 && s[0] == '.' && s[1] == '.') {
			while (len && out[len - 1] != '/')
				len--;
			if (len)
				len--;
		} else if (seg && !(seg == 1 && s[0] == '.')) {
			if (len)
				out[len++] = '/';
			memcpy(out + len, s, seg);
			len += seg;
		}
		s += seg;
		if (*s == '/')
			s++;
	}
	out[len] = '\0';
	return out;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
	const char *mode = attr(atts, "TargetMode");

	if (x->failed)
		return;
	if (!is(name, "Relationship") || !id || !type || !target || !*target)
		return;
	if (mode && strcmp(mode, "External") == 0)
		return;
	if (x->sheet_rid && strcmp(id, x->sheet_rid) == 0 && !x->sheet_target)
		x->sheet_target = resolve_target(x->a, target);
	else if (ends_with(type, "/sharedStrings") && !x->sst_target)
		x->sst_target = resolve_target(x->a, target);
	else if (ends_with(type, "/styles") && !x->styles_target)
		x->styles_target = resolve_target(x->a, target);
}

/* ---- xl/styles.xml ------------------------------------------------------ */

/* Built-in number formats that show a date or time (ECMA-376 18.8.30 and the East Asian ones). */
static int builtin_is_date(unsigned id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/* A custom format is a date when y, m or d appears outside quotes, brackets and escapes. */
static int code_is_date(const char *s)
{
	while (*s) {
		char c = *s++;

		if (c == '"') {
			while (*s && *s != '"')
				s++;
			if (*s)
				s++;
		} else if (c == '[') {
			while (*s && *s != ']')
				s++;
			if (*s)
				s++;
		} else if (c == '\\' || c == '_' || c == '*') {
			if (*s)
				s++; /* the escaped, spacing or fill character */
		} else if (c == 'y' || c == 'Y' || c == 'm' || c == 'M' || c == 'd' || c == 'D') {
			return 1;
		}
	}
	return 0;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	long id = 0;

	if (x->failed)
		return;
	if (is(name, "numFmt")) {
		const char *code = attr(atts, "formatCode");

		if (parse_uint(attr(atts, "numFmtId"), 0xffffffffL, &id) < 0 || !code)
			return;
		x->fmts = grow(x->fmts, &x->fmts_cap, x->nfmts + 1, sizeof(*x->fmts));
		x->fmts[x->nfmts].id = (unsigned)id;
		x->fmts[x->nfmts].is_date = code_is_date(code);
		x->nfmts++;
	} else if (is(name, "cellXfs")) {
		x->in_cellxfs = 1;
	} else if (x->in_cellxfs && is(name, "xf")) {
		if (parse_uint(attr(atts, "numFmtId"), 0xffffffffL, &id) < 0)
			id = 0;
		x->xf_fmt = grow(x->xf_fmt, &x->xf_cap, x->nxf + 1, sizeof(*x->xf_fmt));
		x->xf_fmt[x->nxf++] = (unsigned)id;
	}
}

static void styles_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;

	if (x->failed)
		return;
	if (is(name, "cellXfs"))
		x->in_cellxfs = 0;
}

static int numfmt_cmp(const void *a, const void *b)
{
	const struct numfmt *p = a, *q = b;

	return (p->id > q->id) - (p->id < q->id);
}

/* Turn xf_fmt[] from format ids into "is a date" flags. */
static void resolve_styles(struct xlsx *x)
{
	size_t i;

	if (x->nfmts)
		qsort(x->fmts, x->nfmts, sizeof(*x->fmts), numfmt_cmp);
	for (i = 0; i < x->nxf; i++) {
		struct numfmt key = { x->xf_fmt[i], 0 }, *f = NULL;

		if (x->nfmts)
			f = bsearch(&key, x->fmts, x->nfmts, sizeof(*x->fmts), numfmt_cmp);
		x->xf_fmt[i] = f ? (unsigned)f->is_date : (unsigned)builtin_is_date(key.id);
	}
}

/* ---- xl/sharedStrings.xml ----------------------------------------------- */

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;

	if (x->failed)
		return;
	UNUSED(atts);
	if (is(name, "si")) {
		x->in_si = 1;
		x->rph = 0;
		x->in_t = 0;
		buf_reset(&x->text);
	} else if (x->in_si && is(name, "rPh")) {
		x->rph++;
	} else if (x->in_si && !x->rph && is(name, "t")) {
		x->in_t = 1;
	}
}

static void sst_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *s;
	size_t n;

	if (x->failed)
		return;
	if (!x->in_si)
		return;
	if (is(name, "t")) {
		x->in_t = 0;
	} else if (is(name, "rPh")) {
		if (x->rph)
			x->rph--;
	} else if (is(name, "si")) {
		x->in_si = 0;
		n = xdecode(x->text.p, x->text.len);
		s = table_trim(x->text.p, &n);
		x->sst = grow(x->sst, &x->sst_cap, x->nsst + 1, sizeof(*x->sst));
		x->sst[x->nsst++] = n ? table_strdup_norm(x->a, s, n) : x->b->empty;
		buf_reset(&x->text);
	}
}

static void sst_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx *x = ud;

	if (x->failed)
		return;
	if (x->in_si && x->in_t && !x->rph)
		on_text(ud, s, len);
}

/* ---- the worksheet ------------------------------------------------------ */

/* "C5" -> 2; -1 when there is no column. */
static long column_of(const char *ref)
{
	long col = 0;
	int n = 0;

	while (*ref >= 'A' && *ref <= 'Z' && n < 4) {
		col = col * 26 + (*ref - 'A' + 1);
		ref++;
		n++;
	}
	if (n == 0 || col > XLSX_MAX_COLUMN)
		return -1;
	return col - 1;
}

static void row_start(struct xlsx *x, const XML_Char **atts)
{
	const char *r = attr(atts, "r");
	long row = x->last_row + 1;

	if (r && parse_uint(r, XLSX_MAX_ROW, &row) < 0) {
		fail(x, MSG_INVALID "(行号“%.20s”无效)", r);
		return;
	}
	if (row < 1 || row > XLSX_MAX_ROW) {
		fail(x, MSG_INVALID "(行号超出范围)");
		return;
	}
	x->in_row = 1;
	x->row = x->last_row = row;
	x->next_col = 0;
	tb_row_begin(x->b, (int)row);
}

static void cell_start(struct xlsx *x, const XML_Char **atts)
{
	const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
	long col = (long)x->next_col, style = -1;

	if (r) {
		col = column_of(r);
		if (col < 0) {
			fail(x, MSG_INVALID "(单元格引用“%.20s”无效)", r);
			return;
		}
	}
	if (s && parse_uint(s, 0x7fffffffL, &style) < 0)
		style = -1;
	x->ctype = CT_NUMBER;
	if (t) {
		if (strcmp(t, "s") == 0)
			x->ctype = CT_SHARED;
		else if (strcmp(t, "inlineStr") == 0)
			x->ctype = CT_INLINE;
		else if (strcmp(t, "str") == 0)
			x->ctype = CT_STR;
		else if (strcmp(t, "b") == 0)
			x->ctype = CT_BOOL;
		else if (strcmp(t, "e") == 0)
			x->ctype = CT_ERROR;
		else if (strcmp(t, "d") == 0)
			x->ctype = CT_DATE;
	}
	x->in_c = 1;
	x->in_v = x->in_is = x->in_t = x->rph = 0;
	x->col = (size_t)col;
	x->style = style;
	buf_reset(&x->text);
}

/* Excel serial day -> "YYYY-MM-DD"; -1 when it is not a date Excel can show. */
static int serial_date(double v, int date1904, char out[11])
{
	long days;
	int ymd;

	/* Below 1 there is no date part, only a time of day: left a number. */
	if (!(v >= 1 && v < 3e6))
		return -1;
	/* Excel rounds to the millisecond before taking the day. */
	days = (long)floor(v + 0.5 / 86400000.0);
	if (date1904) {
		ymd = date_add_days(19040101, (int)days);
	} else if (days == 60) {
		/* Lotus 1-2-3's leap-year bug, kept by Excel: the day that never was. */
		memcpy(out, "1900-02-29", 11);
		return 0;
	} else {
		ymd = date_add_days(days < 60 ? 18991231 : 18991230, (int)days);
	}
	if (ymd < 0)
		return -1;
	date_format(ymd, out);
	return out[0] ? 0 : -1;
}

/*
 * Excel's "General" display of a double: at most 15 significant digits,
 * no exponent between 1e-10 and 1e21, integers without ".0".
 */
static void format_number(double v, char *out, size_t outlen)
{
	char tmp[40], digits[16];
	const char *p, *e;
	int exp, nd, k;
	size_t len = 0;

	if (v == 0) {
		snprintf(out, outlen, "0");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.14e", v); /* "-d.dddddddddddddde+XX" */
	p = tmp[0] == '-' ? tmp + 1 : tmp;
	e = strchr(p, 'e');
	if (!e || e - p != 16) {
		snprintf(out, outlen, "%.15G", v);
		return;
	}
	digits[0] = p[0];
	memcpy(digits + 1, p + 2, 14);
	nd = 15;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	exp = (int)strtol(e + 1, NULL, 10);
	if (exp < -10 || exp > 20 || outlen < 40) {
		snprintf(out, outlen, "%.15G", v);
		return;
	}
	if (tmp[0] == '-')
		out[len++] = '-';
	if (exp < 0) {
		out[len++] = '0';
		out[len++] = '.';
		for (k = 0; k < -exp - 1; k++)
			out[len++] = '0';
		memcpy(out + len, digits, (size_t)nd);
		len += (size_t)nd;
	} else {
		for (k = 0; k <= exp; k++)
			out[len++] = k < nd ? digits[k] : '0';
		if (nd > exp + 1) {
			out[len++] = '.';
			memcpy(out + len, digits + exp + 1, (size_t)(nd - exp - 1));
			len += (size_t)(nd - exp - 1);
		}
	}
	out[len] = '\0';
}

/* The text of a numeric cell: a date when its style says so, else the number; raw text if not a number. */
static const char *number_text(struct xlsx *x, const char *s, size_t *n, char *out, size_t outlen)
{
	const char *t = table_trim(s, n);
	char *end;
	double v;
	size_t i;

	if (*n == 0 || *n > 64)
		return t;
	for (i = 0; i < *n; i++) {
		if (!strchr("0123456789.eE+-", t[i]))
			return t;
	}
	memcpy(out, t, *n);
	out[*n] = '\0';
	v = strtod(out, &end);
	if (end != out + *n || !isfinite(v))
		return t;
	if (x->style >= 0 && (size_t)x->style < x->nxf && x->xf_fmt[x->style] &&
	    serial_date(v, x->date1904, out) == 0) {
		*n = strlen(out);
		return out;
	}
	format_number(v, out, outlen);
	*n = strlen(out);
	return out;
}

static void cell_end(struct xlsx *x)
{
	char *s = x->text.p, num[80];
	const char *text = s;
	size_t n = x->text.len;
	long idx;

	x->in_c = 0;
	x->next_col = x->col + 1;
	switch (x->ctype) {
	case CT_SHARED:
		if (n == 0)
			break;
		if (parse_uint(table_trim(s, &n), 0x7fffffffL, &idx) < 0 || (size_t)idx >= x->nsst) {
			fail(x, MSG_INVALID "(第%ld行:共享字符串序号无效)", x->row);
			return;
		}
		if (tb_cell_ref(x->b, x->col, x->sst[idx]) < 0)
			fail(x, NULL);
		return;
	case CT_INLINE:
	case CT_STR:
		n = xdecode(s, n);
		break;
	case CT_BOOL:
		if (n == 1 && (s[0] == '0' || s[0] == '1'))
			text = s[0] == '1' ? "TRUE" : "FALSE";
		n = strlen(text);
		break;
	case CT_DATE:
		/* ISO 8601 (Strict OOXML): keep the date part. */
		if (n >= 10 && s[4] == '-' && s[7] == '-')
			n = 10;
		break;
	case CT_ERROR:
		break;
	case CT_NUMBER:
		text = number_text(x, s, &n, num, sizeof(num));
		break;
	}
	if (tb_cell(x->b, x->col, text, n) < 0)
		fail(x, NULL);
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;

	if (x->failed)
		return;
	if (!x->in_sheetdata) {
		if (is(name, "sheetData"))
			x->in_sheetdata = 1;
	} else if (!x->in_row) {
		if (is(name, "row"))
			row_start(x, atts);
	} else if (!x->in_c) {
		if (is(name, "c"))
			cell_start(x, atts);
	} else if (is(name, "v")) {
		x->in_v = 1;
	} else if (is(name, "is")) {
		x->in_is = 1;
	} else if (x->in_is && is(name, "rPh")) {
		x->rph++;
	} else if (x->in_is && !x->rph && is(name, "t")) {
		x->in_t = 1;
	}
}

static void sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;

	if (x->failed)
		return;
	if (x->in_c) {
		if (is(name, "c"))
			cell_end(x);
		else if (is(name, "v"))
			x->in_v = 0;
		else if (is(name, "t"))
			x->in_t = 0;
		else if (is(name, "rPh") && x->rph)
			x->rph--;
		else if (is(name, "is"))
			x->in_is = 0;
	} else if (x->in_row) {
		if (is(name, "row")) {
			x->in_row = 0;
			if (tb_row_end(x->b) < 0)
				fail(x, NULL);
		}
	} else if (x->in_sheetdata && is(name, "sheetData")) {
		x->in_sheetdata = 0;
	}
}

static void sheet_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx *x = ud;

	if (x->failed)
		return;
	if (x->in_c && (x->in_v || (x->in_is && x->in_t && !x->rph)))
		on_text(ud, s, len);
}

/* ---- the whole workbook ------------------------------------------------- */

static int read_workbook(struct xlsx *x)
{
	if (parse_part(x, "xl/workbook.xml", 1, wb_start, no_end, NULL) < 0)
		return -1;
	if (!x->sheet_rid) {
		fail(x, MSG_INVALID "(工作簿中没有工作表)");
		return -1;
	}
	if (parse_part(x, "xl/_rels/workbook.xml.rels", 1, rels_start, no_end, NULL) < 0)
		return -1;
	if (!x->sheet_target) {
		fail(x, MSG_INVALID "(找不到第一个工作表)");
		return -1;
	}
	if (parse_part(x, x->styles_target ? x->styles_target : "xl/styles.xml", 0, styles_start, styles_end, NULL) < 0)
		return -1;
	resolve_styles(x);
	return 0;
}

int table_read_xlsx(struct arena *a, const char *data, size_t len, struct table *out, char *err, size_t errlen)
{
	struct table_builder b;
	struct xlsx x;
	zip_error_t ze;
	zip_source_t *src;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.a = a;
	x.err = err;
	x.errlen = errlen;
	x.b = &b;
	tb_init(&b, a, err, errlen);
	buf_init(&x.text, TABLE_MAX_BYTES);
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src) {
		x.za = zip_open_from_source(src, ZIP_RDONLY, &ze);
		if (!x.za)
			zip_source_free(src);
	}
	if (!x.za) {
		table_set_err(err, errlen, MSG_INVALID);
		goto out;
	}
	if (read_workbook(&x) < 0)
		goto out;
	if (parse_part(&x, x.sst_target ? x.sst_target : "xl/sharedStrings.xml", 0, sst_start, sst_end, sst_text) < 0)
		goto out;
	if (parse_part(&x, x.sheet_target, 1, sheet_start, sheet_end, sheet_text) < 0)
		goto out;
	rc = tb_finish(&b, out);
out:
	if (x.za)
		zip_discard(x.za);
	zip_error_fini(&ze);
	buf_release(&x.text);
	free(x.sst);
	free(x.fmts);
	free(x.xf_fmt);
	tb_release(&b);
	return rc;
}
