-- Counties moved into a shared instance (fazhi migrate-data into a
-- database that already holds other counties): each county's own audit
-- chain is kept exactly as it was, with its original ids, as an imported
-- chain of the tenant it became. audit_verify recomputes every imported
-- chain and checks its head against the anchor record the move appended to
-- the live chain. Both tables are append-only like audit_log (triggers in
-- sql/sqlite/0007_*.sql and sql/pg/0007_*.sql). SQLite gets the tables too;
-- only PostgreSQL targets are written by the move.

CREATE TABLE audit_import (
	id @ID@,
	tenant_id BIGINT NOT NULL REFERENCES org(id),   -- the county's root org on this instance
	source TEXT NOT NULL,                            -- the file the county was moved from
	records BIGINT NOT NULL,                         -- records of the imported chain
	head_seq BIGINT NOT NULL,
	head_hash TEXT NOT NULL,
	id_offsets TEXT NOT NULL DEFAULT '{}',           -- JSON: table -> what was added to its ids
	imported_at BIGINT NOT NULL
);

-- The imported records, every column as in the county's audit_log.
CREATE TABLE audit_import_log (
	import_id BIGINT NOT NULL,                       -- audit_import.id (no FOREIGN KEY: its check would need UPDATE on audit_import)
	seq BIGINT NOT NULL,
	ts_ms BIGINT NOT NULL,
	user_id BIGINT,
	username TEXT NOT NULL DEFAULT '',
	org_id BIGINT,
	ip TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id TEXT NOT NULL DEFAULT '',
	result TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL,
	PRIMARY KEY (import_id, seq)
);
