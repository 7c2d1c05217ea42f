/* The table and id-column description of migrate_map.h, read from the migrations in sql/. */
#include <string.h>

#include "migrate_map.h"
#include "core/util.h"
#include "core/banned.h"

const struct mig_table mig_tables[] = {
	{ "org", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "role", MIG_DICT, "code", "name,scope,admin_kind", "角色", "tenant_id" },
	{ "role_permission", MIG_DICT_SET, "role_id", "permission", NULL, NULL },
	{ "app_user", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "user_role", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "session", MIG_SKIP, NULL, NULL, NULL, NULL },
	{ "setting", MIG_INSTANCE, NULL, NULL, NULL, NULL },
	{ "audit_head", MIG_SKIP, NULL, NULL, NULL, NULL },
	{ "audit_log", MIG_AUDIT, NULL, NULL, NULL, NULL },
	{ "calendar_year", MIG_INSTANCE, NULL, NULL, NULL, NULL },
	{ "calendar_day", MIG_INSTANCE, NULL, NULL, NULL, NULL },
	{ "case_file", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "case_counter", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "reconsideration", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "litigation", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "case_party", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "case_event", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "case_deadline", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "case_pause", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "case_attachment", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "case_note", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "ledger_category", MIG_DICT, "code", "name", "台账类别", NULL },
	{ "ledger_entry", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "ledger_attachment", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "report", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "report_section", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "report_figure", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "legal_setting", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "review", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "review_reviewer", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "review_opinion", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "normdoc", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "normdoc_cleanup", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "normdoc_cleanup_item", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "decision_catalogue", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "decision", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "decision_step", MIG_TENANT, NULL, NULL, NULL, NULL },
	{ "audit_import", MIG_SKIP, NULL, NULL, NULL, NULL },   /* a county database holds none (checked) */
	{ "audit_import_log", MIG_SKIP, NULL, NULL, NULL, NULL },
	{ "schema_version", MIG_SKIP, NULL, NULL, NULL, NULL },
	/* Derived (sql/0010): built on the target from the rows moved (migrate_summary.h). */
	{ "case_summary", MIG_SKIP, NULL, NULL, NULL, NULL },
	{ "ledger_summary", MIG_SKIP, NULL, NULL, NULL, NULL },
};
const size_t mig_ntables = ARRAY_SIZE(mig_tables);

static const struct mig_col cols[] = {
	{ "org", "parent_id", "org" },
	{ "org", "path", "path" },
	{ "role", "tenant_id", "org" },
	{ "role_permission", "role_id", "role" },
	{ "app_user", "org_id", "org" },
	{ "user_role", "user_id", "app_user" },
	{ "user_role", "role_id", "role" },
	{ "calendar_year", "updated_by", "app_user" },
	{ "case_file", "org_id", "org" },
	{ "case_file", "party_org_id", "org" },
	{ "case_file", "handler_id", "app_user" },
	{ "case_file", "created_by", "app_user" },
	{ "case_counter", "org_id", "org" },
	{ "reconsideration", "case_id", "case_file" },
	{ "litigation", "case_id", "case_file" },
	{ "litigation", "previous_case_id", "case_file" },
	{ "case_party", "case_id", "case_file" },
	{ "case_party", "org_id", "org" },
	{ "case_party", "id_number_enc", "pii" },
	{ "case_party", "id_number_bidx", "pii_index:id_number_enc" },
	{ "case_party", "phone_enc", "pii" },
	{ "case_party", "address_enc", "pii" },
	{ "case_event", "case_id", "case_file" },
	{ "case_event", "actor_id", "app_user" },
	{ "case_deadline", "case_id", "case_file" },
	{ "case_pause", "case_id", "case_file" },
	{ "case_attachment", "case_id", "case_file" },
	{ "case_attachment", "uploaded_by", "app_user" },
	{ "case_note", "case_id", "case_file" },
	{ "case_note", "author_id", "app_user" },
	{ "ledger_entry", "org_id", "org" },
	{ "ledger_entry", "category_id", "ledger_category" },
	{ "ledger_entry", "created_by", "app_user" },
	{ "ledger_attachment", "entry_id", "ledger_entry" },
	{ "ledger_attachment", "uploaded_by", "app_user" },
	{ "report", "org_id", "org" },
	{ "report", "frozen_by", "app_user" },
	{ "report", "created_by", "app_user" },
	{ "report_section", "report_id", "report" },
	{ "report_section", "updated_by", "app_user" },
	{ "report_figure", "report_id", "report" },
	{ "legal_setting", "tenant_id", "org" },
	{ "legal_setting", "updated_by", "app_user" },
	{ "review", "case_id", "case_file" },
	{ "review_reviewer", "case_id", "case_file" },
	{ "review_reviewer", "user_id", "app_user" },
	{ "review_reviewer", "org_id", "org" },
	{ "review_opinion", "case_id", "case_file" },
	{ "review_opinion", "created_by", "app_user" },
	{ "normdoc", "case_id", "case_file" },
	{ "normdoc", "review_case_id", "case_file" },
	{ "normdoc_cleanup", "org_id", "org" },
	{ "normdoc_cleanup", "published_by", "app_user" },
	{ "normdoc_cleanup", "created_by", "app_user" },
	{ "normdoc_cleanup_item", "batch_id", "normdoc_cleanup" },
	{ "normdoc_cleanup_item", "doc_id", "case_file" },
	{ "normdoc_cleanup_item", "decided_by", "app_user" },
	{ "decision_catalogue", "org_id", "org" },
	{ "decision_catalogue", "created_by", "app_user" },
	{ "decision", "case_id", "case_file" },
	{ "decision", "catalogue_id", "decision_catalogue" },
	{ "decision", "review_case_id", "case_file" },
	{ "decision_step", "case_id", "case_file" },
	{ "decision_step", "updated_by", "app_user" },
};

const struct mig_table *mig_table_find(const char *name)
{
	size_t i;

	for (i = 0; i < mig_ntables; i++)
		if (!strcmp(mig_tables[i].name, name))
			return &mig_tables[i];
	return NULL;
}

const char *mig_col_ref(const char *table, const char *column)
{
	size_t i;

	if (!strcmp(column, "id"))
		return table; /* a row's own id */
	for (i = 0; i < ARRAY_SIZE(cols); i++)
		if (!strcmp(cols[i].table, table) && !strcmp(cols[i].column, column))
			return cols[i].ref;
	return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

int mig_col_looks_like_id(const char *column)
{
	return !strcmp(column, "id") || !strcmp(column, "path") || ends_with(column, "_id") ||
	       ends_with(column, "_by") || ends_with(column, "_enc") || ends_with(column, "_bidx");
}
