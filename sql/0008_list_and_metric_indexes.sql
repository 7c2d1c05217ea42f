-- Indexes for the query forms of the case list (src/domain/cases/case_list.c)
-- and the metric engine (src/report/metric_engine.c), measured by make bench
-- on its 1M-record province database (BENCHMARKS.md, benchmarks 2 and 4).
-- Portable: the same statements run on SQLite and PostgreSQL.

-- The work lists filter one kind and one state (审理中, 待受理 ...) and show
-- the newest received first. With (kind, state, received_date) the total is
-- counted in the index and the page read in its order: the 审理中 list of a
-- province (6,700 of 300,000 行政复议 cases) 250 ms -> 0.2 ms of SQL. The two
-- org columns let a county's view of it test its org-id sets in the index
-- too (its total 3.2 -> 1.2 ms, of which ~1 ms is finding the county's orgs
-- by path).
CREATE INDEX case_file_kind_state ON case_file(kind, state, received_date, org_id, party_org_id);

-- The metric engine filters a county as c.org_id IN (the county's orgs) and
-- counts the cases of one kind decided in a year: (org_id, kind,
-- decided_date) answers that per org from the index. It extends
-- case_file_org (org_id, kind), which it replaces, so writes maintain no
-- extra index for it.
DROP INDEX case_file_org;
CREATE INDEX case_file_org_kind_decided ON case_file(org_id, kind, decided_date);
