/* The list of modules whose route tables the server serves. */
#include <stddef.h>

#include "modules.h"
#include "account/account.h"
#include "audit/audit.h"
#include "org/org.h"
#include "core/banned.h"

const struct module *const fazhi_modules[] = {
	&session_module, &user_module, &role_module, &org_module, &audit_module, NULL,
};
