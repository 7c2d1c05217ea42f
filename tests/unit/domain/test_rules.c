/* Unit tests for the pure rules of the foundation modules: password
 * policy, org kinds and division codes, the permission catalogue and the
 * separation of the three administrators. No database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/account/account.h"
#include "domain/account/policy.h"
#include "domain/org/org.h"

static const struct security_policy defaults = { 10, 3, 5, 15, 30, 12, 0 };

static void test_password_policy(void **state)
{
	char buf[160];

	(void)state;
	assert_null(policy_check_password(&defaults, "zhang", "Jiashan#2026", buf, sizeof(buf)));
	assert_string_equal(policy_check_password(&defaults, "zhang", "Js#2026", buf, sizeof(buf)),
			    "密码长度至少为10个字符");
	assert_string_equal(policy_check_password(&defaults, "zhang", "jiashan2026", buf, sizeof(buf)),
			    "密码应至少包含大写字母、小写字母、数字、符号中的3类");
	assert_string_equal(policy_check_password(&defaults, "zhang", "Azhang#2026", buf, sizeof(buf)),
			    "密码不能包含用户名");
	assert_string_equal(policy_check_password(&defaults, "zhang", "ZHANGsan#2026", buf, sizeof(buf)),
			    "密码不能包含用户名");
	/* Chinese characters count as characters (and as the symbol class). */
	assert_null(policy_check_password(&defaults, "li", "司法局法治政府建设a1", buf, sizeof(buf)));
	assert_string_equal(policy_check_password(&defaults, "li", "司法局a1", buf, sizeof(buf)), "密码长度至少为10个字符");
}

static void test_org_kinds(void **state)
{
	json_t *kinds;
	size_t i;

	(void)state;
	assert_string_equal(org_kind_name("justice_office"), "司法所");
	assert_string_equal(org_kind_name("town"), "乡镇街道");
	assert_null(org_kind_name("castle"));
	kinds = org_kinds_json();
	for (i = 0; org_kind_codes[i]; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(kinds, i), "code")),
				    org_kind_codes[i]);
	assert_int_equal(json_array_size(kinds), i);
	json_decref(kinds);
	assert_null(org_check_division_code(""));
	assert_null(org_check_division_code("330421"));
	assert_null(org_check_division_code("330421103"));
	assert_non_null(org_check_division_code("33042"));
	assert_non_null(org_check_division_code("990421"));
}

static void test_admin_permissions_are_partitioned(void **state)
{
	const struct builtin_role *r;
	const struct permission_def *p;

	(void)state;
	/* Each admin role holds only permissions of its own kind or none. */
	for (r = builtin_roles; r->code; r++) {
		const char *const *perm;

		for (perm = r->perms; *perm; perm++) {
			p = permission_find(*perm);
			assert_non_null(p);
			if (p->admin_kind) {
				assert_non_null(r->admin_kind);
				assert_string_equal(p->admin_kind, r->admin_kind);
			}
		}
	}
	/* The system admin cannot read audit or change security; the audit admin changes nothing. */
	assert_non_null(builtin_role_find("sysadmin"));
	for (r = builtin_roles; r->code; r++) {
		const char *const *perm;
		int audit = 0, security = 0, manage = 0;

		for (perm = r->perms; *perm; perm++) {
			audit |= !strcmp(*perm, "audit.read");
			security |= !strcmp(*perm, "security.manage") || !strcmp(*perm, "role.manage");
			manage |= !strcmp(*perm, "user.manage") || !strcmp(*perm, "org.manage");
		}
		assert_true(audit + security + manage <= 1);
	}
}

static void test_custom_roles_cannot_hold_admin_permissions(void **state)
{
	json_t *ok = json_pack("[s,s]", "org.read", "user.read");
	json_t *admin = json_pack("[s,s]", "org.read", "audit.read");
	json_t *unknown = json_pack("[s]", "root.everything");

	(void)state;
	assert_null(account_check_custom_role_perms(ok));
	assert_string_equal(account_check_custom_role_perms(admin), "管理员权限只属于内置的三员角色,不能授予自定义角色");
	assert_string_equal(account_check_custom_role_perms(unknown), "权限列表中含有未知的权限");
	json_decref(ok);
	json_decref(admin);
	json_decref(unknown);
	assert_string_equal(scope_name("subtree"), "本单位及下级");
	assert_null(scope_name("galaxy"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_org_kinds),
		cmocka_unit_test(test_admin_permissions_are_partitioned),
		cmocka_unit_test(test_custom_roles_cannot_hold_admin_permissions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
