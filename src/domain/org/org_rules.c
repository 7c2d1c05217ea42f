/* Org kinds and field checks: pure rules, unit-tested without a database. */
#include <string.h>

#include "org.h"
#include "core/validate.h"
#include "core/banned.h"

/* Kind codes and, at the same index, their Chinese names. */
const char *const org_kind_codes[] = {
	"government", "party", "justice_bureau", "department", "section", "town", "justice_office", "village",
	"court", "other", NULL,
};

static const char *const org_kind_names[] = {
	"政府", "党委", "司法局", "部门", "内设机构", "乡镇街道", "司法所", "村社区", "法院", "其他",
};

const char *org_kind_name(const char *kind)
{
	size_t i;

	for (i = 0; org_kind_codes[i]; i++)
		if (!strcmp(org_kind_codes[i], kind))
			return org_kind_names[i];
	return NULL;
}

json_t *org_kinds_json(void)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; org_kind_codes[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "code", org_kind_codes[i], "name", org_kind_names[i]));
	return a;
}

const char *org_check_division_code(const char *code)
{
	const char *msg = NULL;
	char out[16];

	if (!*code)
		return NULL;
	return validate_division_code(code, out, sizeof(out), &msg) < 0 ? msg : NULL;
}
