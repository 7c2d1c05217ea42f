/*
 * Rendering a report: walk the template's sections, expand placeholders
 * from the figures, feed a sink. Also the HTML and plain-text sinks.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "core/buf.h"
#include "core/embedded.h"
#include "core/log.h"
#include "core/banned.h"

static json_t *templates;
static pthread_once_t templates_once = PTHREAD_ONCE_INIT;

static void load_templates(void)
{
	const struct embedded_file *f;
	json_error_t jerr;

	templates = json_object();
	for (f = embedded_files; f->name; f++) {
		json_t *t;

		if (strncmp(f->name, "data/reports/", 13) || !strstr(f->name, ".json"))
			continue;
		t = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
		if (!t || !json_string_value(json_object_get(t, "id"))) {
			log_error("report template %s: %s", f->name, t ? "no id" : jerr.text);
			json_decref(t);
			continue;
		}
		json_object_set_new(templates, json_string_value(json_object_get(t, "id")), t);
	}
}

const json_t *report_template(const char *id)
{
	pthread_once(&templates_once, load_templates);
	return id ? json_object_get(templates, id) : NULL;
}

/* Format a figure's value with the decimals it carries. */
static void format_value(json_t *v, const char *unit, char *out, size_t n)
{
	double d = json_number_value(v);

	if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (fabs(d - floor(d)) < 1e-9)
		snprintf(out, n, "%.0f", d);
	else
		snprintf(out, n, "%.2f", d);
	if (unit && !strcmp(unit, "%")) {
		size_t l = strlen(out);

		snprintf(out + l, n - l, "%%");
	}
}

static void yoy_phrase(json_t *fig, char *out, size_t n)
{
	json_t *yoy = json_object_get(fig, "yoy");
	const char *unit = json_string_value(json_object_get(fig, "yoy_unit"));
	double v = json_number_value(yoy);
	int points = unit && strcmp(unit, "%");

	if (fabs(v) < 0.005)
		snprintf(out, n, "与上年持平");
	else if (points)
		snprintf(out, n, "同比%s%.2f个百分点", v > 0 ? "提高" : "下降", fabs(v));
	else
		snprintf(out, n, "同比%s%.2f%%", v > 0 ? "增长" : "下降", fabs(v));
}

/* Expand one {{name}}; name is not NUL-terminated (len bytes). */
static void placeholder(const struct report_view *v, const char *name, size_t len, const struct report_sink *s)
{
	char id[128], buf[320];
	const char *suffix = NULL;
	json_t *fig, *val;

	if (len >= sizeof(id)) {
		s->missing(s->ctx, "占位符过长");
		return;
	}
	memcpy(id, name, len);
	id[len] = '\0';
	if (!strcmp(id, "year") || !strcmp(id, "next_year")) {
		snprintf(buf, sizeof(buf), "%d", v->year + (id[0] == 'n'));
		s->text(s->ctx, buf, strlen(buf));
		return;
	}
	if (!strcmp(id, "org.name") || !strcmp(id, "org.short_name")) {
		const char *t = id[4] == 'n' ? v->org_name : (v->org_short && *v->org_short ? v->org_short : v->org_name);

		s->text(s->ctx, t, strlen(t));
		return;
	}
	fig = json_object_get(v->figures, id);
	if (!fig) {
		char *dot = strrchr(id, '.');

		if (dot && (!strcmp(dot, ".yoy") || !strcmp(dot, ".previous"))) {
			suffix = dot + 1;
			*dot = '\0';
			fig = json_object_get(v->figures, id);
		}
	}
	if (!fig) {
		snprintf(buf, sizeof(buf), "未知指标:%s", id);
		s->missing(s->ctx, buf);
		return;
	}
	val = json_object_get(fig, suffix && !strcmp(suffix, "previous") ? "previous" : suffix ? "yoy" : "value");
	if (!val || json_is_null(val)) {
		snprintf(buf, sizeof(buf), "缺数据:%s%s", json_string_value(json_object_get(fig, "name")),
			 suffix && !strcmp(suffix, "yoy") ? "同比" : suffix ? "(上年)" : "");
		s->missing(s->ctx, buf);
		return;
	}
	if (suffix && !strcmp(suffix, "yoy"))
		yoy_phrase(fig, buf, sizeof(buf));
	else
		format_value(val, json_string_value(json_object_get(fig, "unit")), buf, sizeof(buf));
	s->text(s->ctx, buf, strlen(buf));
}

