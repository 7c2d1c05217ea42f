/*
 * The record sources metrics may count, and the fields a definition may
 * filter on, date by or sum. Every SQL fragment is here, fixed; the
 * catalogue only names them.
 */
#include <string.h>

#include "metric.h"
#include "core/banned.h"

/* The kind tables of 行政复议 and 行政应诉: at most one row per case, joined only for their fields. */
#define RECON_JOIN "LEFT JOIN reconsideration r ON r.case_id = c.id"
#define LIT_JOIN "LEFT JOIN litigation l ON l.case_id = c.id"

static const struct metric_field case_fields[] = {
	{ "kind", "c.kind", MF_TEXT, NULL },
	{ "state", "c.state", MF_TEXT, NULL },
	{ "outcome", "c.outcome", MF_TEXT, NULL },
	{ "corrected", "c.corrected", MF_INT, NULL },
	{ "mediated", "c.mediated", MF_INT, NULL },
	{ "lost", "c.lost", MF_INT, NULL },
	{ "received_date", "c.received_date", MF_DATE, NULL },
	{ "accepted_date", "c.accepted_date", MF_DATE, NULL },
	{ "decided_date", "c.decided_date", MF_DATE, NULL },
	{ "closed_date", "c.closed_date", MF_DATE, NULL },
	{ "procedure", "r.procedure", MF_TEXT, RECON_JOIN },
	{ "channel", "r.channel", MF_TEXT, RECON_JOIN },
	{ "opinion_letters", "r.opinion_letters", MF_INT, RECON_JOIN },
	{ "suggestion_letters", "r.suggestion_letters", MF_INT, RECON_JOIN },
	{ "instance", "l.instance", MF_TEXT, LIT_JOIN },
	{ "hearing_held", "l.hearing_held", MF_INT, LIT_JOIN },
	{ "hearing_date", "l.hearing_date", MF_DATE, LIT_JOIN },
	{ "head_appeared", "l.head_appeared", MF_INT, LIT_JOIN },
	{ "appealed", "l.appealed", MF_INT, LIT_JOIN },
	{ "carried_over", "l.carried_over", MF_INT, LIT_JOIN },
	{ NULL, NULL, 0, NULL },
};

static const struct metric_field ledger_fields[] = {
	{ "category", "g.code", MF_TEXT, NULL },
	{ "entry_date", "e.entry_date", MF_DATE, NULL },
	{ "times", "e.times", MF_INT, NULL },
	{ "people", "e.people", MF_INT, NULL },
	{ "items", "e.items", MF_INT, NULL },
	{ "amount_fen", "e.amount_fen", MF_INT, NULL },
	{ NULL, NULL, 0, NULL },
};

/* 合法性审查 cases: the reviewing organ's tree; opinions counted per case (withdrawn ones never). */
#define REVIEW_OPINIONS(cond)                                                                                          \
	"(SELECT COUNT(*) FROM review_opinion x WHERE x.case_id = c.id AND x.status = 'active'" cond ")"
static const struct metric_field review_fields[] = {
	{ "subject_kind", "rv.subject_kind", MF_TEXT, NULL },
	{ "procedure", "rv.procedure", MF_TEXT, NULL },
	{ "state", "c.state", MF_TEXT, NULL },
	{ "conclusion", "c.outcome", MF_TEXT, NULL },
	{ "received_date", "c.received_date", MF_DATE, NULL },
	{ "accepted_date", "c.accepted_date", MF_DATE, NULL },
	{ "concluded_date", "c.decided_date", MF_DATE, NULL },
	{ "closed_date", "c.closed_date", MF_DATE, NULL },
	{ "item_count", "rv.item_count", MF_INT, NULL },
	{ "opinions", REVIEW_OPINIONS(""), MF_INT, NULL },
	{ "opinions_adopted", REVIEW_OPINIONS(" AND x.adoption IN ('adopted', 'partly')"), MF_INT, NULL },
	{ "opinions_fully_adopted", REVIEW_OPINIONS(" AND x.adoption = 'adopted'"), MF_INT, NULL },
	{ "opinions_partly_adopted", REVIEW_OPINIONS(" AND x.adoption = 'partly'"), MF_INT, NULL },
	{ "opinions_not_adopted", REVIEW_OPINIONS(" AND x.adoption = 'not_adopted'"), MF_INT, NULL },
	{ NULL, NULL, 0, NULL },
};

/* 行政规范性文件: the issuing organ's tree; on time = filed by the filing deadline's due date. */
static const struct metric_field normdoc_fields[] = {
	{ "state", "c.state", MF_TEXT, NULL },
	{ "issued_date", "c.received_date", MF_DATE, NULL },
	{ "effective_date", "n.effective_date", MF_DATE, NULL },
	{ "expiry_date", "n.expiry_date", MF_DATE, NULL },
	{ "closed_date", "c.closed_date", MF_DATE, NULL },
	{ "affects_business", "n.affects_business", MF_INT, NULL },
	{ "filed_date", "n.filed_date", MF_DATE, NULL },
	{ "filing_result", "n.filing_result", MF_TEXT, NULL },
	{ "filing_result_date", "n.filing_result_date", MF_DATE, NULL },
	{ "filing_opinions", "n.filing_opinions", MF_INT, NULL },
	{ "filed_on_time",
	  "(SELECT CASE WHEN d.met_date <= d.due_date THEN 1 ELSE 0 END FROM case_deadline d WHERE d.case_id = c.id"
	  " AND d.rule = 'normdoc.filing' AND d.status = 'met' ORDER BY d.id DESC LIMIT 1)",
	  MF_INT, NULL },
	{ NULL, NULL, 0, NULL },
};

