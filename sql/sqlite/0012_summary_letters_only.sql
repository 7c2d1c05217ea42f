-- SQLite part of 0012: the four insert and delete triggers of reconsideration,
-- as in 0010, only when the row carries letters (see sql/0012_*.sql).

DROP TRIGGER case_summary_recon_bi;
CREATE TRIGGER case_summary_recon_bi BEFORE INSERT ON reconsideration
WHEN COALESCE(NEW.opinion_letters, 0) <> 0 OR COALESCE(NEW.suggestion_letters, 0) <> 0
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id = NEW.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

DROP TRIGGER case_summary_recon_ai;
CREATE TRIGGER case_summary_recon_ai AFTER INSERT ON reconsideration
WHEN COALESCE(NEW.opinion_letters, 0) <> 0 OR COALESCE(NEW.suggestion_letters, 0) <> 0
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id = NEW.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

DROP TRIGGER case_summary_recon_bd;
CREATE TRIGGER case_summary_recon_bd BEFORE DELETE ON reconsideration
WHEN COALESCE(OLD.opinion_letters, 0) <> 0 OR COALESCE(OLD.suggestion_letters, 0) <> 0
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, -1, -opinion_letters, -suggestion_letters FROM case_summary_fact WHERE case_id = OLD.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;

DROP TRIGGER case_summary_recon_ad;
CREATE TRIGGER case_summary_recon_ad AFTER DELETE ON reconsideration
WHEN COALESCE(OLD.opinion_letters, 0) <> 0 OR COALESCE(OLD.suggestion_letters, 0) <> 0
BEGIN
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, 1, opinion_letters, suggestion_letters FROM case_summary_fact WHERE case_id = OLD.case_id
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = n + excluded.n,
		opinion_letters = opinion_letters + excluded.opinion_letters,
		suggestion_letters = suggestion_letters + excluded.suggestion_letters;
END;
