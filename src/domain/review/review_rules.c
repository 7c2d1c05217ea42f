/*
 * 合法性审查 as data: subject kinds, states, conclusions, review periods by
 * subject kind and the checks a conclusion or an adoption must pass. The
 * action table is in review_api.c beside the effects it names.
 */
#include <string.h>

#include "review.h"
#include "core/banned.h"

const char *const review_subject_kinds[] = { "normative",    "major_decision",	     "contract",
					     "meeting_topic", "enforcement_decision", "other", NULL };
const char *const review_subject_names[] = { "行政规范性文件", "重大行政决策", "政府合同",
					     "常务会议议题",   "重大行政执法决定", "其他", NULL };

const char *const review_adoptions[] = { "adopted", "partly", "not_adopted", NULL };
static const char *const adoption_names[] = { "采纳", "部分采纳", "未采纳" };

const char *const review_reviewer_types[] = { "staff", "legal_advisor", "justice_office", NULL };
static const char *const reviewer_type_names[] = { "审查人员", "法律顾问", "司法所" };

const struct case_state review_states[] = {
	{ "submitted", "已送审待接收", 1 },
	{ "supplementing", "补充材料中", 1 },
	{ "reviewing", "审查中", 1 },
	{ "concluded", "已出具审查意见", 1 },
	{ "closed", "已办结", 0 },
	{ "withdrawn", "已撤回", 0 },
	{ NULL, NULL, 0 },
};

/* The conclusion of a review is its outcome. */
const struct case_outcome review_outcomes[] = {
	{ "lawful", "合法", 0, 0, 0 },
	{ "lawful_after_revision", "修改后合法", 0, 0, 0 },
	{ "unlawful", "不合法", 0, 0, 0 },
	{ "returned", "退回补充", 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0 },
};

/*
 * Review periods, from acceptance, in working days. These are defaults: each
 * tenant may change them (legal_settings.c), as local rules differ.
 */
const struct deadline_rule review_rules[] = {
	{ "review.normative", "规范性文件合法性审核期限", "accepted", 15, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "国办发〔2018〕115号:审核时间一般不少于5个工作日,最长不超过15个工作日(未核对原文,可按本地规定调整)" },
	{ "review.major_decision", "重大行政决策合法性审查期限", "accepted", 15, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "《重大行政决策程序暂行条例》:送请合法性审查一般不少于7个工作日;本地规则多为15个工作日(未核对原文)" },
	{ "review.contract", "政府合同合法性审查期限", "accepted", 10, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "本地政府合同管理规定(常见10个工作日,未核对原文)" },
	{ "review.contract_simple", "政府合同合法性审查期限(简易程序)", "accepted", 5, DEADLINE_WORKING_DAYS, 0, 0,
	  NULL, "本地政府合同管理规定:格式合同、示范文本适用简易程序(未核对原文)" },
	{ "review.meeting_topic", "常务会议议题合法性审查期限", "accepted", 5, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "本地政府工作规则(未核对原文)" },
	{ "review.enforcement_decision", "重大行政执法决定法制审核期限", "accepted", 10, DEADLINE_WORKING_DAYS, 0, 0,
	  NULL, "国办发〔2018〕118号及本地法制审核办法(未核对原文)" },
	{ "review.other", "其他事项合法性审查期限", "accepted", 10, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "本地合法性审查规定(未核对原文)" },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

static const char *name_in(const char *const *codes, const char *const *names, const char *code)
{
	size_t i;

	for (i = 0; code && codes[i]; i++)
		if (!strcmp(codes[i], code))
			return names[i];
	return NULL;
}

const char *review_subject_name(const char *code)
{
	return name_in(review_subject_kinds, review_subject_names, code);
}

const char *review_adoption_name(const char *code)
{
	if (code && !strcmp(code, "pending"))
		return "待反馈";
	return name_in(review_adoptions, adoption_names, code);
}

const char *review_reviewer_type_name(const char *code)
{
	return name_in(review_reviewer_types, reviewer_type_names, code);
}

const char *review_rule_code(const char *subject, int simple)
{
	static const char *const codes[] = { "review.normative",     "review.major_decision",
					     "review.contract",	      "review.meeting_topic",
					     "review.enforcement_decision", "review.other" };
	size_t i;

	for (i = 0; review_subject_kinds[i]; i++)
		if (!strcmp(review_subject_kinds[i], subject))
			break;
	if (!review_subject_kinds[i])
		return "review.other";
	if (simple && !strcmp(subject, "contract"))
		return "review.contract_simple";
	return codes[i];
}

const char *review_simple_allowed(const char *subject)
{
	return subject && !strcmp(subject, "contract") ? NULL : "只有政府合同可以适用简易程序";
}

const char *review_check_conclusion(const char *conclusion, int64_t opinions, int64_t reviewers, const char *note)
{
	if (reviewers < 1)
		return "尚未指定审查人员,不能出具审查意见";
	if (!strcmp(conclusion, "lawful_after_revision") && opinions < 1)
		return "结论为“修改后合法”的,应当至少提出一条修改意见";
	if ((!strcmp(conclusion, "unlawful") || !strcmp(conclusion, "returned")) && (!note || !*note))
		return "结论为“不合法”或“退回补充”的,应当说明理由";
	return NULL;
}

const char *review_check_adoption(const char *adoption, const char *reason)
{
	if (strcmp(adoption, "adopted") && (!reason || !*reason))
		return "部分采纳或未采纳的,应当说明理由";
	return NULL;
}

int review_conclusion_passes(const char *outcome)
{
	return outcome && (!strcmp(outcome, "lawful") || !strcmp(outcome, "lawful_after_revision"));
}
