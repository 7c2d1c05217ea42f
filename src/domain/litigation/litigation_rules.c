/* 行政应诉 as data: states, judgment types with 败诉 flags, time limits (《行政诉讼法》). */
#include "litigation.h"
#include "core/banned.h"

const char *const litigation_instances[] = { "first", "second", "retrial", NULL };

const struct case_state litigation_states[] = {
	{ "pending", "应诉中", 1 },
	{ "judged", "已裁判", 1 },
	{ "closed", "已结案", 0 },
	{ NULL, NULL, 0 },
};

/* 败诉: the court changed, revoked, confirmed illegal or invalid, or ordered performance. */
const struct case_outcome litigation_outcomes[] = {
	{ "reject_claims", "驳回诉讼请求", 0, 0, 0 },
	{ "revoke", "撤销", 0, 0, 1 },
	{ "partial_revoke", "部分撤销", 0, 0, 1 },
	{ "confirm_illegal", "确认违法", 0, 0, 1 },
	{ "confirm_invalid", "确认无效", 0, 0, 1 },
	{ "order_perform", "责令履行", 0, 0, 1 },
	{ "change", "变更", 0, 0, 1 },
	{ "withdrawn", "原告撤诉", 0, 1, 0 },
	{ "mediation", "调解", 0, 1, 0 },
	{ "dismiss", "驳回起诉", 0, 0, 0 },
	{ "other", "其他", 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0 },
};

const struct deadline_rule litigation_rules[] = {
	{ "litigation.answer", "提交答辩状期限", "served", 15, DEADLINE_CALENDAR_DAYS, 0, 0, NULL,
	  "《行政诉讼法》第六十七条" },
	{ "litigation.appeal_judgment", "判决上诉期限", "judged", 15, DEADLINE_CALENDAR_DAYS, 0, 0, NULL,
	  "《行政诉讼法》第八十五条" },
	{ "litigation.appeal_ruling", "裁定上诉期限", "judged", 10, DEADLINE_CALENDAR_DAYS, 0, 0, NULL,
	  "《行政诉讼法》第八十五条" },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};
