-- SQLite-only part of 0007: imported audit chains refuse UPDATE and DELETE.
CREATE TRIGGER audit_import_no_update BEFORE UPDATE ON audit_import
BEGIN
	SELECT RAISE(ABORT, 'audit_import is append-only');
END;
CREATE TRIGGER audit_import_no_delete BEFORE DELETE ON audit_import
BEGIN
	SELECT RAISE(ABORT, 'audit_import is append-only');
END;
CREATE TRIGGER audit_import_log_no_update BEFORE UPDATE ON audit_import_log
BEGIN
	SELECT RAISE(ABORT, 'audit_import_log is append-only');
END;
CREATE TRIGGER audit_import_log_no_delete BEFORE DELETE ON audit_import_log
BEGIN
	SELECT RAISE(ABORT, 'audit_import_log is append-only');
END;
