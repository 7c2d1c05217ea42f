-- PostgreSQL part of 0014: the three trigger functions of 0010, each first
-- returning at once while fazhi.summary_deferred is 'on' (see sql/0014_*.sql).

CREATE OR REPLACE FUNCTION case_summary_case_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('fazhi.summary_deferred', true) = 'on' THEN
		IF TG_WHEN = 'AFTER' THEN RETURN NULL; END IF;
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		RETURN NEW;
	END IF;
	IF TG_WHEN = 'BEFORE' THEN
		PERFORM case_summary_apply(OLD.id, -1);
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		RETURN NEW;
	END IF;
	PERFORM case_summary_apply(NEW.id, 1);
	RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION case_summary_kind_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('fazhi.summary_deferred', true) = 'on' THEN
		IF TG_WHEN = 'AFTER' THEN RETURN NULL; END IF;
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		RETURN NEW;
	END IF;
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

CREATE OR REPLACE FUNCTION ledger_summary_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('fazhi.summary_deferred', true) = 'on' THEN
		IF TG_WHEN = 'AFTER' THEN RETURN NULL; END IF;
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		RETURN NEW;
	END IF;
	IF TG_WHEN = 'BEFORE' THEN
		PERFORM ledger_summary_apply(OLD.id, -1);
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		RETURN NEW;
	END IF;
	PERFORM ledger_summary_apply(NEW.id, 1);
	RETURN NULL;
END $$;
