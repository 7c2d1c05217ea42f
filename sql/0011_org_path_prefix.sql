-- Data scope is an org subtree, written `org.path LIKE '/1/27/2087/%'` all
-- over the code. The plain org_path index cannot serve that LIKE (on SQLite
-- LIKE folds case; on PostgreSQL the collation may not be C), so every scope
-- check read all orgs: ~0.2 ms per subquery on a province of 5,000 orgs,
-- about a third of a county user's case list there. This index lets both
-- databases seek to the subtree.
CREATE INDEX org_path_prefix ON org(path@PREFIX_INDEX@);
