/*
 * 重大行政决策 as data: the statutory steps, states, outcomes of the
 * collective discussion, categories, evaluation triggers, and the two
 * checks the procedure enforces (the gate before collective discussion,
 * the public comment period). The action table is in decisions_api.c.
 */
#include <stdio.h>
#include <string.h>

#include "decisions.h"
#include "core/calendar.h"
#include "core/banned.h"

const struct decision_step_def decision_steps[] = {
	{ "participation", "公众参与", 1, 1 },
	{ "expert", "专家论证", 1, 1 },
	{ "risk", "风险评估", 1, 1 },
	{ "legality", "合法性审查", 0, 1 },
	{ "discussion", "集体讨论决定", 0, 0 },
	{ "publication", "决策公布", 1, 0 },
	{ "archive", "立卷归档", 0, 0 },
	{ "evaluation", "决策后评估", 1, 0 },
	{ NULL, NULL, 0, 0 },
};

const struct case_state decision_states[] = {
	{ "preparing", "履行决策程序中", 1 },
	{ "decided", "已作出决定", 1 },
	{ "implementing", "已公布实施", 1 },
	{ "archived", "已立卷归档", 0 },
	{ "not_adopted", "未通过", 0 },
	{ "withdrawn", "已调出目录", 0 },
	{ NULL, NULL, 0 },
};

const struct case_outcome decision_outcomes[] = {
	{ "adopted", "通过", 0, 0, 0 },
	{ "adopted_with_changes", "修改后通过", 0, 0, 0 },
	{ "rejected", "不予通过", 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0 },
};

/* 条例 Art. 3. */
const char *const decision_categories[] = { "public_policy", "planning", "resources", "construction", "other", NULL };
static const char *const category_names[] = { "重大公共政策和措施", "重要规划", "重要自然资源和文化资源开发利用",
					      "重大公共建设项目", "其他重大事项" };

/* 条例 Art. 36, and the local rules' change of basis (重庆, 山东). */
const char *const decision_eval_triggers[] = { "ineffective", "many_opinions", "deemed_necessary", "basis_changed",
					       "other", NULL };
static const char *const trigger_names[] = { "实施后明显未达到预期效果", "公民、法人或者其他组织提出较多意见",
					     "决策机关认为有必要", "所依据的法律、政策或者客观情况发生重大变化", "其他" };

static const char *name_in(const char *const *codes, const char *const *names, const char *code)
{
	size_t i;

	for (i = 0; code && codes[i]; i++)
		if (!strcmp(codes[i], code))
			return names[i];
	return NULL;
}

const struct decision_step_def *decision_step_find(const char *code)
{
	const struct decision_step_def *s;

	for (s = decision_steps; code && s->code; s++)
		if (!strcmp(s->code, code))
			return s;
	return NULL;
}

const char *decision_category_name(const char *code)
{
	return name_in(decision_categories, category_names, code);
}

const char *decision_eval_trigger_name(const char *code)
{
	return name_in(decision_eval_triggers, trigger_names, code);
}

const char *decision_step_status_name(const char *status)
{
	static const char *const codes[] = { "pending", "done", "not_applicable", NULL };
	static const char *const names[] = { "未完成", "已完成", "不适用" };

	return name_in(codes, names, status);
}

const char *decisions_discussion_gate(const char *const *statuses, const char *review_outcome, const char **code,
				      char *buf, size_t buflen)
{
	size_t i, n = 0;

	if (!review_outcome) {
		*code = "LEGALITY_REVIEW_MISSING";
		return "未经合法性审查的重大行政决策,不得提交集体讨论决定:请先送请合法性审查并关联审查案件";
	}
	if (!*review_outcome) {
		*code = "LEGALITY_REVIEW_PENDING";
		return "合法性审查尚未作出结论,不得提交集体讨论决定";
	}
	if (strcmp(review_outcome, "lawful") && strcmp(review_outcome, "lawful_after_revision")) {
		*code = "LEGALITY_REVIEW_FAILED";
		snprintf(buf, buflen, "合法性审查结论为“%s”,不得提交集体讨论决定;应当修改完善后重新送请合法性审查",
			 !strcmp(review_outcome, "unlawful") ? "不合法" : "退回补充");
		return buf;
	}
	{
		char steps[256] = "";

		for (i = 0; decision_steps[i].code && n < sizeof(steps); i++) {
			if (!decision_steps[i].before_discussion || !strcmp(decision_steps[i].code, "legality") ||
			    strcmp(statuses[i], "pending"))
				continue;
			n += (size_t)snprintf(steps + n, sizeof(steps) - n, "%s%s", n ? "、" : "", decision_steps[i].name);
		}
		if (!n)
			return NULL;
		*code = "STEPS_PENDING";
		snprintf(buf, buflen, "以下法定程序尚未完成,也未说明不适用的理由,不得提交集体讨论决定:%s", steps);
	}
	return buf;
}

const char *decisions_check_comment(int start, int end, int min_days, const char *reason, char *buf, size_t buflen)
{
	int days = date_diff_days(start, end) + 1;

	if (end < start)
		return "征求意见截止日期不能早于开始日期";
	if (days >= min_days || (reason && *reason))
		return NULL;
	snprintf(buf, buflen, "公开征求意见%d日,少于%d日的应当说明理由", days, min_days);
	return buf;
}
