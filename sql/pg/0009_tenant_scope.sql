-- PostgreSQL-only part of 0008: role codes and names are unique within a
-- tenant (and among the shared roles), not across the instance, so two
-- counties of one instance can each have their own 调解员 role. SQLite holds
-- one county and keeps the instance-wide UNIQUE of 0001.
ALTER TABLE role DROP CONSTRAINT role_code_key;
ALTER TABLE role DROP CONSTRAINT role_name_key;
CREATE UNIQUE INDEX role_tenant_code ON role(COALESCE(tenant_id, 0), code);
CREATE UNIQUE INDEX role_tenant_name ON role(COALESCE(tenant_id, 0), name);
