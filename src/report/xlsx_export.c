/* .xlsx lists with libxlsxwriter; see xlsx_export.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "xlsx_export.h"
#include "core/banned.h"

/* libxlsxwriter writes to a file: a private temporary one, read back and removed. */
static int read_back(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		fclose(f);
		return -1;
	}
	*out = malloc((size_t)n + 1);
	if (!*out || fread(*out, 1, (size_t)n, f) != (size_t)n) {
		free(*out);
		*out = NULL;
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

int xlsx_export(const char *sheet, const char *title, const struct xlsx_column *cols, size_t ncols, json_t *rows,
		char **out, size_t *len)
{
	char path[] = "/tmp/fazhi-export-XXXXXX";
	lxw_workbook_options opts = { .constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *titlef;
	json_t *row;
	size_t i, c;
	int fd, rc;

	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	wb = workbook_new_opt(path, &opts);
	if (!wb) {
		unlink(path);
		return -1;
	}
	ws = workbook_add_worksheet(wb, sheet);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xD9E1F2);
	format_set_border(head, LXW_BORDER_THIN);
	titlef = workbook_add_format(wb);
	format_set_bold(titlef);
	format_set_font_size(titlef, 14);
	worksheet_write_string(ws, 0, 0, title, titlef);
	for (c = 0; c < ncols; c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL);
		worksheet_write_string(ws, 1, (lxw_col_t)c, cols[c].header, head);
	}
	worksheet_freeze_panes(ws, 2, 0);
	json_array_foreach (rows, i, row) {
		for (c = 0; c < ncols; c++) {
			json_t *v = json_object_get(row, cols[c].key);
			lxw_row_t r = (lxw_row_t)(i + 2);

			if (json_is_integer(v))
				worksheet_write_number(ws, r, (lxw_col_t)c, (double)json_integer_value(v), NULL);
			else if (json_is_real(v))
				worksheet_write_number(ws, r, (lxw_col_t)c, json_real_value(v), NULL);
			else if (json_is_string(v) && *json_string_value(v))
				worksheet_write_string(ws, r, (lxw_col_t)c, json_string_value(v), NULL);
			else if (json_is_boolean(v))
				worksheet_write_string(ws, r, (lxw_col_t)c, json_is_true(v) ? "是" : "否", NULL);
		}
	}
	if (json_array_size(rows))
		worksheet_autofilter(ws, 1, 0, (lxw_row_t)(json_array_size(rows) + 1), (lxw_col_t)(ncols - 1));
	rc = workbook_close(wb) == LXW_NO_ERROR ? read_back(path, out, len) : -1;
	unlink(path);
	return rc;
}
