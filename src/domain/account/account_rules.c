/*
 * Permission catalogue, built-in roles and the separation-of-duties rules.
 * Pure data and logic; business modules add their permissions here.
 */
#include <string.h>

#include "account.h"
#include "core/banned.h"

const struct permission_def permission_defs[] = {
	{ "org.read", "查看组织机构", NULL },
	{ "org.manage", "管理组织机构", "system" },
	{ "user.read", "查看用户", NULL },
	{ "user.manage", "管理用户账号", "system" },
	{ "role.read", "查看角色", NULL },
	{ "role.manage", "管理角色与授权", "security" },
	{ "security.manage", "管理安全策略", "security" },
	{ "audit.read", "查看与验证审计日志", "audit" },
	{ PERM_AUDIT_ALL, "查看全平台(所有租户)的审计日志", "audit" },
	{ "pii.reveal", "查看完整个人信息", NULL },
	{ "calendar.manage", "维护节假日安排", "system" },
	{ "reconsideration.read", "查看行政复议案件", NULL },
	{ "reconsideration.handle", "办理行政复议案件", NULL },
	{ "litigation.read", "查看行政应诉案件", NULL },
	{ "litigation.handle", "办理行政应诉案件", NULL },
	{ "report.read", "查看统计指标与年度报告", NULL },
	{ "report.edit", "编写与定稿年度报告", NULL },
	{ "ledger.read", "查看工作台账", NULL },
	{ "ledger.manage", "登记工作台账", NULL },
	{ "review.read", "查看合法性审查", NULL },
	{ "review.submit", "为本单位送请合法性审查", NULL },
	{ "review.handle", "办理合法性审查", NULL },
	{ "normdocs.read", "查看行政规范性文件", NULL },
	{ "normdocs.manage", "管理行政规范性文件登记、备案与清理", NULL },
	{ "decisions.read", "查看重大行政决策", NULL },
	{ "decisions.manage", "管理重大行政决策目录与程序", NULL },
	{ NULL, NULL, NULL },
};

static const char *const perms_sysadmin[] = { "org.read",  "org.manage",      "user.read", "user.manage",
					      "role.read", "calendar.manage", NULL };
static const char *const perms_secadmin[] = { "org.read",    "user.read",	"role.read",
					      "role.manage", "security.manage", NULL };
static const char *const perms_auditadmin[] = { "audit.read", "org.read", "user.read", NULL };
static const char *const perms_platform_auditor[] = { "audit.read", PERM_AUDIT_ALL, "org.read", "user.read",
						     NULL };
static const char *const perms_leader[] = { "org.read",	   "user.read",	  "reconsideration.read", "litigation.read",
					    "report.read", "ledger.read", "review.read",	  "normdocs.read",
					    "decisions.read", NULL };
static const char *const perms_staff[] = {
	"org.read",	   "user.read",		"reconsideration.read", "reconsideration.handle",
	"litigation.read", "litigation.handle", "pii.reveal",		"report.read",
	"report.edit",	   "ledger.read",	"ledger.manage",	"review.read",
	"review.submit",   "review.handle",	"normdocs.read",	"normdocs.manage",
	"decisions.read",  "decisions.manage", NULL
};
static const char *const perms_liaison[] = { "org.read",    "user.read",   "reconsideration.read", "litigation.read",
					     "report.read", "ledger.read", "ledger.manage",	   "review.read",
					     "review.submit", "normdocs.read", "decisions.read", NULL };
static const char *const perms_office[] = { "org.read", "ledger.read", "ledger.manage", NULL };

const struct builtin_role builtin_roles[] = {
	{ "sysadmin", "系统管理员", "all", "system", "管理组织机构和用户账号,不能查看审计日志或修改安全策略",
	  perms_sysadmin },
	{ "secadmin", "安全管理员", "all", "security", "设置密码与锁定策略,管理角色与授权", perms_secadmin },
	{ "auditadmin", "审计管理员", "all", "audit", "只读查看和验证审计日志", perms_auditadmin },
	{ "platform_auditor", "平台审计管理员", "all", "audit",
	  "共享实例的审计管理员,查看所有租户的审计日志;只能在服务器命令行授予", perms_platform_auditor },
	{ "leader", "局领导", "all", NULL, "查看全县各业务数据、看板和报告", perms_leader },
	{ "staff", "司法局业务人员", "all", NULL, "办理本局各条业务线的案件和台账", perms_staff },
	{ "liaison", "法治联络员", "subtree", NULL, "部门或乡镇的法治联络员,只能看到本单位及下级", perms_liaison },
	{ "office", "司法所工作人员", "org", NULL, "司法所工作人员,只能看到本所数据", perms_office },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

const char *const scope_codes[] = { "all", "subtree", "org", "self", NULL };
static const char *const scope_names[] = { "全部数据", "本单位及下级", "本单位", "仅本人" };

const struct permission_def *permission_find(const char *key)
{
	const struct permission_def *p;

	for (p = permission_defs; p->key; p++)
		if (!strcmp(p->key, key))
			return p;
	return NULL;
}

const struct builtin_role *builtin_role_find(const char *code)
{
	const struct builtin_role *r;

	for (r = builtin_roles; r->code; r++)
		if (!strcmp(r->code, code))
			return r;
	return NULL;
}

const char *scope_name(const char *scope)
{
	size_t i;

	for (i = 0; scope_codes[i]; i++)
		if (!strcmp(scope_codes[i], scope))
			return scope_names[i];
	return NULL;
}

json_t *permissions_json(void)
{
	const struct permission_def *p;
	json_t *a = json_array();

	for (p = permission_defs; p->key; p++) {
		json_t *o = json_pack("{s:s,s:s}", "key", p->key, "name", p->name);

		json_object_set_new(o, "admin_kind", p->admin_kind ? json_string(p->admin_kind) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

const char *account_check_custom_role_perms(json_t *perms)
{
	size_t i;
	json_t *v;

	json_array_foreach (perms, i, v) {
		const struct permission_def *p = permission_find(json_string_value(v));

		if (!p)
			return "权限列表中含有未知的权限";
		if (p->admin_kind)
			return "管理员权限只属于内置的三员角色,不能授予自定义角色";
	}
	return NULL;
}
