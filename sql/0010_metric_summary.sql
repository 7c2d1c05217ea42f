-- Summary tables of the metric engine (src/report/metric_engine.c): counts
-- and sums of cases and ledger entries per org, kind, date field, year and
-- the columns metrics filter on, so that a year's figure of a province adds
-- up a few thousand small rows instead of reading hundreds of thousands of
-- records. They are derived data: kept exact by triggers in the same
-- transaction as every insert, update and delete of the rows they summarise
-- (sql/sqlite/0010_*.sql and sql/pg/0010_*.sql, the one backend-specific
-- part), rebuilt here from the existing records, and checked against the
-- records by `fazhi metrics --check-summary` (the *_expected views).
-- On SQLite both tables are WITHOUT ROWID (the placeholder after their
-- definitions, src/db/migrate.c): stored in key order, so a province's year
-- is one range of the key, read without a table lookup per row.
-- Keyed by org_id, not by org path: moving an org in the tree changes no
-- summary row, and a subtree is still org_id IN (SELECT id FROM org WHERE
-- path LIKE ...), as in the record queries.

-- One row per case and date field that is set: the contribution of a case.
-- Text columns read '' and integer columns -1 where the record has NULL
-- (key columns cannot be NULL); opinion/suggestion letters are sums.
-- end_year: for received_date rows, the year of decided_date ('' while
-- undecided), which answers "open when the year started" exactly.
CREATE VIEW case_summary_fact AS
SELECT x.case_id, x.org_id, x.kind, x.field, SUBSTR(x.d, 1, 4) AS year,
       CASE WHEN x.field = 'received_date' THEN COALESCE(SUBSTR(x.decided_date, 1, 4), '') ELSE '' END AS end_year,
       x.state, x.outcome, x.corrected, x.mediated, x.lost, x.instance, x.hearing_held, x.head_appeared,
       x.opinion_letters, x.suggestion_letters
FROM (SELECT c.id AS case_id, c.org_id, c.kind, f.field,
             CASE f.field WHEN 'received_date' THEN c.received_date WHEN 'accepted_date' THEN c.accepted_date
                          WHEN 'decided_date' THEN c.decided_date WHEN 'closed_date' THEN c.closed_date
                          ELSE l.hearing_date END AS d,
             c.decided_date, c.state, COALESCE(c.outcome, '') AS outcome, c.corrected, c.mediated, c.lost,
             COALESCE(l.instance, '') AS instance, COALESCE(l.hearing_held, -1) AS hearing_held,
             COALESCE(l.head_appeared, -1) AS head_appeared,
             COALESCE(r.opinion_letters, 0) AS opinion_letters, COALESCE(r.suggestion_letters, 0) AS suggestion_letters
      FROM case_file c
      LEFT JOIN reconsideration r ON r.case_id = c.id
      LEFT JOIN litigation l ON l.case_id = c.id
      CROSS JOIN (SELECT 'received_date' AS field UNION ALL SELECT 'accepted_date' UNION ALL SELECT 'decided_date'
                  UNION ALL SELECT 'closed_date' UNION ALL SELECT 'hearing_date') f) x
WHERE x.d IS NOT NULL;

CREATE TABLE case_summary (
	org_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	field TEXT NOT NULL,                  -- the date field: received_date, accepted_date, decided_date, closed_date, hearing_date
	year TEXT NOT NULL,                   -- 'YYYY' of that date
	end_year TEXT NOT NULL,
	state TEXT NOT NULL,
	outcome TEXT NOT NULL,
	corrected INTEGER NOT NULL,
	mediated INTEGER NOT NULL,
	lost INTEGER NOT NULL,
	instance TEXT NOT NULL,               -- litigation's columns
	hearing_held INTEGER NOT NULL,
	head_appeared INTEGER NOT NULL,
	n BIGINT NOT NULL,                    -- cases
	opinion_letters BIGINT NOT NULL,      -- reconsideration's sums
	suggestion_letters BIGINT NOT NULL,
	PRIMARY KEY (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance,
		     hearing_held, head_appeared)
)@WITHOUT_ROWID@;
-- A county: its org-id set probed per org.
CREATE INDEX case_summary_org ON case_summary(org_id, kind, field, year);

CREATE VIEW case_summary_expected AS
SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held,
       head_appeared, COUNT(*) AS n, SUM(opinion_letters) AS opinion_letters,
       SUM(suggestion_letters) AS suggestion_letters
FROM case_summary_fact
GROUP BY org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held,
	 head_appeared;

INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance,
			  hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held,
       head_appeared, n, opinion_letters, suggestion_letters
FROM case_summary_expected;

-- The work ledger: active entries per org, category and year.
CREATE VIEW ledger_summary_fact AS
SELECT id AS entry_id, org_id, category_id, SUBSTR(entry_date, 1, 4) AS year, times, people, items, amount_fen
FROM ledger_entry
WHERE status = 'active';

CREATE TABLE ledger_summary (
	org_id BIGINT NOT NULL,
	category_id BIGINT NOT NULL,
	year TEXT NOT NULL,
	n BIGINT NOT NULL,
	times BIGINT NOT NULL,
	people BIGINT NOT NULL,
	items BIGINT NOT NULL,
	amount_fen BIGINT NOT NULL,
	PRIMARY KEY (category_id, year, org_id)
)@WITHOUT_ROWID@;
CREATE INDEX ledger_summary_org ON ledger_summary(org_id, category_id, year);

CREATE VIEW ledger_summary_expected AS
SELECT org_id, category_id, year, COUNT(*) AS n, SUM(times) AS times, SUM(people) AS people, SUM(items) AS items,
       SUM(amount_fen) AS amount_fen
FROM ledger_summary_fact
GROUP BY org_id, category_id, year;

INSERT INTO ledger_summary (org_id, category_id, year, n, times, people, items, amount_fen)
SELECT org_id, category_id, year, n, times, people, items, amount_fen FROM ledger_summary_expected;
