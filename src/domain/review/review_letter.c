/*
 * 合法性审查意见书: the opinion letter of a concluded review as .docx in the
 * 公文 layout (src/report/docx.h), written from the case detail: addressee
 * (the submitting unit), what was reviewed, the conclusion, the opinions one
 * by one with their basis, the reviewers, the signer, and the reviewing
 * organ with the date of the conclusion as signature.
 */
#include <stdio.h>
#include <string.h>

#include "review.h"
#include "core/calendar.h"
#include "report/docx.h"
#include "core/banned.h"

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* "2021-03-05" -> "2021年3月5日" ("" when not a date). */
static void chinese_date(const char *iso, char out[32])
{
	int d, y, m, dd;

	out[0] = '\0';
	if (date_parse(iso, &d) == 0 && date_split(d, &y, &m, &dd) == 0)
		snprintf(out, 32, "%d年%d月%d日", y, m, dd);
}

int review_letter_docx(const json_t *detail, char **out, size_t *len)
{
	const json_t *f = json_object_get(detail, "fields"), *item;
	const json_t *opinions = json_object_get(f, "opinions"), *reviewers = json_object_get(f, "reviewers");
	const char *outcome = str(detail, "outcome");
	struct docx *d = docx_new();
	char received[32], concluded[32], line[4200];
	size_t i;
	int rc;

	chinese_date(str(detail, "received_date"), received);
	chinese_date(str(detail, "decided_date"), concluded);
	docx_title(d, "合法性审查意见书");
	docx_subtitle(d, str(detail, "case_no"));
	docx_paragraph(d);
	snprintf(line, sizeof(line), "%s:", str(detail, "party_org_name"));
	docx_text(d, line);
	docx_paragraph(d);
	snprintf(line, sizeof(line), "你单位于%s报送的《%s》(%s)收悉。经审查,现出具审查意见如下。", received,
		 str(f, "subject_title"), str(f, "subject_name"));
	docx_text(d, line);

	docx_heading(d, 1, "一、审查结论");
	docx_paragraph(d);
	snprintf(line, sizeof(line), "%s。", str(detail, "outcome_name"));
	docx_text(d, line);
	if (*str(f, "conclusion_note"))
		docx_text(d, str(f, "conclusion_note"));

	if (json_array_size(opinions)) {
		docx_heading(d, 1, "二、具体意见");
		json_array_foreach (opinions, i, item) {
			docx_paragraph(d);
			if (*str(item, "basis"))
				snprintf(line, sizeof(line), "%zu.%s(依据:%s)", i + 1, str(item, "content"),
					 str(item, "basis"));
			else
				snprintf(line, sizeof(line), "%zu.%s", i + 1, str(item, "content"));
			docx_text(d, line);
		}
	}

	docx_paragraph(d);
	if (!strcmp(outcome, "lawful_after_revision"))
		docx_text(d, "请你单位根据上述意见修改完善后按程序办理,并及时反馈意见采纳情况;未采纳的,请说明理由。");
	else if (!strcmp(outcome, "lawful"))
		docx_text(d, "请你单位按规定程序办理。");
	else if (!strcmp(outcome, "returned"))
		docx_text(d, "请你单位补充完善相关材料后重新送审。");
	else
		docx_text(d, "该事项不得提交审议或者实施。");

	if (json_array_size(reviewers)) {
		size_t n = (size_t)snprintf(line, sizeof(line), "审查人员:");

		json_array_foreach (reviewers, i, item) {
			if (n >= sizeof(line) - 1)
				break;
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s(%s)", i ? "、" : "", str(item, "name"),
					      str(item, "type_name"));
		}
		docx_paragraph(d);
		docx_text(d, line);
	}
	if (*str(f, "signer")) {
		snprintf(line, sizeof(line), "签发人:%s", str(f, "signer"));
		docx_paragraph(d);
		docx_text(d, line);
	}
	docx_signature(d, str(detail, "org_name"), concluded);
	rc = docx_render(d, out, len);
	docx_free(d);
	return rc;
}