/* Items of published cleanup batches, in the tree of the org that cleaned. */
static const struct metric_field normdoc_cleanup_fields[] = {
	{ "decision", "i.decision", MF_TEXT, NULL },
	{ "published_date", "b.published_date", MF_DATE, NULL },
	{ NULL, NULL, 0, NULL },
};

/* 重大行政决策: the deciding government's tree. */
#define DECISION_STEP_DATE(step)                                                                                       \
	"(SELECT s.step_date FROM decision_step s WHERE s.case_id = c.id AND s.step = '" step "' AND s.status = 'done')"
static const struct metric_field decision_fields[] = {
	{ "state", "c.state", MF_TEXT, NULL },
	{ "outcome", "c.outcome", MF_TEXT, NULL },
	{ "category", "d.category", MF_TEXT, NULL },
	{ "listed_date", "c.received_date", MF_DATE, NULL },
	{ "decided_date", "c.decided_date", MF_DATE, NULL },
	{ "published_date", DECISION_STEP_DATE("publication"), MF_DATE, NULL },
	{ "archived_date", DECISION_STEP_DATE("archive"), MF_DATE, NULL },
	{ "evaluated_date", DECISION_STEP_DATE("evaluation"), MF_DATE, NULL },
	{ NULL, NULL, 0, NULL },
};

/*
 * The summary tables of sql/0010 (kept exact by triggers): the fields each
 * keeps, under the same names as the records' fields. A date field's expr
 * is unused (its rows are found by field name and year); integer columns
 * hold -1 where the record's kind row has none, so no filter on a real value
 * matches them, as NULL would not.
 */
static const struct metric_field case_summary_fields[] = {
	{ "kind", "c.kind", MF_TEXT, NULL },
	{ "state", "c.state", MF_TEXT, NULL },
	{ "outcome", "c.outcome", MF_TEXT, NULL },
	{ "corrected", "c.corrected", MF_INT, NULL },
	{ "mediated", "c.mediated", MF_INT, NULL },
	{ "lost", "c.lost", MF_INT, NULL },
	{ "received_date", NULL, MF_DATE, NULL },
	{ "accepted_date", NULL, MF_DATE, NULL },
	{ "decided_date", NULL, MF_DATE, NULL },
	{ "closed_date", NULL, MF_DATE, NULL },
	{ "opinion_letters", "c.opinion_letters", MF_SUM, NULL },
	{ "suggestion_letters", "c.suggestion_letters", MF_SUM, NULL },
	{ "instance", "c.instance", MF_TEXT, NULL },
	{ "hearing_held", "c.hearing_held", MF_INT, NULL },
	{ "hearing_date", NULL, MF_DATE, NULL },
	{ "head_appeared", "c.head_appeared", MF_INT, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct metric_field ledger_summary_fields[] = {
	{ "category", "g.code", MF_TEXT, NULL },
	{ "entry_date", NULL, MF_DATE, NULL },
	{ "times", "e.times", MF_SUM, NULL },
	{ "people", "e.people", MF_SUM, NULL },
	{ "items", "e.items", MF_SUM, NULL },
	{ "amount_fen", "e.amount_fen", MF_SUM, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct metric_source case_summary = {
	"case_summary", "FROM case_summary c", "c.org_id", "1 = 1", case_summary_fields,
	NULL, "SUM(c.n)", "c.field", "c.year", "c.end_year", "received_date", "decided_date",
};

static const struct metric_source ledger_summary = {
	"ledger_summary", "FROM ledger_summary e JOIN ledger_category g ON g.id = e.category_id", "e.org_id", "1 = 1",
	ledger_summary_fields, NULL, "SUM(e.n)", NULL, "e.year", NULL, NULL, NULL,
};

#define RECORDS NULL, "COUNT(*)", NULL, NULL, NULL, NULL, NULL
static const struct metric_source sources[] = {
	{ "case", "FROM case_file c", "c.org_id", "1 = 1", case_fields, &case_summary, "COUNT(*)", NULL, NULL, NULL,
	  NULL, NULL },
	{ "ledger", "FROM ledger_entry e JOIN ledger_category g ON g.id = e.category_id", "e.org_id",
	  "e.status = 'active'", ledger_fields, &ledger_summary, "COUNT(*)", NULL, NULL, NULL, NULL, NULL },
	{ "review", "FROM case_file c JOIN review rv ON rv.case_id = c.id", "c.org_id", "c.kind = 'review'",
	  review_fields, RECORDS },
	{ "normdoc", "FROM case_file c JOIN normdoc n ON n.case_id = c.id", "c.org_id", "c.kind = 'normdoc'",
	  normdoc_fields, RECORDS },
	{ "normdoc_cleanup", "FROM normdoc_cleanup_item i JOIN normdoc_cleanup b ON b.id = i.batch_id", "b.org_id",
	  "b.status = 'published'", normdoc_cleanup_fields, RECORDS },
	{ "decision", "FROM case_file c JOIN decision d ON d.case_id = c.id", "c.org_id", "c.kind = 'decision'",
	  decision_fields, RECORDS },
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
