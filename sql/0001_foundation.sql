-- Foundation schema: orgs, roles, users, sessions, settings, audit trail.
-- Portable SQL (SQLite and PostgreSQL). @ID@ is the backend's auto-increment
-- primary key; instants are Unix seconds (BIGINT), dates 'YYYY-MM-DD' text.

CREATE TABLE org (
	id @ID@,
	parent_id BIGINT REFERENCES org(id),
	kind TEXT NOT NULL CHECK (kind IN ('government', 'party', 'justice_bureau', 'department',
		'section', 'town', 'justice_office', 'village', 'court', 'other')),
	name TEXT NOT NULL,
	short_name TEXT,
	division_code TEXT,
	sort_order INTEGER NOT NULL DEFAULT 0,
	path TEXT NOT NULL DEFAULT '',     -- '/1/5/23/': ids from the root down, for subtree scope
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
	closed_reason TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX org_parent ON org(parent_id, sort_order);
CREATE INDEX org_path ON org(path);
CREATE UNIQUE INDEX org_sibling_name ON org(COALESCE(parent_id, 0), name);

CREATE TABLE role (
	id @ID@,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL UNIQUE,
	scope TEXT NOT NULL CHECK (scope IN ('all', 'subtree', 'org', 'self')),
	admin_kind TEXT CHECK (admin_kind IN ('system', 'security', 'audit')),
	builtin INTEGER NOT NULL DEFAULT 0,
	description TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE role_permission (
	role_id BIGINT NOT NULL REFERENCES role(id),
	permission TEXT NOT NULL,
	PRIMARY KEY (role_id, permission)
);

CREATE TABLE app_user (
	id @ID@,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES org(id),
	password_hash TEXT NOT NULL,
	must_change INTEGER NOT NULL DEFAULT 1,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'disabled')),
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,   -- automatic lockout after failed logins
	password_changed_at BIGINT,
	last_login_at BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX app_user_org ON app_user(org_id);

CREATE TABLE user_role (
	user_id BIGINT NOT NULL REFERENCES app_user(id),
	role_id BIGINT NOT NULL REFERENCES role(id),
	PRIMARY KEY (user_id, role_id)
);

CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,              -- SM3 of the cookie token; the token is never stored
	user_id BIGINT NOT NULL REFERENCES app_user(id),
	csrf TEXT NOT NULL,
	ip TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	last_seen BIGINT NOT NULL
);
CREATE INDEX session_by_user ON session(user_id);

CREATE TABLE setting (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- Append-only, hash-chained audit trail: hash = SM3(prev_hash || canonical row).
CREATE TABLE audit_log (
	seq BIGINT PRIMARY KEY,
	ts_ms BIGINT NOT NULL,
	user_id BIGINT,
	username TEXT NOT NULL DEFAULT '',
	org_id BIGINT,
	ip TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id TEXT NOT NULL DEFAULT '',
	result TEXT NOT NULL CHECK (result IN ('success', 'failure')),
	detail TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_ts ON audit_log(ts_ms);
CREATE INDEX audit_log_user ON audit_log(user_id, seq);

-- The chain head: one row, updated with every append; serialises writers on
-- both backends and lets verify notice a truncated tail.
CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
