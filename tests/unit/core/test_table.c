/*
 * Unit tests for src/core/table*.c: the fixtures under tests/unit/core/fixtures
 * (written by make_fixtures.py) read as CSV and XLSX with exact cells, line
 * numbers and error messages, plus CSV corner cases and limits built in memory.
 * Run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/table.h"
#include "core/util.h"

#include "core/banned.h"

#define FIXTURES "tests/unit/core/fixtures/"

static struct arena arena;
static char err[256];

static int setup(void **state)
{
	(void)state;
	arena_init(&arena);
	err[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&arena);
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

/* The whole file in a heap buffer (free it). */
static char *load(const char *name, size_t *len)
{
	char path[256];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run the tests from the repository root)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

/* Read a fixture and expect success. */
static void read_ok(const char *name, struct table *t)
{
	size_t len;
	char *data = load(name, &len);
	int rc = table_read(&arena, data, len, t, err, sizeof(err));

	free(data);
	if (rc != 0)
		fail_msg("%s: %s", name, err);
}

/* Read a fixture and expect exactly this error. */
static void read_bad(const char *name, const char *want)
{
	struct table t;
	size_t len;
	char *data = load(name, &len);
	int rc = table_read(&arena, data, len, &t, err, sizeof(err));

	free(data);
	assert_int_equal(rc, -1);
	assert_string_equal(err, want);
	assert_int_equal(t.nrows, 0);
	assert_null(t.rows);
}

static int str_ok(const char *s, struct table *t)
{
	return table_read(&arena, s, strlen(s), t, err, sizeof(err));
}

