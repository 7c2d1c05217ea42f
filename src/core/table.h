/*
 * Reader for the tables people keep in Excel (.csv and .xlsx), used by the
 * historical-case import. table_read detects the format from the content,
 * parses it and returns rows of trimmed UTF-8 strings allocated from an arena.
 * No business knowledge: the caller maps header cells to fields.
 */
#ifndef FAZHI_CORE_TABLE_H
#define FAZHI_CORE_TABLE_H

#include <stddef.h>

struct arena;

/* Limits against hostile or accidental huge files; exceeding any is an error. */
#define TABLE_MAX_BYTES ((size_t)64 * 1024 * 1024) /* input, and XLSX parts once uncompressed */
#define TABLE_MAX_ROWS	100000			   /* kept rows, header included */
#define TABLE_MAX_COLS	200			   /* columns up to the last non-empty cell */
#define TABLE_MAX_CELL	(32 * 1024)		   /* bytes of one cell, after trimming */

struct table_row {
	size_t ncells; /* up to the last non-empty cell; cells[i] for i >= ncells are empty */
	char **cells;  /* UTF-8, NUL-terminated, never NULL; read-only: cells may share storage */
	int line;      /* 1-based line (CSV, where the record starts) or row number (XLSX) */
};

struct table {
	size_t nrows;		/* at least 1 after a successful table_read */
	struct table_row *rows; /* rows[0] is the header row as found */
	size_t ncols;		/* the largest ncells of any row */
};

/*
 * Detect the format from content (XLSX = a zip starting "PK\x03\x04"; anything
 * else is read as CSV), parse, fill *out. Returns 0, or -1 with a Chinese
 * message in err ("第3行:引号不匹配", "不是有效的 xlsx 文件", "文件过大(超过64MB)",
 * ...) and *out emptied. Everything in *out is allocated from the arena.
 *
 * Both formats: cells are trimmed of surrounding ASCII whitespace, CRLF inside
 * a cell becomes LF, trailing empty cells are not kept, rows whose cells are
 * all empty are dropped (the others keep their original line numbers), and a
 * file without any non-empty row is an error.
 *
 * CSV: RFC 4180 with "," (or tab when the first non-blank line has tabs and no
 * commas), CRLF, LF or CR line ends, an optional BOM; UTF-8, else GB18030 (or
 * UTF-16 with a BOM, Excel's "Unicode 文本").
 *
 * XLSX: the first worksheet, with shared and inline strings, numbers (integers
 * without ".0", others with up to 15 significant digits), booleans as
 * TRUE/FALSE, and numbers with a date format as "YYYY-MM-DD".
 */
int table_read(struct arena *a, const char *data, size_t len, struct table *out, char *err, size_t errlen);

/* Cell i of row r, or "" past the end of the row. */
const char *table_cell(const struct table_row *r, size_t i);

/* ---- for table_csv.c and table_xlsx.c only ------------------------------ */

/* Collects rows and applies the limits and the empty-row rule. */
struct table_builder {
	struct arena *a;
	char *err;
	size_t errlen;
	char *empty;		/* the one "" shared by empty cells */
	struct table_row *rows; /* heap, moved into the arena by tb_finish */
	size_t nrows, rows_cap;
	char *cells[TABLE_MAX_COLS]; /* the row being built */
	size_t ncells;		     /* its last non-empty cell + 1 */
	int line;
	size_t ncols;
};

void tb_init(struct table_builder *b, struct arena *a, char *err, size_t errlen);
/* Free the heap parts (after tb_finish, or on error). */
void tb_release(struct table_builder *b);
void tb_row_begin(struct table_builder *b, int line);
/* Set cell col (0-based) of the current row from s[0..len), trimmed and copied. 0 or -1 (err set). */
int tb_cell(struct table_builder *b, size_t col, const char *s, size_t len);
/* Like tb_cell for a string already trimmed and normalised in the arena (used as it is). */
int tb_cell_ref(struct table_builder *b, size_t col, char *s);
/* End the current row: dropped when empty, else checked against TABLE_MAX_ROWS and kept. */
int tb_row_end(struct table_builder *b);
/* Move the rows into *out (arena); -1 when there is none. */
int tb_finish(struct table_builder *b, struct table *out);

/* Trim s[0..*len) of ASCII whitespace: returns the new start, updates *len. */
const char *table_trim(const char *s, size_t *len);
/* Copy s[0..len) into the arena with CRLF turned into LF. */
char *table_strdup_norm(struct arena *a, const char *s, size_t len);
void table_set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int table_read_csv(struct arena *a, const char *data, size_t len, struct table *out, char *err, size_t errlen);
int table_read_xlsx(struct arena *a, const char *data, size_t len, struct table *out, char *err, size_t errlen);

#endif
