/*
 * 行政复议 as data: states, decision types with what the reports count,
 * statutory time limits (《行政复议法》2023), and the simple-procedure test.
 * The action table (which action in which state) is in reconsideration_api.c
 * beside the effects it names.
 */
#include <string.h>

#include "reconsideration.h"
#include "core/banned.h"

const char *const reconsideration_channels[] = { "in_person", "mail", "online", "other", NULL };

const struct case_state reconsideration_states[] = {
	{ "registered", "已登记待审查", 1 },
	{ "correction", "补正中", 1 },
	{ "accepted", "审理中", 1 },
	{ "suspended", "中止审理", 1 },
	{ "decided", "已作出决定", 1 },
	{ "terminated", "已终止", 1 },
	{ "closed", "已结案", 0 },
	{ "not_accepted", "不予受理", 0 },
	{ "abandoned", "补正逾期视为放弃", 0 },
	{ NULL, NULL, 0 },
};

/* Art. 63-73. 纠错 = 变更, 撤销, 部分撤销, 确认违法, 责令履行, 确认无效. */
const struct case_outcome reconsideration_outcomes[] = {
	{ "change", "变更", 1, 0, 0 },
	{ "revoke", "撤销", 1, 0, 0 },
	{ "partial_revoke", "部分撤销", 1, 0, 0 },
	{ "confirm_illegal", "确认违法", 1, 0, 0 },
	{ "order_perform", "责令履行", 1, 0, 0 },
	{ "confirm_invalid", "确认无效", 1, 0, 0 },
	{ "uphold", "维持", 0, 0, 0 },
	{ "reject", "驳回复议请求", 0, 0, 0 },
	{ "mediation", "调解", 0, 1, 0 },
	{ "settlement_withdrawal", "和解/撤回", 0, 1, 0 },
	{ "other_termination", "其他终止", 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0 },
};

const struct deadline_rule reconsideration_rules[] = {
	{ "reconsideration.accept", "受理审查期限", "received", 5, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "《行政复议法》第三十条" },
	{ "reconsideration.supplement", "申请人补正期限", "correction", 10, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "《行政复议法》第三十一条" },
	{ "reconsideration.copy", "发送申请书副本期限", "accepted", 7, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "《行政复议法》第四十八条" },
	{ "reconsideration.copy_simple", "发送申请书副本期限(简易程序)", "accepted", 3, DEADLINE_WORKING_DAYS, 0, 0,
	  NULL, "《行政复议法》第五十四条" },
	{ "reconsideration.answer", "被申请人答复期限", "copy_sent", 10, DEADLINE_WORKING_DAYS, 0, 0, NULL,
	  "《行政复议法》第四十八条" },
	{ "reconsideration.answer_simple", "被申请人答复期限(简易程序)", "copy_sent", 5, DEADLINE_WORKING_DAYS, 0, 0,
	  NULL, "《行政复议法》第五十四条" },
	{ "reconsideration.decision", "复议决定期限", "accepted", 60, DEADLINE_CALENDAR_DAYS, 1, 30,
	  "行政复议机构负责人", "《行政复议法》第六十二条" },
	{ "reconsideration.decision_simple", "复议决定期限(简易程序)", "accepted", 30, DEADLINE_CALENDAR_DAYS, 1, 0,
	  NULL, "《行政复议法》第六十二条" },
	{ "reconsideration.opinion_reply", "意见书落实情况反馈期限", "opinion_issued", 60, DEADLINE_CALENDAR_DAYS, 0, 0,
	  NULL, "《行政复议法》第七十六条" },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

/* Art. 53: the grounds for the simple procedure. */
const char *const reconsideration_simple_bases[] = {
	"on_the_spot",	   /* 当场作出的行政行为 */
	"warning",	   /* 警告或者通报批评 */
	"small_amount",	   /* 案件涉及款额三千元以下 */
	"info_disclosure", /* 政府信息公开案件 */
	"consent",	   /* 当事人各方同意适用简易程序 */
	NULL,
};

const char *reconsideration_simple_allowed(const char *basis, int64_t amount_yuan, int consent)
{
	size_t i;

	for (i = 0; reconsideration_simple_bases[i]; i++)
		if (basis && !strcmp(basis, reconsideration_simple_bases[i]))
			break;
	if (!basis || !reconsideration_simple_bases[i])
		return "适用简易程序须说明《行政复议法》第五十三条规定的情形";
	if (!strcmp(basis, "small_amount") && (amount_yuan <= 0 || amount_yuan > 3000))
		return "以“涉及款额三千元以下”适用简易程序时,涉案金额须为1至3000元";
	if (!strcmp(basis, "consent") && !consent)
		return "以“当事人各方同意”适用简易程序时,须确认各方已同意";
	return NULL;
}
