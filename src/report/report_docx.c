/* The report as .docx: a report sink over the 公文 document writer (docx.c). */
#include <stdio.h>
#include <string.h>

#include "docx.h"
#include "report.h"
#include "core/banned.h"

static void d_title(void *ctx, const char *t)
{
	docx_title(ctx, t);
}

static void d_subtitle(void *ctx, const char *t)
{
	docx_subtitle(ctx, t);
}

static void d_heading(void *ctx, int level, const char *t)
{
	docx_heading(ctx, level, t);
}

static void d_paragraph(void *ctx)
{
	docx_paragraph(ctx);
}

static void d_text(void *ctx, const char *t, size_t n)
{
	char buf[1024];

	/* docx_text takes NUL-terminated runs: pass long texts in pieces on UTF-8 boundaries. */
	while (n) {
		size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;

		while (k < n && k > 0 && ((unsigned char)t[k] & 0xc0) == 0x80)
			k--;
		memcpy(buf, t, k);
		buf[k] = '\0';
		docx_text(ctx, buf);
		t += k;
		n -= k;
	}
}

static void d_missing(void *ctx, const char *label)
{
	char buf[400];

	snprintf(buf, sizeof(buf), "【%s】", label);
	docx_text_marked(ctx, buf);
}

static void d_signature(void *ctx, const char *org, const char *date)
{
	docx_signature(ctx, org, date);
}

int report_docx(const struct report_view *v, char **out, size_t *len)
{
	struct docx *d = docx_new();
	struct report_sink s = { 0 };
	int rc;

	s.ctx = d;
	s.title = d_title;
	s.subtitle = d_subtitle;
	s.heading = d_heading;
	s.paragraph = d_paragraph;
	s.text = d_text;
	s.missing = d_missing;
	s.signature = d_signature;
	report_render(v, &s);
	rc = docx_render(d, out, len);
	docx_free(d);
	return rc;
}
