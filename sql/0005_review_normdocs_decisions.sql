-- 合法性审查 (review), 行政规范性文件 (normdocs) and 重大行政决策 (decisions):
-- three case kinds of the engine ('review', 'normdoc', 'decision') with
-- their own tables, the tenant settings they share, the cleanup batches of
-- normative documents and the yearly decision catalogues. The full-text
-- index of normative documents is SQLite-only: sql/sqlite/0005_*.sql.

-- A deadline's own period length when it is not the rule table's (a
-- tenant's review period, a document's validity term); NULL = the rule's.
ALTER TABLE case_deadline ADD COLUMN period_length INTEGER;

-- Values a tenant may change (review periods, filing period, comment
-- periods, the register's number prefix). Defaults live in the code
-- (src/domain/review/legal_settings.c); a row here overrides one.
CREATE TABLE legal_setting (
	tenant_id BIGINT NOT NULL REFERENCES org(id),     -- the root org of the tenant
	setting TEXT NOT NULL,
	value TEXT NOT NULL,
	updated_by BIGINT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, setting)
);

-- 合法性审查: case_file.org_id is the reviewing organ, party_org_id the
-- submitting unit, received_date the day the request came in,
-- accepted_date the start of the review period, decided_date the
-- conclusion (outcome = lawful / lawful_after_revision / unlawful / returned).
CREATE TABLE review (
	case_id BIGINT PRIMARY KEY REFERENCES case_file(id),
	subject_kind TEXT NOT NULL CHECK (subject_kind IN
		('normative', 'major_decision', 'contract', 'meeting_topic', 'enforcement_decision', 'other')),
	subject_title TEXT NOT NULL,                        -- the document, decision or contract reviewed
	description TEXT NOT NULL DEFAULT '',
	procedure TEXT NOT NULL DEFAULT 'ordinary' CHECK (procedure IN ('ordinary', 'simple')),
	item_count INTEGER NOT NULL DEFAULT 1,              -- 议题 of one 常务会议 review; 1 otherwise
	amount_fen BIGINT,                                  -- 合同金额
	counterparty TEXT,                                  -- 合同相对方
	conclusion_note TEXT,
	signer TEXT                                         -- 签发人 of the opinion letter
);
CREATE INDEX review_subject ON review(subject_kind);

CREATE TABLE review_reviewer (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_file(id),
	reviewer_type TEXT NOT NULL CHECK (reviewer_type IN ('staff', 'legal_advisor', 'justice_office')),
	user_id BIGINT REFERENCES app_user(id),             -- staff
	org_id BIGINT REFERENCES org(id),                   -- a 司法所
	name TEXT NOT NULL,                                 -- shown name (an adviser's name and firm)
	lead INTEGER NOT NULL DEFAULT 0,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
	removed_reason TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX review_reviewer_case ON review_reviewer(case_id);

-- Each opinion is an item, later marked adopted / partly / not adopted by the submitter.
CREATE TABLE review_opinion (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_file(id),
	seq INTEGER NOT NULL,
	content TEXT NOT NULL,
	basis TEXT NOT NULL DEFAULT '',                     -- legal basis cited
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
	adoption TEXT NOT NULL DEFAULT 'pending' CHECK (adoption IN ('pending', 'adopted', 'partly', 'not_adopted')),
	adoption_reason TEXT,
	adoption_date TEXT,
	created_by BIGINT,
	created_at BIGINT NOT NULL,
	UNIQUE (case_id, seq)
);

-- 行政规范性文件: case_file.org_id is the issuing organ (制定机关), case_no the
-- 统一登记号 (JSDR-2021-0012), received_date the 公布 date, state the status
-- (effective / to_amend / amended / repealed / expired) with its history in
-- the timeline.
CREATE TABLE normdoc (
	case_id BIGINT PRIMARY KEY REFERENCES case_file(id),
	doc_no TEXT NOT NULL,                               -- 文号, e.g. 善政发〔2021〕12号
	effective_date TEXT NOT NULL,
	expiry_date TEXT,                                   -- NULL: no validity term stated
	review_case_id BIGINT REFERENCES case_file(id),     -- its legality review
	affects_business INTEGER NOT NULL DEFAULT 0,        -- 与市场主体生产经营密切相关
	comment_start TEXT,                                 -- 公开征求意见
	comment_end TEXT,
	comment_short_reason TEXT,
	filing_authority TEXT,                              -- 备案机关
	filed_date TEXT,                                    -- 报送备案
	filing_result TEXT CHECK (filing_result IN ('registered', 'refused')),
	filing_result_date TEXT,
	filing_opinions INTEGER NOT NULL DEFAULT 0,         -- 备案审查意见 (条)
	filing_opinion_text TEXT,
	body_text TEXT NOT NULL DEFAULT ''                  -- the full text, for search
);
CREATE INDEX normdoc_doc_no ON normdoc(doc_no);

-- 清理: a batch of an org's current documents, each with a decision; publishing it changes their status.
CREATE TABLE normdoc_cleanup (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES org(id),
	title TEXT NOT NULL,
	started_date TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
	published_date TEXT,
	published_by BIGINT,
	created_by BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE normdoc_cleanup_item (
	batch_id BIGINT NOT NULL REFERENCES normdoc_cleanup(id),
	doc_id BIGINT NOT NULL REFERENCES case_file(id),
	prior_state TEXT NOT NULL,
	decision TEXT CHECK (decision IN ('keep', 'amend', 'repeal', 'expire')),
	reason TEXT,
	decided_by BIGINT,
	decided_at BIGINT,
	PRIMARY KEY (batch_id, doc_id)
);
CREATE INDEX normdoc_cleanup_item_doc ON normdoc_cleanup_item(doc_id);

-- 重大行政决策事项目录 of a government for a year.
CREATE TABLE decision_catalogue (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES org(id),
	year INTEGER NOT NULL,
	title TEXT NOT NULL,
	party_approved_date TEXT,                           -- 经同级党委同意
	published_date TEXT,                                -- 向社会公布
	note TEXT NOT NULL DEFAULT '',
	created_by BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (org_id, year)
);

-- A decision: case_file.org_id is the deciding government, party_org_id the
-- 承办单位, received_date the day it was listed, decided_date the 集体讨论决定.
CREATE TABLE decision (
	case_id BIGINT PRIMARY KEY REFERENCES case_file(id),
	catalogue_id BIGINT NOT NULL REFERENCES decision_catalogue(id),
	category TEXT NOT NULL CHECK (category IN ('public_policy', 'planning', 'resources', 'construction', 'other')),
	description TEXT NOT NULL DEFAULT '',
	review_case_id BIGINT REFERENCES case_file(id)      -- its legality review
);
CREATE INDEX decision_catalogue_id ON decision(catalogue_id);

-- The statutory steps of a decision; detail holds the step's own fields as a JSON object.
CREATE TABLE decision_step (
	case_id BIGINT NOT NULL REFERENCES case_file(id),
	step TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'not_applicable')),
	step_date TEXT,
	reason TEXT,                                        -- why not applicable / why a comment period was shorter
	detail TEXT NOT NULL DEFAULT '{}',
	updated_by BIGINT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (case_id, step)
);
