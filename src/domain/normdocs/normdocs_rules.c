/*
 * 行政规范性文件 as data: statuses, the filing and validity deadlines, cleanup
 * decisions and what they do, registration numbers, and the checks of the
 * public comment period. The action table is in normdocs_api.c.
 */
#include <stdio.h>
#include <string.h>

#include "normdocs.h"
#include "core/calendar.h"
#include "core/banned.h"

const struct case_state normdoc_states[] = {
	{ "effective", "有效", 1 },
	{ "to_amend", "拟修改", 1 },
	{ "amended", "已修改", 1 },
	{ "repealed", "废止", 0 },
	{ "expired", "失效", 0 },
	{ NULL, NULL, 0 },
};

/*
 * The filing period is a default each tenant may change (legal_settings.c);
 * the validity term is each document's own (the rule's length is nominal).
 */
const struct deadline_rule normdoc_rules[] = {
	{ "normdoc.filing", "报送备案期限", "issued", 15, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "《浙江省行政规范性文件管理办法》(省政府令第372号):自公布之日起按规定报送备案(期限未核对原文,可按本地规定调整)" },
	{ "normdoc.expiry", "有效期届满", "effective", 1825, DEADLINE_CALENDAR_DAYS, 0, 0, NULL,
	  "《浙江省行政规范性文件管理办法》:载明有效期的,届满前应当评估,需要继续执行的重新公布,未重新公布的不得作为行政管理依据" },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

const char *const normdoc_cleanup_decisions[] = { "keep", "amend", "repeal", "expire", NULL };
static const char *const decision_names[] = { "继续有效", "拟修改", "废止", "宣布失效" };
static const char *const decision_targets[] = { "effective", "to_amend", "repealed", "expired" };

static int decision_index(const char *decision)
{
	int i;

	for (i = 0; decision && normdoc_cleanup_decisions[i]; i++)
		if (!strcmp(normdoc_cleanup_decisions[i], decision))
			return i;
	return -1;
}

const char *normdoc_cleanup_decision_name(const char *decision)
{
	int i = decision_index(decision);

	return i < 0 ? NULL : decision_names[i];
}

const char *normdoc_cleanup_target(const char *decision, const char *state)
{
	int i = decision_index(decision);

	if (i == 0 && state && strcmp(state, "to_amend"))
		return state;
	return i < 0 ? NULL : decision_targets[i];
}

int normdoc_is_current(const char *state)
{
	return state && (!strcmp(state, "effective") || !strcmp(state, "to_amend") || !strcmp(state, "amended"));
}

void normdoc_format_number(char *out, size_t outlen, const char *prefix, int year, int64_t seq)
{
	snprintf(out, outlen, "%s-%04d-%04lld", prefix, year, (long long)seq);
}

const char *normdoc_check_number(const char *s)
{
	const char *dash = s ? strchr(s, '-') : NULL, *p;
	size_t i;

	if (!dash || dash == s || dash - s > 16)
		return "登记号格式应为“前缀-年份-序号”,如 JSDR-2021-0012";
	for (p = s; p < dash; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return "登记号前缀应为大写字母或数字";
	for (i = 1; i <= 4; i++)
		if (dash[i] < '0' || dash[i] > '9')
			return "登记号格式应为“前缀-年份-序号”,如 JSDR-2021-0012";
	if (dash[5] != '-' || !dash[6] || strlen(dash + 6) > 6)
		return "登记号格式应为“前缀-年份-序号”,如 JSDR-2021-0012";
	for (p = dash + 6; *p; p++)
		if (*p < '0' || *p > '9')
			return "登记号的序号应为数字";
	return NULL;
}

const char *normdoc_comment_warning(const struct calendar *cal, int start, int end, int affects_business,
				    int min_days, int min_working, int *days, int *working, char *buf, size_t buflen)
{
	int w = 0;

	*days = date_diff_days(start, end) + 1;
	*working = calendar_working_days_between(cal, date_add_days(start, -1), end, &w) == 0 ? w : -1;
	if (affects_business) {
		if (*days >= min_days)
			return NULL;
		snprintf(buf, buflen, "涉及市场主体生产经营的规范性文件,公开征求意见%d日,少于%d日", *days, min_days);
		return buf;
	}
	if (*working < 0 || *working >= min_working)
		return NULL;
	snprintf(buf, buflen, "公开征求意见%d个工作日,少于%d个工作日", *working, min_working);
	return buf;
}

int normdoc_filing_due(const struct calendar *cal, int issued, int working_days, int *due)
{
	struct deadline_rule r = normdoc_rules[0];

	r.length = working_days;
	return deadline_compute(&r, cal, issued, NULL, 0, 0, due);
}
