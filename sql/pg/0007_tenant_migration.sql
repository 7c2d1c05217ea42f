-- PostgreSQL-only part of 0007: imported audit chains are append-only, as
-- audit_log is (sql/pg/0001_foundation.sql): no UPDATE, DELETE or TRUNCATE
-- for PUBLIC or the migrating role, and triggers as a second line.
CREATE TRIGGER audit_import_no_update BEFORE UPDATE ON audit_import
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_import_no_delete BEFORE DELETE ON audit_import
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_import_no_truncate BEFORE TRUNCATE ON audit_import
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_import_log_no_update BEFORE UPDATE ON audit_import_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_import_log_no_delete BEFORE DELETE ON audit_import_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_import_log_no_truncate BEFORE TRUNCATE ON audit_import_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_import, audit_import_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_import, audit_import_log FROM CURRENT_USER;
