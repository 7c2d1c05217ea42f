/*
 * The annual report 法治政府建设情况报告: templates as data (the JSON files
 * under data/reports), narrative written by staff per section and kept per
 * org and year, and figures as placeholders resolved at render time:
 *   {{reconsideration.received}}      the figure (rates carry their % sign)
 *   {{reconsideration.received.yoy}}  "同比增长15.86%" / "同比下降…" / "与上年持平"
 *   {{reconsideration.received.previous}}
 *   {{year}} {{next_year}} {{org.name}} {{org.short_name}}
 * A figure with no data is rendered visibly as missing, never as 0. One
 * renderer walks the template and feeds a sink (HTML or .docx).
 */
#ifndef FAZHI_REPORT_REPORT_H
#define FAZHI_REPORT_REPORT_H

#include <jansson.h>
#include <stddef.h>

struct report_sink {
	void *ctx;
	void (*title)(void *ctx, const char *text);
	void (*subtitle)(void *ctx, const char *text);
	void (*heading)(void *ctx, int level, const char *text);
	void (*paragraph)(void *ctx);
	void (*text)(void *ctx, const char *text, size_t n);
	void (*missing)(void *ctx, const char *label);
	void (*signature)(void *ctx, const char *org, const char *date);
};

struct report_view {
	const json_t *tmpl;      /* the template document */
	const char *org_name;
	const char *org_short;
	int year;
	const json_t *figures;   /* metric id -> {name, unit, value, previous, yoy, yoy_unit} */
	const json_t *narratives; /* section key -> text (absent: the template's default text) */
	const char *signed_date; /* "2022年3月24日" or NULL */
};

/* The template with this id (owned by the process; NULL if unknown). */
const json_t *report_template(const char *id);

/* Render the whole report into the sink. */
void report_render(const struct report_view *v, const struct report_sink *sink);

/* Expand placeholders of one text into the sink's text/missing calls. */
void report_expand(const struct report_view *v, const char *text, const struct report_sink *sink);

/* The whole report as a standalone HTML page (heap string, caller frees). */
char *report_html(const struct report_view *v, size_t *len);

/* The report as a .docx in 公文 layout (heap buffer, caller frees). 0 or -1. */
int report_docx(const struct report_view *v, char **out, size_t *len);

/* Plain text of the report (placeholders resolved, missing figures as 【缺数据:…】); heap string. */
char *report_text(const struct report_view *v, size_t *len);

/* Metric ids a template's texts and the given narratives refer to (JSON array of strings). */
json_t *report_placeholders(const struct report_view *v);

struct module;
extern const struct module report_module;

#endif
