/* The list of modules whose route tables the server serves. */
#include <stddef.h>

#include "modules.h"
#include "account/account.h"
#include "audit/audit.h"
#include "cases/case.h"
#include "decisions/decisions.h"
#include "ledger/ledger.h"
#include "litigation/litigation.h"
#include "normdocs/normdocs.h"
#include "org/org.h"
#include "reconsideration/reconsideration.h"
#include "review/review.h"
#include "report/metric.h"
#include "report/report.h"
#include "core/banned.h"

const struct module *const fazhi_modules[] = {
	&session_module,	 &user_module,	     &role_module,     &org_module, &audit_module, &case_module,
	&reconsideration_module, &litigation_module, &calendar_module,
	&enforcement_application_module, &metric_module, &ledger_module, &report_module, &import_module,
	&review_module, &legal_settings_module, &normdocs_module, &normdocs_cleanup_module, &decisions_module, NULL,
};

/* Every case-like business line, for the generic case API. */
const struct case_kind *const case_kinds[] = { &reconsideration_kind, &litigation_kind, &enforcement_application_kind,
					       &review_kind,	      &normdoc_kind,	&decision_kind,
					       NULL };