static void str_bad(const char *s, size_t len, const char *want)
{
	struct table t;

	assert_int_equal(table_read(&arena, s, len, &t, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

/* For string literals, which may hold NUL bytes. */
#define STR_BAD(lit, want) str_bad((lit), sizeof(lit) - 1, (want))

static void expect_row(const struct table_row *r, int line, const char *const *cells, size_t n)
{
	size_t i;

	assert_int_equal(r->line, line);
	if (r->ncells != n) {
		for (i = 0; i < r->ncells; i++)
			fprintf(stderr, "# cell %zu: [%s]\n", i, r->cells[i]);
		fail_msg("line %d: %zu cells, expected %zu", line, r->ncells, n);
	}
	for (i = 0; i < n; i++)
		assert_string_equal(r->cells[i], cells[i]);
}

#define ROW(r, line, ...)                                                                                              \
	expect_row((r), (line), (const char *const[]){ __VA_ARGS__ },                                                  \
		   ARRAY_SIZE(((const char *const[]){ __VA_ARGS__ })))

/* ---- XLSX --------------------------------------------------------------- */

static void test_xlsx_cases(void **state)
{
	struct table t;

	(void)state;
	read_ok("cases.xlsx", &t);
	assert_int_equal(t.nrows, 4);
	assert_int_equal(t.ncols, 7);
	ROW(&t.rows[0], 1, "案号", "当事人", "申请日期", "受理日期", "标的额", "备注", "状态");
	/* Rich text runs concatenated (phonetic run left out), built-in date 14,
	 * custom yyyy"年"m"月"d"日", a number in a money format, F2 missing, an
	 * inline string. */
	ROW(&t.rows[1], 2, "（2021）浙0421行复1号", "张三", "2021-03-05", "2021-03-07", "12345.5", "", "已受理");
	/* Row 3 is absent; styled empty cells D4 and H4; trimmed inline string; boolean. */
	ROW(&t.rows[2], 4, "（2021）浙0421行复2号", "李四", "2021-03-06", "", "3000", "涉及\"征收\"补偿 & 安置",
	    "TRUE");
	/* Row 5 had only blank cells: dropped. */
	ROW(&t.rows[3], 6, "（2021）浙0421行复1号", "", "", "", "-0.5");
	assert_string_equal(table_cell(&t.rows[3], 6), "");
	assert_string_equal(table_cell(&t.rows[3], 1000), "");
	assert_string_equal(table_cell(&t.rows[3], 0), "（2021）浙0421行复1号");
}

static void test_xlsx_misc(void **state)
{
	static const char *const want[][2] = {
		{ "名称", "值" },
		{ "1904日期", "2021-03-05" },	      /* date1904="1" */
		{ "红色负数格式", "12.5" },	      /* [Red] is not a day */
		{ "引号里的d", "3" },		      /* "d" quoted is not a day */
		{ "长日期格式", "2021-03-05" },	      /* [$-F800]dddd\, mmmm\ dd\, yyyy, time part dropped */
		{ "浮点", "0.3" },		      /* 15 significant digits */
		{ "身份证号", "110101199003070000" }, /* no exponent */
		{ "负数", "-42" },
		{ "小数", "0.0015" },
		{ "公式", "合计\n第二行" }, /* t="str", _x000D_ + LF -> LF */
		{ "错误", "#DIV/0!" },
		{ "布尔", "FALSE" }, /* and an empty styled cell at XFD12 */
		{ "注音", "王五" },  /* phonetic run left out */
		{ "转义", "_x0041_ and A" },
		{ "大数", "1E+21" },
		{ "时间格式", "0.5" }, /* h:mm without a date part */
		{ "非数字", "abc" },
		{ "无引用", "7" }, /* row and cells without r */
	};
	struct table t;
	size_t i;

	(void)state;
	/* Also: the first <sheet> is rId5 -> /xl/worksheets/../data/cases.xml,
	 * not sheet1.xml, and every element has an "x:" prefix. */
	read_ok("misc.xlsx", &t);
	assert_int_equal(t.nrows, ARRAY_SIZE(want));
	assert_int_equal(t.ncols, 2);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		expect_row(&t.rows[i], (int)i + 1, want[i], 2);
}

static void test_xlsx_dates(void **state)
{
	static const char *const want[] = {
		"1900-01-01", "1900-02-28", "1900-02-29", /* serial 60: Excel's day that never was */
		"1900-03-01", "2021-03-05", "2021-03-05", /* 18:00 on that day */
		"9999-12-31", "2958466",		  /* past 9999-12-31: left a number */
		"0",	      "-1",	    "2021-03-05", /* built-in 22, m/d/yy h:mm */
	};
	struct table t;
	size_t i;

	(void)state;
	read_ok("dates.xlsx", &t);
	assert_int_equal(t.nrows, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++)
		expect_row(&t.rows[i], (int)i + 1, &want[i], 1);
}

static void test_xlsx_broken(void **state)
{
	(void)state;
	read_bad("not_a_zip.xlsx", "不是有效的 xlsx 文件");
	read_bad("no_workbook.xlsx", "不是有效的 xlsx 文件(缺少 xl/workbook.xml)");
	read_bad("doctype.xlsx", "不是有效的 xlsx 文件(含有不允许的 DTD 声明)");
	STR_BAD("PK\x05\x06", "不是有效的 xlsx 文件");
}

static void test_xlsx_limits(void **state)
{
	(void)state;
	read_bad("bomb.xlsx", "第100001行:超过最大行数100000");
	/* The directory says 65 MiB. */
	read_bad("bomb_size.xlsx", "文件过大(解压后超过64MB)");
	/* The directory says 1000 bytes; the bytes read say otherwise. */
	read_bad("bomb_lying.xlsx", "文件过大(解压后超过64MB)");
	read_bad("wide.xlsx", "第2行:列数超过200");
	read_bad("long_cell.xlsx", "第3行第2列:单元格内容超过32KB");
}

/* ---- CSV fixtures ------------------------------------------------------- */

static void expect_cases_csv(const struct table *t)
{
	assert_int_equal(t->nrows, 5);
	assert_int_equal(t->ncols, 5);
	ROW(&t->rows[0], 1, "案号", "当事人", "申请日期", "标的额", "备注");
	ROW(&t->rows[1], 2, "（2021）浙0421行复1号", "张三", "2021-03-05", "12345.5");
	ROW(&t->rows[2], 3, "（2021）浙0421行复2号", "李四", "2021-03-06", "3000", "涉及\"征收\"补偿,安置");
	ROW(&t->rows[3], 5, "（2021）浙0421行复3号", "王䶮", "2021/3/7", "", "第一行\n第二行 𠮷");
	ROW(&t->rows[4], 8, "（2021）浙0421行复4号", "赵六");
}

static void test_csv_utf8_bom(void **state)
{
	struct table t;

	(void)state;
	read_ok("cases_utf8_bom.csv", &t);
	expect_cases_csv(&t);
}

static void test_csv_gb18030_same_as_utf8(void **state)
{
	struct table u, g;
	size_t i, j;

	(void)state;
	read_ok("cases_utf8_bom.csv", &u);
	read_ok("cases_gb18030.csv", &g);
	expect_cases_csv(&g);
	assert_int_equal(g.nrows, u.nrows);
	assert_int_equal(g.ncols, u.ncols);
	for (i = 0; i < u.nrows; i++) {
		assert_int_equal(g.rows[i].line, u.rows[i].line);
		assert_int_equal(g.rows[i].ncells, u.rows[i].ncells);
		for (j = 0; j < u.rows[i].ncells; j++)
			assert_string_equal(g.rows[i].cells[j], u.rows[i].cells[j]);
	}
}

static void test_csv_quoted(void **state)
{
	struct table t;

	(void)state;
	read_ok("quoted.csv", &t);
	assert_int_equal(t.nrows, 5);
	ROW(&t.rows[0], 1, "name", "note", "amount");
	ROW(&t.rows[1], 2, "Smith, John", "He said \"hi\"", "1,000");
	ROW(&t.rows[2], 3, "多行\n文本", "前后空格", "x");
	ROW(&t.rows[3], 5, "a\"b", "c"); /* a quote inside an unquoted field is literal */
	/* Line 6 is "","": all empty, dropped. */
	ROW(&t.rows[4], 7, "last");
}

static void test_csv_bad_quote(void **state)
{
	(void)state;
	read_bad("bad_quote.csv", "第3行:引号不匹配");
	STR_BAD("a,b\n\"x\"y,z\n", "第2行:第1列的引号后面有多余的字符");
	STR_BAD("a,\"b\r\n", "第1行:引号不匹配");
}

/* ---- CSV in memory ------------------------------------------------------ */

static void test_csv_tabs(void **state)
{
	struct table t;

	(void)state;
	/* Tabs and no commas in the first non-blank line: tab-separated. */
	assert_int_equal(str_ok("\n  \n案号\t当事人\t备注\n1\t 张三 \ta,b\n", &t), 0);
	assert_int_equal(t.nrows, 2);
	ROW(&t.rows[0], 3, "案号", "当事人", "备注");
	ROW(&t.rows[1], 4, "1", "张三", "a,b");
	/* Tabs and commas: comma-separated, tabs trimmed as blanks. */
	assert_int_equal(str_ok("a,\tb\tc\n1,2\n", &t), 0);
	ROW(&t.rows[0], 1, "a", "b\tc");
	ROW(&t.rows[1], 2, "1", "2");
}

static void test_csv_line_ends(void **state)
{
	struct table t;

	(void)state;
	/* CR only (old Mac Excel), CRLF and LF mixed, no final line end. */
	assert_int_equal(str_ok("a,b\r1,2\r\n\r\n3,\"x\ry\"\n4,5", &t), 0);
	assert_int_equal(t.nrows, 4);
	ROW(&t.rows[0], 1, "a", "b");
	ROW(&t.rows[1], 2, "1", "2");
	ROW(&t.rows[2], 4, "3", "x\ny");
	ROW(&t.rows[3], 6, "4", "5");
	/* Spaces around a quoted field; an empty quoted field keeps its column. */
	assert_int_equal(str_ok("  \" a \"  ,\"\",c", &t), 0);
	ROW(&t.rows[0], 1, "a", "", "c");
}

static void test_csv_empty(void **state)
{
	struct table t;

	(void)state;
	assert_int_equal(table_read(&arena, NULL, 0, &t, err, sizeof(err)), -1);
	assert_string_equal(err, "表格是空的");
	STR_BAD("", "表格是空的");
	STR_BAD("\xef\xbb\xbf", "表格是空的");
	STR_BAD("\r\n\n , ,\"\"\n\n", "表格是空的");
}

static void test_csv_limits(void **state)
{
	struct table t;
	size_t n = TABLE_MAX_ROWS + 1, i;
	char *s = malloc(n * 2 + 1000);
	char *p;

	(void)state;
	assert_non_null(s);

	/* 200 columns, then only empty ones: fine. */
	p = s;
	for (i = 0; i < TABLE_MAX_COLS; i++)
		p += snprintf(p, 8, "%zu,", i);
	memset(p, ',', 500);
	p[500] = '\0';
	assert_int_equal(str_ok(s, &t), 0);
	assert_int_equal(t.rows[0].ncells, TABLE_MAX_COLS);
	assert_string_equal(t.rows[0].cells[199], "199");
	/* A 201st non-empty column is not. */
	snprintf(p, 8, "x\n");
	str_bad(s, strlen(s), "第1行:列数超过200");

	/* A cell of exactly 32 KiB, then one byte more (quoted, after a header). */
	memcpy(s, "h\n\"", 3);
	memset(s + 3, 'x', TABLE_MAX_CELL);
	memcpy(s + 3 + TABLE_MAX_CELL, "\"\n", 3);
	assert_int_equal(str_ok(s, &t), 0);
	assert_int_equal(strlen(t.rows[1].cells[0]), TABLE_MAX_CELL);
	memset(s + 2, 'x', TABLE_MAX_CELL + 1);
	memcpy(s + 3 + TABLE_MAX_CELL, "\n", 2);
	str_bad(s, strlen(s), "第2行第1列:单元格内容超过32KB");

	/* 100,000 rows (blank lines in between do not count), then one more. */
	p = s;
	for (i = 0; i < TABLE_MAX_ROWS; i++) {
		*p++ = 'x';
		*p++ = '\n';
		if (i == 10) {
			*p++ = ',';
			*p++ = '\n';
		}
	}
	*p = '\0';
	assert_int_equal(str_ok(s, &t), 0);
	assert_int_equal(t.nrows, TABLE_MAX_ROWS);
	assert_int_equal(t.rows[TABLE_MAX_ROWS - 1].line, TABLE_MAX_ROWS + 1);
	memcpy(p, "y\n", 3);
	str_bad(s, strlen(s), "第100002行:超过最大行数100000");
	free(s);
}

static void test_csv_encodings(void **state)
{
	/* "案号,当事人\n张三,李四\n" in UTF-16LE with its BOM (Excel's "Unicode 文本"). */
	static const char utf16[] = "\xff\xfe\x48\x68\xf7\x53\x2c\x00\x53\x5f\x8b\x4e\xba\x4e\x0a\x00"
				    "\x20\x5f\x09\x4e\x2c\x00\x4e\x67\xdb\x56\x0a\x00";
	struct table t;

	(void)state;
	assert_int_equal(table_read(&arena, utf16, sizeof(utf16) - 1, &t, err, sizeof(err)), 0);
	assert_int_equal(t.nrows, 2);
	ROW(&t.rows[0], 1, "案号", "当事人");
	ROW(&t.rows[1], 2, "张三", "李四");
	/* GBK "张三" after a UTF-8 BOM: the BOM does not make it UTF-8. */
	assert_int_equal(str_ok("\xef\xbb\xbf\xd5\xc5\xc8\xfd,1\n", &t), 0);
	ROW(&t.rows[0], 1, "张三", "1");
	/* Neither UTF-8 nor GB18030 (0x80 and 0xFF lead no GB18030 character). */
	STR_BAD("a,b\n\x80\x80,c\n", "文件编码无法识别(请另存为 UTF-8 或 GB18030 编码的 CSV)");
	STR_BAD("a,\xff", "文件编码无法识别(请另存为 UTF-8 或 GB18030 编码的 CSV)");
	/* A GB18030 lead byte cut off at the end of the file. */
	STR_BAD("a,\xd5", "文件编码无法识别(请另存为 UTF-8 或 GB18030 编码的 CSV)");
	STR_BAD("a,b\0c\n", "文件中含有空字符,不是文本格式的 CSV 文件");
}

static void test_other_formats(void **state)
{
	static const char xls[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0";
	char *big;

	(void)state;
	str_bad(xls, sizeof(xls) - 1, "不支持旧版 Excel(.xls)或加密的文件,请在 Excel 中另存为 .xlsx 或 CSV");
	big = calloc(1, TABLE_MAX_BYTES + 1);
	assert_non_null(big);
	str_bad(big, TABLE_MAX_BYTES + 1, "文件过大(超过64MB)");
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xlsx_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_misc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_broken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_utf8_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_gb18030_same_as_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_quoted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_bad_quote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_tabs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_line_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_encodings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_formats, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
