-- Tenant scope for what was instance-wide on a shared instance (issue 8).
--
-- Roles: a custom role belongs to the tenant (root org) whose security
-- administrator created it; tenant_id NULL marks the instance's shared roles
-- (the built-in ones, and custom roles that before this migration were used
-- by more than one tenant). A tenant's administrators see and assign shared
-- roles and their own; they edit only their own. Existing custom roles go to
-- the one tenant whose users hold them, or to the only tenant of the
-- instance; the others stay shared.
ALTER TABLE role ADD COLUMN tenant_id BIGINT REFERENCES org(id);

UPDATE role SET tenant_id = COALESCE(
	(SELECT CASE WHEN COUNT(DISTINCT t.id) = 1 THEN MIN(t.id) END
	   FROM user_role ur
	   JOIN app_user u ON u.id = ur.user_id
	   JOIN org o ON o.id = u.org_id
	   JOIN org t ON t.parent_id IS NULL AND o.path LIKE t.path || '%'
	  WHERE ur.role_id = role.id),
	(SELECT CASE WHEN COUNT(*) = 1 THEN MIN(id) END FROM org WHERE parent_id IS NULL))
WHERE builtin = 0;

CREATE INDEX role_tenant ON role(tenant_id);

-- The audit viewer of a county lists the records whose actor org is in its
-- tree, newest first: by org, then sequence.
CREATE INDEX audit_log_org ON audit_log(org_id, seq);
