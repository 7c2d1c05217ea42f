-- Indexes found by the benchmarks (make bench; BENCHMARKS.md, benchmarks 2
-- and 4). Each was measured on the benchmark's 1M-record province database
-- before it was added here.

-- The metric engine counts cases of one kind whose decision (办结, 纠错, 调撤,
-- 败诉 ...) or acceptance date lies in the year. Without these it read every
-- case of the kind ever recorded for each such figure; with them it reads the
-- year's range: the annual metric set of a county or of the province takes
-- about half the CPU time it did.
CREATE INDEX case_file_kind_decided ON case_file(kind, decided_date);
CREATE INDEX case_file_kind_accepted ON case_file(kind, accepted_date);

-- The case list shows each case's nearest open deadline with a correlated
-- subquery (case_id = ? AND status = 'open', MIN(due_date)). SQLite chose the
-- (status, due_date) index for it and walked every open deadline of the
-- database for each of the 20 rows: 40 ms per page with 13,000 open
-- deadlines, 0.5-3 ms with this index. It replaces case_deadline_case, of
-- which it is an extension, so writes maintain no extra index.
DROP INDEX case_deadline_case;
CREATE INDEX case_deadline_case ON case_deadline(case_id, status, due_date);
