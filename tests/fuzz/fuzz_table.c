/*
 * Fuzz target: the .csv/.xlsx table reader (table_read in src/core/table.h)
 * used by the ledger and case imports. Properties: a refusal leaves an empty
 * table and a NUL-terminated message; an accepted table has at least one
 * row, every row has at most TABLE_MAX_COLS cells, every cell is a
 * NUL-terminated string of at most TABLE_MAX_CELL bytes without surrounding
 * ASCII blanks, the last kept cell of a row is not empty, and cells past a
 * row's end read as "".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/table.h"

#define CHECK(c) ((c) ? (void)0 : abort())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct table t;
	char err[256];
	size_t r, i, n;
	char *copy = malloc(size ? size : 1);

	memcpy(copy, data, size); /* exactly size bytes: over-reads are caught */
	arena_init(&a);
	memset(err, 'x', sizeof(err));
	if (table_read(&a, copy, size, &t, err, sizeof(err)) < 0) {
		CHECK(memchr(err, '\0', sizeof(err)));
		CHECK(t.nrows == 0);
	} else {
		CHECK(t.nrows >= 1 && t.nrows <= TABLE_MAX_ROWS);
		for (r = 0; r < t.nrows; r++) {
			const struct table_row *row = &t.rows[r];

			CHECK(row->ncells <= TABLE_MAX_COLS && row->ncells <= t.ncols);
			/* Empty rows are dropped, trailing empty cells not kept. */
			CHECK(row->ncells >= 1 && row->cells[row->ncells - 1][0]);
			for (i = 0; i < row->ncells; i++) {
				const char *s = row->cells[i];

				CHECK(s);
				n = strlen(s);
				CHECK(n <= TABLE_MAX_CELL);
				CHECK(n == 0 || (!blank(s[0]) && !blank(s[n - 1])));
			}
			CHECK(!strcmp(table_cell(row, row->ncells), ""));
			CHECK(!strcmp(table_cell(row, TABLE_MAX_COLS + 10), ""));
		}
	}
	arena_release(&a);
	free(copy);
	return 0;
}
