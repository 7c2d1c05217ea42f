/*
 * Lists as .xlsx for Excel (libxlsxwriter): a header row of Chinese column
 * names, then one row per JSON object, taking the named keys; a title row
 * above and frozen panes so the header stays visible.
 */
#ifndef FAZHI_REPORT_XLSX_EXPORT_H
#define FAZHI_REPORT_XLSX_EXPORT_H

#include <jansson.h>
#include <stddef.h>

struct xlsx_column {
	const char *key;    /* JSON key of each row object */
	const char *header; /* Chinese column name */
	double width;       /* in characters */
};

/* Render rows into a heap buffer (caller frees). 0, or -1 on failure. */
int xlsx_export(const char *sheet, const char *title, const struct xlsx_column *cols, size_t ncols, json_t *rows,
		char **out, size_t *len);

#endif