void report_expand(const struct report_view *v, const char *text, const struct report_sink *s)
{
	const char *p = text, *open, *close;

	while (p && *p) {
		open = strstr(p, "{{");
		close = open ? strstr(open + 2, "}}") : NULL;
		if (!open || !close) {
			s->text(s->ctx, p, strlen(p));
			return;
		}
		if (open > p)
			s->text(s->ctx, p, (size_t)(open - p));
		placeholder(v, open + 2, (size_t)(close - open - 2), s);
		p = close + 2;
	}
}

/* A sink that expands into a plain buffer (for headings and titles, where marks are kept as text). */
static void plain_text(void *ctx, const char *t, size_t n)
{
	buf_append(ctx, t, n);
}

static void plain_missing(void *ctx, const char *label)
{
	buf_printf(ctx, "【%s】", label);
}

static char *expand_plain(const struct report_view *v, const char *text)
{
	struct report_sink s = { 0 };
	struct buf b;

	buf_init(&b, 0);
	s.ctx = &b;
	s.text = plain_text;
	s.missing = plain_missing;
	report_expand(v, text, &s);
	return buf_detach(&b, NULL);
}

void report_render(const struct report_view *v, const struct report_sink *s)
{
	json_t *sections = json_object_get(v->tmpl, "sections"), *sec;
	char *title = expand_plain(v, json_string_value(json_object_get(v->tmpl, "title")));
	size_t i;

	s->title(s->ctx, title);
	free(title);
	json_array_foreach (sections, i, sec) {
		const char *key = json_string_value(json_object_get(sec, "key"));
		json_t *own = json_object_get(v->narratives, key);
		const char *text = json_is_string(own) ? json_string_value(own)
						       : json_string_value(json_object_get(sec, "text"));
		char *heading = expand_plain(v, json_string_value(json_object_get(sec, "heading")));
		const char *p = text, *nl;

		s->heading(s->ctx, (int)json_integer_value(json_object_get(sec, "level")), heading);
		free(heading);
		/* Each line of the narrative is a paragraph. */
		while (p && *p) {
			char *line;

			nl = strchr(p, '\n');
			line = nl ? strndup(p, (size_t)(nl - p)) : strdup(p);
			if (!line)
				abort();
			if (*line) {
				s->paragraph(s->ctx);
				report_expand(v, line, s);
			}
			free(line);
			p = nl ? nl + 1 : NULL;
		}
	}
	if (s->signature)
		s->signature(s->ctx, v->org_name, v->signed_date);
}

/* ===== HTML ===== */

struct html {
	struct buf b;
	int in_p;
};

static void html_escape(struct buf *b, const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (t[i]) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		default:
			buf_putc(b, t[i]);
		}
	}
}

static void html_close_p(struct html *h)
{
	if (h->in_p)
		buf_puts(&h->b, "</p>\n");
	h->in_p = 0;
}

static void html_title(void *ctx, const char *text)
{
	struct html *h = ctx;

	buf_puts(&h->b, "<h1>");
	html_escape(&h->b, text, strlen(text));
	buf_puts(&h->b, "</h1>\n");
}

static void html_heading(void *ctx, int level, const char *text)
{
	struct html *h = ctx;

	html_close_p(h);
	buf_printf(&h->b, "<h%d>", level + 1 > 4 ? 4 : level + 1);
	html_escape(&h->b, text, strlen(text));
	buf_printf(&h->b, "</h%d>\n", level + 1 > 4 ? 4 : level + 1);
}

static void html_paragraph(void *ctx)
{
	struct html *h = ctx;

	html_close_p(h);
	buf_puts(&h->b, "<p>");
	h->in_p = 1;
}

static void html_text(void *ctx, const char *t, size_t n)
{
	html_escape(&((struct html *)ctx)->b, t, n);
}

static void html_missing(void *ctx, const char *label)
{
	struct html *h = ctx;

	buf_puts(&h->b, "<mark class=\"missing\">【");
	html_escape(&h->b, label, strlen(label));
	buf_puts(&h->b, "】</mark>");
}

