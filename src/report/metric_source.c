/*
 * The record sources metrics may count, and the fields a definition may
 * filter on, date by or sum. Every SQL fragment is here, fixed; the
 * catalogue only names them.
 */
#include <string.h>

#include "metric.h"
#include "core/banned.h"

static const struct metric_field case_fields[] = {
	{ "kind", "c.kind", MF_TEXT },
	{ "state", "c.state", MF_TEXT },
	{ "outcome", "c.outcome", MF_TEXT },
	{ "corrected", "c.corrected", MF_INT },
	{ "mediated", "c.mediated", MF_INT },
	{ "lost", "c.lost", MF_INT },
	{ "received_date", "c.received_date", MF_DATE },
	{ "accepted_date", "c.accepted_date", MF_DATE },
	{ "decided_date", "c.decided_date", MF_DATE },
	{ "closed_date", "c.closed_date", MF_DATE },
	{ "procedure", "r.procedure", MF_TEXT },
	{ "channel", "r.channel", MF_TEXT },
	{ "opinion_letters", "r.opinion_letters", MF_INT },
	{ "suggestion_letters", "r.suggestion_letters", MF_INT },
	{ "instance", "l.instance", MF_TEXT },
	{ "hearing_held", "l.hearing_held", MF_INT },
	{ "hearing_date", "l.hearing_date", MF_DATE },
	{ "head_appeared", "l.head_appeared", MF_INT },
	{ "appealed", "l.appealed", MF_INT },
	{ "carried_over", "l.carried_over", MF_INT },
	{ NULL, NULL, 0 },
};

static const struct metric_field ledger_fields[] = {
	{ "category", "g.code", MF_TEXT },
	{ "entry_date", "e.entry_date", MF_DATE },
	{ "times", "e.times", MF_INT },
	{ "people", "e.people", MF_INT },
	{ "items", "e.items", MF_INT },
	{ "amount_fen", "e.amount_fen", MF_INT },
	{ NULL, NULL, 0 },
};

static const struct metric_source sources[] = {
	{ "case",
	  "FROM case_file c JOIN org o ON o.id = c.org_id LEFT JOIN reconsideration r ON r.case_id = c.id"
	  " LEFT JOIN litigation l ON l.case_id = c.id",
	  "1 = 1", case_fields },
	{ "ledger",
	  "FROM ledger_entry e JOIN org o ON o.id = e.org_id JOIN ledger_category g ON g.id = e.category_id",
	  "e.status = 'active'", ledger_fields },
};

const struct metric_source *metric_source_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(sources) / sizeof(sources[0]); i++)
		if (!strcmp(sources[i].name, name))
			return &sources[i];
	return NULL;
}

const struct metric_field *metric_field_find(const struct metric_source *s, const char *name)
{
	const struct metric_field *f;

	for (f = s->fields; name && f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}
