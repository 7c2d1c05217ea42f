-- SQLite part of 0010: the triggers that keep case_summary and ledger_summary
-- exact. Each change of a summarised row takes its record's contribution
-- (the *_summary_fact views) out before the change and puts it back after
-- it, so every write path (the stores, imports, migrate-data, SQL by hand)
-- keeps the summary right in its own transaction. Only the columns the
-- views read fire them. A kind row moved to another case (UPDATE OF
-- case_id) changes both cases' contributions, so its update triggers take
-- out and put back both. (REPLACE would delete rows without firing the
-- delete triggers; nothing writes these tables with it.)
-- sql/pg/0010_metric_summary.sql is the same for PostgreSQL.

CREATE TRIGGER case_summary_case_ai AFTER INSERT ON case_file
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id = NEW.id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_case_bu BEFORE UPDATE OF org_id, kind, state, received_date, accepted_date, decided_date, closed_date, outcome, corrected, mediated, lost ON case_file
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id = OLD.id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_case_au AFTER UPDATE OF org_id, kind, state, received_date, accepted_date, decided_date, closed_date, outcome, corrected, mediated, lost ON case_file
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id = NEW.id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_case_bd BEFORE DELETE ON case_file
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id = OLD.id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_recon_bi BEFORE INSERT ON reconsideration
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id = NEW.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_recon_ai AFTER INSERT ON reconsideration
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id = NEW.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_recon_bu BEFORE UPDATE OF case_id, opinion_letters, suggestion_letters ON reconsideration
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id IN (OLD.case_id, NEW.case_id)
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_recon_au AFTER UPDATE OF case_id, opinion_letters, suggestion_letters ON reconsideration
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id IN (OLD.case_id, NEW.case_id)
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_recon_bd BEFORE DELETE ON reconsideration
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id = OLD.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_recon_ad AFTER DELETE ON reconsideration
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id = OLD.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_lit_bi BEFORE INSERT ON litigation
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id = NEW.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_lit_ai AFTER INSERT ON litigation
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id = NEW.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_lit_bu BEFORE UPDATE OF case_id, instance, hearing_held, hearing_date, head_appeared ON litigation
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id IN (OLD.case_id, NEW.case_id)
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_lit_au AFTER UPDATE OF case_id, instance, hearing_held, hearing_date, head_appeared ON litigation
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id IN (OLD.case_id, NEW.case_id)
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_lit_bd BEFORE DELETE ON litigation
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id = OLD.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER case_summary_lit_ad AFTER DELETE ON litigation
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id = OLD.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

CREATE TRIGGER ledger_summary_ai AFTER INSERT ON ledger_entry
BEGIN
	INSERT INTO ledger_summary (org_id, category_id, year, n, times, people, items, amount_fen)
	SELECT org_id, category_id, year, 1, times, people, items, amount_fen FROM ledger_summary_fact
	WHERE entry_id = NEW.id
	ON CONFLICT (category_id, year, org_id) DO UPDATE SET n = n + excluded.n, times = times + excluded.times,
		people = people + excluded.people, items = items + excluded.items,
		amount_fen = amount_fen + excluded.amount_fen;
END;

CREATE TRIGGER ledger_summary_bu BEFORE UPDATE OF org_id, category_id, entry_date, times, people, items, amount_fen, status ON ledger_entry
BEGIN
	INSERT INTO ledger_summary (org_id, category_id, year, n, times, people, items, amount_fen)
	SELECT org_id, category_id, year, -1, -times, -people, -items, -amount_fen FROM ledger_summary_fact
	WHERE entry_id = OLD.id
	ON CONFLICT (category_id, year, org_id) DO UPDATE SET n = n + excluded.n, times = times + excluded.times,
		people = people + excluded.people, items = items + excluded.items,
		amount_fen = amount_fen + excluded.amount_fen;
END;

CREATE TRIGGER ledger_summary_au AFTER UPDATE OF org_id, category_id, entry_date, times, people, items, amount_fen, status ON ledger_entry
BEGIN
	INSERT INTO ledger_summary (org_id, category_id, year, n, times, people, items, amount_fen)
	SELECT org_id, category_id, year, 1, times, people, items, amount_fen FROM ledger_summary_fact
	WHERE entry_id = NEW.id
	ON CONFLICT (category_id, year, org_id) DO UPDATE SET n = n + excluded.n, times = times + excluded.times,
		people = people + excluded.people, items = items + excluded.items,
		amount_fen = amount_fen + excluded.amount_fen;
END;

CREATE TRIGGER ledger_summary_bd BEFORE DELETE ON ledger_entry
BEGIN
	INSERT INTO ledger_summary (org_id, category_id, year, n, times, people, items, amount_fen)
	SELECT org_id, category_id, year, -1, -times, -people, -items, -amount_fen FROM ledger_summary_fact
	WHERE entry_id = OLD.id
	ON CONFLICT (category_id, year, org_id) DO UPDATE SET n = n + excluded.n, times = times + excluded.times,
		people = people + excluded.people, items = items + excluded.items,
		amount_fen = amount_fen + excluded.amount_fen;
END;
