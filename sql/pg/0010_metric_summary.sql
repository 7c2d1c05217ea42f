-- PostgreSQL part of 0010: the same triggers as sql/sqlite/0010_metric_summary.sql
-- (take a record's contribution out before a change, put it back after it),
-- written as functions since PostgreSQL triggers call functions.

CREATE FUNCTION case_summary_apply(cid BIGINT, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO case_summary (org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, n, opinion_letters, suggestion_letters)
	SELECT org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared, sign, sign * opinion_letters, sign * suggestion_letters FROM case_summary_fact WHERE case_id = cid
	ON CONFLICT (kind, field, year, org_id, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, head_appeared) DO UPDATE SET n = case_summary.n + EXCLUDED.n,
		opinion_letters = case_summary.opinion_letters + EXCLUDED.opinion_letters,
		suggestion_letters = case_summary.suggestion_letters + EXCLUDED.suggestion_letters;
$$;

CREATE FUNCTION ledger_summary_apply(eid BIGINT, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO ledger_summary (org_id, category_id, year, n, times, people, items, amount_fen)
	SELECT org_id, category_id, year, sign, sign * times, sign * people, sign * items, sign * amount_fen
	FROM ledger_summary_fact WHERE entry_id = eid
	ON CONFLICT (category_id, year, org_id) DO UPDATE SET n = ledger_summary.n + EXCLUDED.n,
		times = ledger_summary.times + EXCLUDED.times, people = ledger_summary.people + EXCLUDED.people,
		items = ledger_summary.items + EXCLUDED.items, amount_fen = ledger_summary.amount_fen + EXCLUDED.amount_fen;
$$;

-- BEFORE: take the record out (OLD's, or NEW's case on an insert into a kind table); AFTER: put it back.
CREATE FUNCTION case_summary_case_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_WHEN = 'BEFORE' THEN
		PERFORM case_summary_apply(OLD.id, -1);
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		RETURN NEW;
	END IF;
	PERFORM case_summary_apply(NEW.id, 1);
	RETURN NULL;
END $$;

-- A kind row's cases: NEW's on insert, OLD's on delete, both on an update
-- (moved to another case, both cases' contributions change).
CREATE FUNCTION case_summary_kind_apply(op TEXT, old_case BIGINT, new_case BIGINT, sign INTEGER) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF op <> 'INSERT' THEN
		PERFORM case_summary_apply(old_case, sign);
	END IF;
	IF op = 'INSERT' OR (op = 'UPDATE' AND new_case <> old_case) THEN
		PERFORM case_summary_apply(new_case, sign);
	END IF;
END $$;

CREATE FUNCTION case_summary_kind_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_WHEN = 'BEFORE' THEN
		IF TG_OP = 'INSERT' THEN
			PERFORM case_summary_kind_apply(TG_OP, NULL, NEW.case_id, -1);
			RETURN NEW;
		END IF;
		IF TG_OP = 'DELETE' THEN
			PERFORM case_summary_kind_apply(TG_OP, OLD.case_id, NULL, -1);
			RETURN OLD;
		END IF;
		PERFORM case_summary_kind_apply(TG_OP, OLD.case_id, NEW.case_id, -1);
		RETURN NEW;
	END IF;
	IF TG_OP = 'INSERT' THEN
		PERFORM case_summary_kind_apply(TG_OP, NULL, NEW.case_id, 1);
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM case_summary_kind_apply(TG_OP, OLD.case_id, NULL, 1);
	ELSE
		PERFORM case_summary_kind_apply(TG_OP, OLD.case_id, NEW.case_id, 1);
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION ledger_summary_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_WHEN = 'BEFORE' THEN
		PERFORM ledger_summary_apply(OLD.id, -1);
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		RETURN NEW;
	END IF;
	PERFORM ledger_summary_apply(NEW.id, 1);
	RETURN NULL;
END $$;

CREATE TRIGGER case_summary_case_ai AFTER INSERT ON case_file FOR EACH ROW EXECUTE FUNCTION case_summary_case_trg();
CREATE TRIGGER case_summary_case_bu BEFORE UPDATE OF org_id, kind, state, received_date, accepted_date, decided_date, closed_date, outcome, corrected, mediated, lost ON case_file
	FOR EACH ROW EXECUTE FUNCTION case_summary_case_trg();
CREATE TRIGGER case_summary_case_au AFTER UPDATE OF org_id, kind, state, received_date, accepted_date, decided_date, closed_date, outcome, corrected, mediated, lost ON case_file
	FOR EACH ROW EXECUTE FUNCTION case_summary_case_trg();
CREATE TRIGGER case_summary_case_bd BEFORE DELETE ON case_file FOR EACH ROW EXECUTE FUNCTION case_summary_case_trg();

CREATE TRIGGER case_summary_recon_b BEFORE INSERT OR DELETE OR UPDATE OF case_id, opinion_letters, suggestion_letters ON reconsideration
	FOR EACH ROW EXECUTE FUNCTION case_summary_kind_trg();
CREATE TRIGGER case_summary_recon_a AFTER INSERT OR DELETE OR UPDATE OF case_id, opinion_letters, suggestion_letters ON reconsideration
	FOR EACH ROW EXECUTE FUNCTION case_summary_kind_trg();

CREATE TRIGGER case_summary_lit_b BEFORE INSERT OR DELETE OR UPDATE OF case_id, instance, hearing_held, hearing_date, head_appeared ON litigation
	FOR EACH ROW EXECUTE FUNCTION case_summary_kind_trg();
CREATE TRIGGER case_summary_lit_a AFTER INSERT OR DELETE OR UPDATE OF case_id, instance, hearing_held, hearing_date, head_appeared ON litigation
	FOR EACH ROW EXECUTE FUNCTION case_summary_kind_trg();

CREATE TRIGGER ledger_summary_ai AFTER INSERT ON ledger_entry FOR EACH ROW EXECUTE FUNCTION ledger_summary_trg();
CREATE TRIGGER ledger_summary_bu BEFORE UPDATE OF org_id, category_id, entry_date, times, people, items, amount_fen, status ON ledger_entry
	FOR EACH ROW EXECUTE FUNCTION ledger_summary_trg();
CREATE TRIGGER ledger_summary_au AFTER UPDATE OF org_id, category_id, entry_date, times, people, items, amount_fen, status ON ledger_entry
	FOR EACH ROW EXECUTE FUNCTION ledger_summary_trg();
CREATE TRIGGER ledger_summary_bd BEFORE DELETE ON ledger_entry FOR EACH ROW EXECUTE FUNCTION ledger_summary_trg();
