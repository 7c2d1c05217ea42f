-- Metrics, the work ledger (工作台账) and the annual report.

-- The date of the first hearing of a court case (the year's hearings are counted by it).
ALTER TABLE litigation ADD COLUMN hearing_date TEXT;

-- Ledger categories: an editable dictionary (会议, 培训, 督查, 考试, 报告, 宣传活动 ...).
CREATE TABLE ledger_category (
	id @ID@,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL UNIQUE,
	sort_order INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);

-- What the reports count but no case workflow covers.
CREATE TABLE ledger_entry (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES org(id),
	category_id BIGINT NOT NULL REFERENCES ledger_category(id),
	entry_date TEXT NOT NULL,
	title TEXT NOT NULL,
	times INTEGER NOT NULL DEFAULT 1,        -- 次数
	people INTEGER NOT NULL DEFAULT 0,       -- 人数 / 人次
	items INTEGER NOT NULL DEFAULT 0,        -- 件数
	amount_fen BIGINT NOT NULL DEFAULT 0,    -- 金额, in 分 (reports print 万元)
	note TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'voided')),
	void_reason TEXT,
	created_by BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX ledger_entry_org_date ON ledger_entry(org_id, entry_date);
CREATE INDEX ledger_entry_category ON ledger_entry(category_id, entry_date);

CREATE TABLE ledger_attachment (
	id @ID@,
	entry_id BIGINT NOT NULL REFERENCES ledger_entry(id),
	sha256 TEXT NOT NULL,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	uploaded_by BIGINT,
	created_at BIGINT NOT NULL
);

-- The annual report of an org for a year: narrative per section, figures
-- resolved at render time, frozen (定稿) with a snapshot of its figures.
CREATE TABLE report (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES org(id),
	year INTEGER NOT NULL,
	template TEXT NOT NULL,
	title TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'frozen')),
	frozen_at BIGINT,
	frozen_by BIGINT,
	created_by BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (org_id, year, template)
);

CREATE TABLE report_section (
	report_id BIGINT NOT NULL REFERENCES report(id),
	section TEXT NOT NULL,
	narrative TEXT NOT NULL DEFAULT '',
	updated_by BIGINT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (report_id, section)
);

-- Figures as they were when the report was frozen: {"value","previous","yoy"} per metric.
CREATE TABLE report_figure (
	report_id BIGINT NOT NULL REFERENCES report(id),
	metric TEXT NOT NULL,
	figure TEXT NOT NULL,
	PRIMARY KEY (report_id, metric)
);

INSERT INTO ledger_category (code, name, sort_order, created_at) VALUES
	('meeting', '会议', 10, 0),
	('training', '培训', 20, 0),
	('inspection', '督查检查', 30, 0),
	('exam', '考试考核', 40, 0),
	('leader_report', '向领导报告', 50, 0),
	('publicity', '普法宣传活动', 60, 0),
	('other', '其他', 90, 0);
