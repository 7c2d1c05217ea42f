-- PostgreSQL part of 0012: reconsideration's summary triggers split by
-- operation, the insert and delete ones only when the row carries letters
-- (a combined INSERT OR DELETE trigger cannot name NEW or OLD in WHEN).
DROP TRIGGER case_summary_recon_b ON reconsideration;
DROP TRIGGER case_summary_recon_a ON reconsideration;

CREATE TRIGGER case_summary_recon_bi BEFORE INSERT ON reconsideration FOR EACH ROW
	WHEN (COALESCE(NEW.opinion_letters, 0) <> 0 OR COALESCE(NEW.suggestion_letters, 0) <> 0)
	EXECUTE FUNCTION case_summary_kind_trg();
CREATE TRIGGER case_summary_recon_ai AFTER INSERT ON reconsideration FOR EACH ROW
	WHEN (COALESCE(NEW.opinion_letters, 0) <> 0 OR COALESCE(NEW.suggestion_letters, 0) <> 0)
	EXECUTE FUNCTION case_summary_kind_trg();
CREATE TRIGGER case_summary_recon_bd BEFORE DELETE ON reconsideration FOR EACH ROW
	WHEN (COALESCE(OLD.opinion_letters, 0) <> 0 OR COALESCE(OLD.suggestion_letters, 0) <> 0)
	EXECUTE FUNCTION case_summary_kind_trg();
CREATE TRIGGER case_summary_recon_ad AFTER DELETE ON reconsideration FOR EACH ROW
	WHEN (COALESCE(OLD.opinion_letters, 0) <> 0 OR COALESCE(OLD.suggestion_letters, 0) <> 0)
	EXECUTE FUNCTION case_summary_kind_trg();
CREATE TRIGGER case_summary_recon_bu BEFORE UPDATE OF case_id, opinion_letters, suggestion_letters ON reconsideration
	FOR EACH ROW EXECUTE FUNCTION case_summary_kind_trg();
CREATE TRIGGER case_summary_recon_au AFTER UPDATE OF case_id, opinion_letters, suggestion_letters ON reconsideration
	FOR EACH ROW EXECUTE FUNCTION case_summary_kind_trg();
