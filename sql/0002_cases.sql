-- Case core shared by every case-like business line (reconsideration,
-- litigation, and later review, mediation, legal aid ...), plus the
-- kind-specific tables of the first two lines and the editable holiday
-- calendar. Dates are 'YYYY-MM-DD' text, instants Unix seconds.

ALTER TABLE org ADD COLUMN abbr TEXT;   -- short place name used in case numbers, e.g. 嘉善

-- Holiday calendar overrides: a year present here replaces the built-in file.
CREATE TABLE calendar_day (
	day TEXT PRIMARY KEY,
	year INTEGER NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
	name TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL
);
CREATE TABLE calendar_year (
	year INTEGER PRIMARY KEY,
	updated_at BIGINT NOT NULL,
	updated_by BIGINT
);

CREATE TABLE case_file (
	id @ID@,
	kind TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES org(id),          -- the handling organ (复议机关) or the defendant (应诉)
	party_org_id BIGINT REFERENCES org(id),             -- the respondent / defendant org, when one of ours
	case_no TEXT NOT NULL,
	case_year INTEGER NOT NULL,
	case_seq INTEGER,                                   -- our own numbering; NULL for court numbers
	title TEXT NOT NULL,
	state TEXT NOT NULL,
	handler_id BIGINT REFERENCES app_user(id),
	received_date TEXT NOT NULL,                        -- 收到申请 / 收到应诉通知
	accepted_date TEXT,
	decided_date TEXT,
	closed_date TEXT,
	outcome TEXT,                                       -- decision / judgment type code
	corrected INTEGER NOT NULL DEFAULT 0,               -- 纠错 (derived from outcome by table)
	mediated INTEGER NOT NULL DEFAULT 0,                -- 调解 / 和解 / 撤回 (derived)
	lost INTEGER NOT NULL DEFAULT 0,                    -- 败诉 (derived)
	extension_days INTEGER NOT NULL DEFAULT 0,          -- 延期 granted
	extension_approver TEXT,
	created_by BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (kind, org_id, case_no)
);
CREATE INDEX case_file_kind_received ON case_file(kind, received_date);
CREATE INDEX case_file_kind_closed ON case_file(kind, closed_date);
CREATE INDEX case_file_org ON case_file(org_id, kind);
CREATE INDEX case_file_party_org ON case_file(party_org_id);

CREATE TABLE case_counter (
	org_id BIGINT NOT NULL REFERENCES org(id),
	kind TEXT NOT NULL,
	year INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	PRIMARY KEY (org_id, kind, year)
);

-- 行政复议: what only reconsideration cases have.
CREATE TABLE reconsideration (
	case_id BIGINT PRIMARY KEY REFERENCES case_file(id),
	channel TEXT NOT NULL CHECK (channel IN ('in_person', 'mail', 'online', 'other')),
	procedure TEXT NOT NULL DEFAULT 'ordinary' CHECK (procedure IN ('ordinary', 'simple')),
	act TEXT NOT NULL,                                  -- 被申请复议的行政行为
	claims TEXT NOT NULL,                               -- 复议请求
	amount_yuan BIGINT,                                 -- amount involved (简易程序 ≤ 3000)
	hearing_held INTEGER NOT NULL DEFAULT 0,
	opinion_letters INTEGER NOT NULL DEFAULT 0,         -- 行政复议意见书
	suggestion_letters INTEGER NOT NULL DEFAULT 0       -- 行政复议建议书
);

-- 行政应诉: what only court cases have.
CREATE TABLE litigation (
	case_id BIGINT PRIMARY KEY REFERENCES case_file(id),
	instance TEXT NOT NULL CHECK (instance IN ('first', 'second', 'retrial')),
	court TEXT NOT NULL,
	filed_date TEXT,                                    -- 立案日期
	served_date TEXT,                                   -- 应诉通知送达日期
	carried_over INTEGER NOT NULL DEFAULT 0,            -- 上年结转
	hearing_held INTEGER NOT NULL DEFAULT 0,
	head_appeared INTEGER NOT NULL DEFAULT 0,           -- 行政机关负责人出庭
	head_name TEXT,
	head_post TEXT,
	ruling_kind TEXT CHECK (ruling_kind IN ('judgment', 'ruling')),
	appealed INTEGER NOT NULL DEFAULT 0,
	previous_case_id BIGINT REFERENCES case_file(id),   -- the first-instance case of an appeal
	risk_flag INTEGER NOT NULL DEFAULT 0,               -- 败诉风险预警
	risk_note TEXT
);

CREATE TABLE case_party (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_file(id),
	role TEXT NOT NULL CHECK (role IN ('applicant', 'respondent', 'third_party', 'agent', 'plaintiff', 'defendant')),
	party_type TEXT NOT NULL CHECK (party_type IN ('person', 'legal_person', 'org')),
	name TEXT NOT NULL,
	org_id BIGINT REFERENCES org(id),                   -- when the party is one of our orgs
	id_number_enc TEXT,                                 -- SM4-CTR + HMAC-SM3, see src/core/pii.c
	id_number_bidx TEXT,                                -- HMAC-SM3 blind index for exact search
	id_number_mask TEXT,
	uscc TEXT,                                          -- legal persons' codes are public, not encrypted
	phone_enc TEXT,
	phone_mask TEXT,
	address_enc TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX case_party_case ON case_party(case_id);
CREATE INDEX case_party_bidx ON case_party(id_number_bidx);

-- Timeline: every action with its legal date, actor and details.
CREATE TABLE case_event (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_file(id),
	action TEXT NOT NULL,
	from_state TEXT,
	to_state TEXT NOT NULL,
	event_date TEXT NOT NULL,
	actor_id BIGINT,
	detail TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX case_event_case ON case_event(case_id, id);

-- Open and met statutory deadlines; due_date is NULL while the clock is stopped (中止).
CREATE TABLE case_deadline (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_file(id),
	rule TEXT NOT NULL,
	start_date TEXT NOT NULL,
	due_date TEXT,
	status TEXT NOT NULL CHECK (status IN ('open', 'met', 'cancelled')),
	provisional INTEGER NOT NULL DEFAULT 0,             -- computed without the holiday notice of a year
	met_date TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX case_deadline_open ON case_deadline(status, due_date);
CREATE INDEX case_deadline_case ON case_deadline(case_id);

CREATE TABLE case_pause (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_file(id),
	from_date TEXT NOT NULL,
	to_date TEXT,
	reason TEXT NOT NULL
);

CREATE TABLE case_attachment (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_file(id),
	sha256 TEXT NOT NULL,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	uploaded_by BIGINT,
	created_at BIGINT NOT NULL
);
CREATE INDEX case_attachment_case ON case_attachment(case_id);

CREATE TABLE case_note (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES case_file(id),
	author_id BIGINT,
	body TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX case_note_case ON case_note(case_id);