static void html_signature(void *ctx, const char *org, const char *date)
{
	struct html *h = ctx;

	html_close_p(h);
	buf_puts(&h->b, "<p class=\"signature\">");
	html_escape(&h->b, org, strlen(org));
	if (date) {
		buf_puts(&h->b, "<br>");
		html_escape(&h->b, date, strlen(date));
	}
	buf_puts(&h->b, "</p>\n");
}

char *report_html(const struct report_view *v, size_t *len)
{
	struct report_sink s = { 0 };
	struct html h;

	memset(&h, 0, sizeof(h));
	buf_init(&h.b, 0);
	buf_puts(&h.b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
	{
		char *title = expand_plain(v, json_string_value(json_object_get(v->tmpl, "title")));

		html_escape(&h.b, title, strlen(title));
		free(title);
	}
	buf_puts(&h.b, "</title><style>"
		       "body{max-width:760px;margin:40px auto;font-family:FangSong,\"仿宋\",\"STFangsong\",serif;"
		       "font-size:16pt;line-height:1.8;color:#111}"
		       "h1{font-family:\"FZXiaoBiaoSong-B05S\",\"SimSun\",\"宋体\",serif;font-size:22pt;text-align:center;"
		       "font-weight:normal}"
		       "h2{font-family:SimHei,\"黑体\",sans-serif;font-size:16pt;font-weight:normal;text-indent:2em}"
		       "h3{font-family:KaiTi,\"楷体\",serif;font-size:16pt;font-weight:normal;text-indent:2em}"
		       "p{text-indent:2em;margin:0;text-align:justify}"
		       "mark.missing{background:#ffe58f;color:#a8071a}"
		       ".signature{text-align:right;margin-top:2em}"
		       "</style></head><body>\n");
	s.ctx = &h;
	s.title = html_title;
	s.heading = html_heading;
	s.paragraph = html_paragraph;
	s.text = html_text;
	s.missing = html_missing;
	s.signature = html_signature;
	report_render(v, &s);
	html_close_p(&h);
	buf_puts(&h.b, "</body></html>\n");
	return buf_detach(&h.b, len);
}

/* ===== plain text ===== */

static void text_title(void *ctx, const char *t)
{
	buf_printf(ctx, "%s\n\n", t);
}

static void text_heading(void *ctx, int level, const char *t)
{
	(void)level;
	buf_printf(ctx, "\n%s\n", t);
}

static void text_paragraph(void *ctx)
{
	buf_puts(ctx, "\n    ");
}

char *report_text(const struct report_view *v, size_t *len)
{
	struct report_sink s = { 0 };
	struct buf b;

	buf_init(&b, 0);
	s.ctx = &b;
	s.title = text_title;
	s.heading = text_heading;
	s.paragraph = text_paragraph;
	s.text = plain_text;
	s.missing = plain_missing;
	report_render(v, &s);
	buf_putc(&b, '\n');
	return buf_detach(&b, len);
}

/* ===== placeholder inventory ===== */

static void collect(json_t *ids, const char *text)
{
	const char *p = text, *open, *close;

	while (p && (open = strstr(p, "{{")) && (close = strstr(open + 2, "}}"))) {
		char id[128];
		size_t n = (size_t)(close - open - 2);
		char *dot;

		if (n < sizeof(id)) {
			memcpy(id, open + 2, n);
			id[n] = '\0';
			dot = strrchr(id, '.');
			if (dot && (!strcmp(dot, ".yoy") || !strcmp(dot, ".previous")))
				*dot = '\0';
			if (strcmp(id, "year") && strcmp(id, "next_year") && strncmp(id, "org.", 4)) {
				size_t i;
				json_t *e;
				int seen = 0;

				json_array_foreach (ids, i, e)
					seen |= !strcmp(json_string_value(e), id);
				if (!seen)
					json_array_append_new(ids, json_string(id));
			}
		}
		p = close + 2;
	}
}

json_t *report_placeholders(const struct report_view *v)
{
	json_t *ids = json_array(), *sec;
	size_t i;

	json_array_foreach (json_object_get(v->tmpl, "sections"), i, sec) {
		json_t *own = json_object_get(v->narratives, json_string_value(json_object_get(sec, "key")));

		collect(ids, json_string_value(json_object_get(sec, "heading")));
		collect(ids, json_is_string(own) ? json_string_value(own) : json_string_value(json_object_get(sec, "text")));
	}
	return ids;
}
