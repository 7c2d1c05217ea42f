/*
 * bench/gen: fill a database made by `fazhi init --org-name 浙江省人民政府`
 * with a province of realistic records, for the benchmarks (make bench).
 *
 *   bench/gen --db FILE [--records N] [--county CODE] [--today YYYY-MM-DD] [--seed S] [--data DIR]
 *
 * The org tree: the province root (given division code 330000) -> 11 city
 * governments (each with its justice bureau and a few departments) -> 90
 * county-level governments -> each county's justice bureau (with sections),
 * its departments, its court and its real towns (bench/data/towns.csv), each
 * town with its 司法所. Records over the five years ending --today
 * (default: today in China time): cases of every kind the binary knows
 * (行政复议 50%, 行政应诉 38%, 非诉执行申请 12%, together 60% of the
 * records) with their kind rows, parties, timeline, open deadlines and
 * outcome mixes close to Zhejiang's published rates; and work-ledger
 * entries (40%). "Records" counts case files and ledger entries.
 *
 * Writes directly with SQLite: one connection, journal off during the load,
 * prepared statements, one transaction per 200,000 records, secondary
 * indexes dropped during the load and rebuilt after it, WAL restored at
 * the end. Not audited (a bulk load, like a migration). Prints a summary
 * line of JSON on stdout.
 *
 * --county CODE makes a county deployment instead (the product's usual
 * one): the database was made by `fazhi init --division-code CODE`, its
 * root is that county's government, and only that county's orgs and
 * records are generated (cases the city or province would handle are not
 * in it).
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ORGS 16384
#define MAX_TOWNS 64
#define NYEARS 5
#define BATCH 200000

/* ===== small helpers ===== */

static sqlite3 *db;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench/gen: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void exec(const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die("%s: %s", sql, msg ? msg : "?");
}

static sqlite3_stmt *prep(const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("prepare: %s: %s", sqlite3_errmsg(db), sql);
	return st;
}

static void run(sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("insert: %s", sqlite3_errmsg(db));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void bt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bi(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

/* splitmix64 */
static uint64_t rng_state = 20260101;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double frand(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static int irand(int lo, int hi) /* inclusive */
{
	return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static int chance(double p)
{
	return frand() < p;
}

/* Pick an index by weights (they need not sum to 1). */
static int pick(const double *w, int n)
{
	double t = 0, r;
	int i;

	for (i = 0; i < n; i++)
		t += w[i];
	r = frand() * t;
	for (i = 0; i < n - 1; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

/* ===== dates as day numbers since 1970-01-01 ===== */

static int days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y += *m <= 2;
}

static char *dstr(int day, char out[11])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return out;
}

static int year_of(int day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return y;
}

static int64_t ts_of(int day)
{
	return (int64_t)day * 86400 + 3600 + (int64_t)irand(0, 8 * 3600); /* 09:00-17:00 CST */
}

/* ===== the org tree ===== */

struct county {
	char code[8], name[64], abbr[64], city_name[64], court_code[8];
	int city;
	int64_t gov, sfj, review, court;
	int64_t depts[24];
	char dept_names[24][128];
	int ndepts;
	int64_t towns[MAX_TOWNS], offices[MAX_TOWNS];
	char town_names[MAX_TOWNS][128];
	int ntowns;
	int64_t handlers[2];
	double weight;
};

struct city {
	char code[8], name[64], abbr[64];
	int64_t gov, sfj;
	int64_t depts[8];
	char dept_names[8][128];
	int ndepts;
	int64_t handler;
};

static struct city cities[16];
static int ncities;
static struct county counties[128];
static int ncounties;
static char *paths[MAX_ORGS];
static int64_t next_org = 1, next_user = 1;
static sqlite3_stmt *ins_org, *ins_user;
static int64_t root_id;
static int64_t now_ts;
static const char *only_county; /* --county: a county deployment, root = that county's government */

static int64_t org_add(int64_t parent, const char *kind, const char *name, const char *short_name,
		       const char *division, int sort, const char *abbr)
{
	int64_t id = next_org++;
	char path[256];

	if (id >= MAX_ORGS)
		die("too many orgs");
	snprintf(path, sizeof(path), "%s%lld/", paths[parent], (long long)id);
	paths[id] = strdup(path);
	bi(ins_org, 1, id);
	bi(ins_org, 2, parent);
	bt(ins_org, 3, kind);
	bt(ins_org, 4, name);
	bt(ins_org, 5, short_name);
	bt(ins_org, 6, division);
	bi(ins_org, 7, sort);
	bt(ins_org, 8, path);
	bi(ins_org, 9, now_ts);
	bt(ins_org, 10, abbr);
	run(ins_org);
	return id;
}

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
	"林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
	"潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "沈", "姚", "卢", "钟", "陆", "汪", "金",
	"方", "邵", "钱", "严", "楼", "应", "俞", "虞", "章", "葛", "屠", "项", "裘", "竺",
};
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀",
	"霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "斌", "辉", "鹏", "飞", "宇", "浩", "婷", "雪", "琴",
	"红", "波", "海", "林", "春", "晓", "丹", "峰", "忠", "德", "龙", "云", "亮", "萍", "玲", "颖", "佳", "瑜",
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void person_name(char *out, size_t n)
{
	if (chance(0.55))
		snprintf(out, n, "%s%s%s", surnames[irand(0, N(surnames) - 1)], given[irand(0, N(given) - 1)],
			 given[irand(0, N(given) - 1)]);
	else
		snprintf(out, n, "%s%s", surnames[irand(0, N(surnames) - 1)], given[irand(0, N(given) - 1)]);
}

static int64_t user_add(int64_t org, const char *username)
{
	char name[32];
	int64_t id = next_user++;

	person_name(name, sizeof(name));
	bi(ins_user, 1, id);
	bt(ins_user, 2, username);
	bt(ins_user, 3, name);
	bi(ins_user, 4, org);
	bi(ins_user, 5, now_ts);
	run(ins_user);
	return id;
}

/* County departments (name pattern: %s = county name), as in the demo county. */
static const char *const county_depts[][2] = {
	{ "%s人民政府办公室", "政府办" },
	{ "%s发展和改革局", "发改局" },
	{ "%s教育局", "教育局" },
	{ "%s公安局", "公安局" },
	{ "%s民政局", "民政局" },
	{ "%s财政局", "财政局" },
	{ "%s人力资源和社会保障局", "人力社保局" },
	{ "%s自然资源和规划局", "自然资源规划局" },
	{ "%s住房和城乡建设局", "住建局" },
	{ "%s交通运输局", "交通运输局" },
	{ "%s农业农村局", "农业农村局" },
	{ "%s卫生健康局", "卫健局" },
	{ "%s应急管理局", "应急管理局" },
	{ "%s市场监督管理局", "市场监管局" },
	{ "%s综合行政执法局", "综合执法局" },
	{ "%s医疗保障局", "医保局" },
	{ "%s文化和广电旅游体育局", "文广旅体局" },
};
/* Weight of each department as a respondent or defendant (police, planning, market and law enforcement lead). */
static const double county_dept_weight[] = { 2, 1, 1, 14, 2, 1, 7, 9, 6, 3, 2, 2, 2, 10, 9, 2, 1 };

static const char *const city_depts[] = { "公安局", "自然资源和规划局", "市场监督管理局", "人力资源和社会保障局",
					  "住房和城乡建设局", "生态环境局" };

static const char *const sfj_sections[][2] = {
	{ "办公室", "办公室" },
	{ "行政复议与应诉科", "复议应诉科" },
	{ "法治督察科", "法治督察科" },
	{ "普法与依法治理科", "普法科" },
};

/* Read a 3-column CSV of division codes (header skipped): code,"name",parent. */
static int read_csv(const char *path, char rows[][3][64], int max)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0, first = 1;

	if (!f)
		die("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *q;
		int k;

		if (first) {
			first = 0;
			continue;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		if (n == max)
			die("%s: too many rows", path);
		for (k = 0; k < 3; k++) {
			rows[n][k][0] = '\0';
			if (!p)
				continue;
			if (*p == '"') {
				q = strchr(p + 1, '"');
				if (!q)
					die("%s: bad quoting", path);
				snprintf(rows[n][k], 64, "%.*s", (int)(q - p - 1), p + 1);
				p = strchr(q, ',');
			} else {
				q = strchr(p, ',');
				snprintf(rows[n][k], 64, "%.*s", q ? (int)(q - p) : (int)strlen(p), p);
				p = q;
			}
			if (p)
				p++;
		}
		n++;
	}
	fclose(f);
	return n;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* 西湖区 -> 西湖, 景宁畲族自治县 -> 景宁, 杭州市 -> 杭州 (the abbreviation in case numbers). */
static void abbr_of(const char *name, char *out, size_t n)
{
	const char *z = strstr(name, "畲族自治县");

	if (z)
		snprintf(out, n, "%.*s", (int)(z - name), name);
	else if (strlen(name) > 6 && (ends_with(name, "县") || ends_with(name, "区") || ends_with(name, "市")))
		snprintf(out, n, "%.*s", (int)(strlen(name) - 3), name);
	else
		snprintf(out, n, "%s", name);
}

static void build_orgs(const char *dir)
{
	static char crow[32][3][64], arow[128][3][64], trow[2048][3][64];
	char path[1024], name[256], shortn[128], code[16];
	int nc, na, nt, i, j, k;

	snprintf(path, sizeof(path), "%s/cities.csv", dir);
	nc = read_csv(path, crow, 32);
	snprintf(path, sizeof(path), "%s/counties.csv", dir);
	na = read_csv(path, arow, 128);
	snprintf(path, sizeof(path), "%s/towns.csv", dir);
	nt = read_csv(path, trow, 2048);

	if (!only_county)
		org_add(root_id, "justice_bureau", "浙江省司法厅", "省司法厅", NULL, 10, NULL);
	for (i = 0; i < nc; i++) {
		struct city *c = &cities[ncities++];

		snprintf(c->code, sizeof(c->code), "%.7s", crow[i][0]);
		snprintf(c->name, sizeof(c->name), "%s", crow[i][1]);
		abbr_of(c->name, c->abbr, sizeof(c->abbr));
		if (only_county)
			continue; /* a county deployment has no city orgs */
		snprintf(name, sizeof(name), "%s人民政府", c->name);
		snprintf(shortn, sizeof(shortn), "%s政府", c->name);
		snprintf(code, sizeof(code), "%s00", c->code);
		c->gov = org_add(root_id, "government", name, shortn, code, 100 + i * 10, c->abbr);
		snprintf(name, sizeof(name), "%s司法局", c->name);
		c->sfj = org_add(c->gov, "justice_bureau", name, "市司法局", NULL, 10, NULL);
		c->handler = user_add(c->sfj, (snprintf(shortn, sizeof(shortn), "h%s", c->code), shortn));
		for (j = 0; j < N(city_depts); j++) {
			snprintf(c->dept_names[j], sizeof(c->dept_names[j]), "%s%s", c->name, city_depts[j]);
			c->depts[c->ndepts++] = org_add(c->gov, "department", c->dept_names[j], city_depts[j], NULL,
							 20 + j * 10, NULL);
		}
	}
	for (i = 0; i < na; i++) {
		struct county *c = &counties[ncounties];
		int city = -1, ntown = 0;

		for (j = 0; j < ncities; j++)
			if (!strcmp(cities[j].code, arow[i][2]))
				city = j;
		if (city < 0 || (only_county && strcmp(only_county, arow[i][0])))
			continue;
		ncounties++;
		c->city = city;
		snprintf(c->code, sizeof(c->code), "%.7s", arow[i][0]);
		snprintf(c->name, sizeof(c->name), "%s", arow[i][1]);
		snprintf(c->city_name, sizeof(c->city_name), "%s", cities[city].name);
		memcpy(c->court_code, c->code + 2, 5); /* 330106 -> 0106 */
		abbr_of(c->name, c->abbr, sizeof(c->abbr));
		snprintf(name, sizeof(name), "%s人民政府", c->name);
		if (only_county)
			c->gov = root_id;
		else
			c->gov = org_add(cities[city].gov, "government", name, "政府", c->code, 100 + i, c->abbr);
		snprintf(name, sizeof(name), "%s司法局", c->name);
		c->sfj = org_add(c->gov, "justice_bureau", name, "司法局", NULL, 30, NULL);
		for (k = 0; k < N(sfj_sections); k++) {
			int64_t id;

			snprintf(name, sizeof(name), "%s司法局%s", c->name, sfj_sections[k][0]);
			id = org_add(c->sfj, "section", name, sfj_sections[k][1], NULL, 10 + 10 * k, NULL);
			if (k == 1)
				c->review = id;
		}
		snprintf(shortn, sizeof(shortn), "h%sa", c->code);
		c->handlers[0] = user_add(c->review, shortn);
		snprintf(shortn, sizeof(shortn), "h%sb", c->code);
		c->handlers[1] = user_add(c->review, shortn);
		for (k = 0; k < N(county_depts); k++) {
			snprintf(c->dept_names[k], sizeof(c->dept_names[k]), county_depts[k][0], c->name);
			c->depts[c->ndepts++] =
			    org_add(c->gov, "department", c->dept_names[k], county_depts[k][1], NULL, 40 + 10 * k, NULL);
		}
		snprintf(name, sizeof(name), "%s人民法院", c->name);
		c->court = org_add(c->gov, "court", name, "法院", NULL, 300, NULL);
		for (j = 0; j < nt && c->ntowns < MAX_TOWNS; j++) {
			const char *t = trow[j][1];
			char town_short[64];
			int street = ends_with(t, "街道");

			if (strcmp(trow[j][2], c->code) || !(street || ends_with(t, "镇") || ends_with(t, "乡")))
				continue;
			snprintf(name, sizeof(name), "%s%s%s", arow[i][1], t, street ? "办事处" : "人民政府");
			snprintf(c->town_names[c->ntowns], sizeof(c->town_names[0]), "%.127s", name);
			snprintf(town_short, sizeof(town_short), "%.*s", (int)(strlen(t) - (street ? 6 : 3)), t);
			c->towns[c->ntowns] =
			    org_add(c->gov, "town", c->town_names[c->ntowns], t, trow[j][0], 400 + ntown * 10, NULL);
			snprintf(name, sizeof(name), "%s司法局%s司法所", c->name, town_short);
			snprintf(shortn, sizeof(shortn), "%s司法所", town_short);
			c->offices[c->ntowns] = org_add(c->towns[c->ntowns], "justice_office", name, shortn, NULL, 10, NULL);
			c->ntowns++;
			ntown++;
		}
		/* Busier districts: more towns, more people; city districts (区) a little more again. */
		c->weight = (6.0 + c->ntowns) * (ends_with(c->name, "区") ? 1.3 : 1.0);
	}
}

/* ===== cases ===== */

struct outcome {
	const char *code;
	double weight;
	int corrected, mediated, lost;
	int terminated; /* reconsideration: ends by termination */
	int judgment;	/* litigation: judgment (else ruling) */
};

/* 行政复议 outcomes of accepted cases; 纠错 ≈ 13%, 调撤 ≈ 28% (Zhejiang publishes similar rates). */
static const struct outcome recon_outcomes[] = {
	{ "uphold", 44, 0, 0, 0, 0, 0 },	   { "reject", 13, 0, 0, 0, 0, 0 },
	{ "change", 0.8, 1, 0, 0, 0, 0 },	   { "revoke", 5.5, 1, 0, 0, 0, 0 },
	{ "partial_revoke", 1.2, 1, 0, 0, 0, 0 },  { "confirm_illegal", 4.2, 1, 0, 0, 0, 0 },
	{ "order_perform", 1.8, 1, 0, 0, 0, 0 },   { "confirm_invalid", 0.2, 1, 0, 0, 0, 0 },
	{ "mediation", 8, 0, 1, 0, 0, 0 },	   { "settlement_withdrawal", 19.5, 0, 1, 0, 1, 0 },
	{ "other_termination", 1.8, 0, 0, 0, 1, 0 },
};

/* 行政应诉, first instance; 败诉 ≈ 9%. */
static const struct outcome lit_first[] = {
	{ "reject_claims", 47, 0, 0, 0, 0, 1 }, { "dismiss", 15, 0, 0, 0, 0, 0 },
	{ "withdrawn", 22, 0, 1, 0, 0, 0 },	{ "mediation", 3, 0, 1, 0, 0, 0 },
	{ "revoke", 3.6, 0, 0, 1, 0, 1 },	{ "confirm_illegal", 3.4, 0, 0, 1, 0, 1 },
	{ "order_perform", 1.2, 0, 0, 1, 0, 1 }, { "partial_revoke", 0.6, 0, 0, 1, 0, 1 },
	{ "change", 0.2, 0, 0, 1, 0, 1 },	{ "confirm_invalid", 0.1, 0, 0, 1, 0, 1 },
	{ "other", 3.9, 0, 0, 0, 0, 0 },
};

static const struct outcome lit_appeal[] = {
	{ "reject_claims", 82, 0, 0, 0, 0, 1 }, { "revoke", 5, 0, 0, 1, 0, 1 }, { "withdrawn", 8, 0, 1, 0, 0, 0 },
	{ "dismiss", 3, 0, 0, 0, 0, 0 },	{ "other", 2, 0, 0, 0, 0, 0 },
};

static const struct outcome enf_outcomes[] = {
	{ "granted", 85, 0, 0, 0, 0, 0 },
	{ "partly_granted", 4, 0, 0, 0, 0, 0 },
	{ "denied", 6, 0, 0, 1, 0, 0 },
	{ "withdrawn", 5, 0, 0, 0, 0, 0 },
};

static const struct outcome *pick_outcome(const struct outcome *o, int n)
{
	double w[16];
	int i;

	for (i = 0; i < n; i++)
		w[i] = o[i].weight;
	return &o[pick(w, n)];
}

static const char *const acts[] = {
	"行政处罚决定", "政府信息公开答复", "不动产登记行为", "责令限期拆除决定", "工伤认定结论", "行政强制措施",
	"不履行法定职责", "房屋征收补偿决定", "举报投诉处理答复", "行政许可决定", "社会保险待遇核定", "行政确认",
};
static const double act_weight[] = { 30, 14, 7, 6, 7, 4, 9, 4, 9, 4, 4, 2 };

static sqlite3_stmt *ins_case, *ins_recon, *ins_lit, *ins_party, *ins_event, *ins_deadline, *ins_ledger;
static int64_t next_case = 1;
static int today, start_day, first_year;
static int seq_recon[MAX_ORGS][NYEARS + 1];
static int seq_court[128][NYEARS + 1][2]; /* per county court: 行初, 行审 */
static int seq_city[16][NYEARS + 1];	    /* 行终 per intermediate court */
static int seq_high[NYEARS + 1];	    /* 行申 */
static long n_recon, n_lit, n_enf, n_ledger, n_rows;

static void add_event(int64_t case_id, const char *action, const char *from, const char *to, int day,
		      int64_t actor, const char *detail)
{
	char d[11];

	bi(ins_event, 1, case_id);
	bt(ins_event, 2, action);
	bt(ins_event, 3, from);
	bt(ins_event, 4, to);
	bt(ins_event, 5, dstr(day, d));
	bi(ins_event, 6, actor);
	bt(ins_event, 7, detail);
	bi(ins_event, 8, ts_of(day));
	run(ins_event);
	n_rows++;
}

static void add_deadline(int64_t case_id, const char *rule, int start, int due, const char *status, int met)
{
	char s[11], d[11], m[11];

	bi(ins_deadline, 1, case_id);
	bt(ins_deadline, 2, rule);
	bt(ins_deadline, 3, dstr(start, s));
	bt(ins_deadline, 4, due ? dstr(due, d) : NULL);
	bt(ins_deadline, 5, status);
	bt(ins_deadline, 6, met ? dstr(met, m) : NULL);
	bi(ins_deadline, 7, ts_of(start));
	run(ins_deadline);
	n_rows++;
}

static void add_party(int64_t case_id, const char *role, const char *type, const char *name, int64_t org, int day)
{
	char uscc[20];

	bi(ins_party, 1, case_id);
	bt(ins_party, 2, role);
	bt(ins_party, 3, type);
	bt(ins_party, 4, name);
	if (org)
		bi(ins_party, 5, org);
	if (!strcmp(type, "legal_person")) {
		snprintf(uscc, sizeof(uscc), "91330%03d%09llu", irand(100, 999),
			 (unsigned long long)(rnd() % 1000000000ULL));
		bt(ins_party, 6, uscc);
	}
	bi(ins_party, 7, ts_of(day));
	run(ins_party);
	n_rows++;
}

/* Bind the common case_file columns and insert; dates are day numbers, 0 = NULL. */
static int64_t insert_case(const char *kind, int64_t org, int64_t party_org, const char *case_no, int seq,
			   const char *title, const char *state, int64_t handler, int recv, int acc, int dec, int closed,
			   const struct outcome *o, int ext_days)
{
	int64_t id = next_case++;
	char r[11], a[11], d[11], c[11];

	bi(ins_case, 1, id);
	bt(ins_case, 2, kind);
	bi(ins_case, 3, org);
	if (party_org)
		bi(ins_case, 4, party_org);
	bt(ins_case, 5, case_no);
	bi(ins_case, 6, year_of(recv));
	if (seq)
		bi(ins_case, 7, seq);
	bt(ins_case, 8, title);
	bt(ins_case, 9, state);
	if (handler)
		bi(ins_case, 10, handler);
	bt(ins_case, 11, dstr(recv, r));
	bt(ins_case, 12, acc ? dstr(acc, a) : NULL);
	bt(ins_case, 13, dec ? dstr(dec, d) : NULL);
	bt(ins_case, 14, closed ? dstr(closed, c) : NULL);
	bt(ins_case, 15, o ? o->code : NULL);
	bi(ins_case, 16, o ? o->corrected : 0);
	bi(ins_case, 17, o ? o->mediated : 0);
	bi(ins_case, 18, o ? o->lost : 0);
	bi(ins_case, 19, ext_days);
	bt(ins_case, 20, ext_days ? "行政复议机构负责人" : NULL);
	if (handler)
		bi(ins_case, 21, handler);
	bi(ins_case, 22, ts_of(recv));
	bi(ins_case, 23, ts_of(closed ? closed : dec ? dec : acc ? acc : recv));
	run(ins_case);
	n_rows++;
	return id;
}

/* A respondent or defendant in county c: mostly departments, some towns and the county government. */
static int64_t pick_agency(struct county *c, const char **name)
{
	double r = frand();

	if (r < 0.72) {
		int k = pick(county_dept_weight, c->ndepts);

		*name = c->dept_names[k];
		return c->depts[k];
	}
	if (r < 0.92 && c->ntowns) {
		int k = irand(0, c->ntowns - 1);

		*name = c->town_names[k];
		return c->towns[k];
	}
	*name = NULL;
	return c->gov;
}

static void gen_reconsideration(struct county *c, int recv)
{
	struct city *ci = &cities[c->city];
	char applicant[32], title[512], case_no[128], gov_name[128], detail[256];
	const char *respondent_name, *act = acts[pick(act_weight, N(acts))];
	const char *state, *rule = NULL;
	const struct outcome *o = NULL;
	int64_t org, respondent, handler, id;
	int acc = 0, dec = 0, closed = 0, ext = 0, simple = chance(0.15), yi = year_of(recv) - first_year, seq;
	int due = 0, suspended = 0, opinion = 0, suggestion = 0;
	double level = only_county ? 1.0 : frand();

	/* 复议机关: the county government for its own departments and towns (2023 law); the city for the
	 * county governments and city departments; the province for the city governments. */
	if (level < 0.02) {
		org = root_id;
		respondent = ci->gov;
		snprintf(gov_name, sizeof(gov_name), "%s人民政府", ci->name);
		respondent_name = gov_name;
		handler = 0;
	} else if (level < 0.12) {
		org = ci->gov;
		handler = ci->handler;
		if (chance(0.4)) {
			respondent = c->gov;
			snprintf(gov_name, sizeof(gov_name), "%s人民政府", c->name);
			respondent_name = gov_name;
		} else {
			int k = irand(0, ci->ndepts - 1);

			respondent = ci->depts[k];
			respondent_name = ci->dept_names[k];
		}
	} else {
		org = c->gov;
		handler = c->handlers[irand(0, 1)];
		respondent = pick_agency(c, &respondent_name);
		while (only_county && !respondent_name)
			respondent = pick_agency(c, &respondent_name); /* reviewed by the city: not in this database */
		if (!respondent_name) {
			/* the county government itself: reviewed by the city */
			org = ci->gov;
			handler = ci->handler;
			snprintf(gov_name, sizeof(gov_name), "%s人民政府", c->name);
			respondent_name = gov_name;
		}
	}
	seq = ++seq_recon[org][yi];
	snprintf(case_no, sizeof(case_no), "%s复〔%d〕%d号", org == root_id ? "浙" : org == ci->gov ? ci->abbr : c->abbr,
		 year_of(recv), seq);
	person_name(applicant, sizeof(applicant));
	snprintf(title, sizeof(title), "%s不服%s%s", applicant, respondent_name, act);

	if (chance(0.08)) { /* 不予受理 within 5 working days */
		closed = recv + irand(2, 7);
		state = "not_accepted";
	} else if (chance(0.02)) { /* 补正 not answered */
		closed = recv + irand(20, 35);
		state = "abandoned";
	} else {
		acc = recv + irand(1, 6);
		if (!simple && chance(0.05))
			ext = 30;
		dec = acc + (simple ? irand(8, 30) : irand(25, 60) + (ext ? irand(0, ext) : 0));
		suspended = chance(0.04);
		o = pick_outcome(recon_outcomes, N(recon_outcomes));
		state = o->terminated ? "terminated" : "decided";
		closed = dec + irand(3, 25);
		opinion = !o->terminated && chance(0.03);
		suggestion = !o->terminated && chance(0.015);
		if (closed <= today)
			state = "closed";
	}
	/* The same case as it stands today. */
	if (acc > today) {
		acc = dec = closed = 0;
		o = NULL;
		state = "registered";
		due = recv + 7;
	} else if (dec > today) {
		dec = closed = 0;
		o = NULL;
		state = suspended ? "suspended" : "accepted";
		due = suspended ? 0 : acc + (simple ? 30 : 60) + ext;
		opinion = suggestion = 0;
	} else if (closed > today) {
		if (!acc) {
			state = "registered";
			due = recv + 7;
		}
		closed = 0;
	}
	id = insert_case("reconsideration", org, respondent, case_no, seq, title, state, handler, recv, acc, dec,
			 closed, o, ext);
	n_recon++;
	bi(ins_recon, 1, id);
	bt(ins_recon, 2, (const char *[]){ "online", "in_person", "mail", "other" }[pick((double[]){ 52, 30, 14, 4 }, 4)]);
	bt(ins_recon, 3, simple && acc ? "simple" : "ordinary");
	bt(ins_recon, 4, act);
	bt(ins_recon, 5, chance(0.6) ? "请求撤销该行政行为" : chance(0.5) ? "请求确认该行政行为违法" : "请求责令被申请人履行法定职责");
	if (chance(0.3))
		bi(ins_recon, 6, irand(200, 200000));
	bi(ins_recon, 7, acc && chance(0.04));
	bi(ins_recon, 8, opinion);
	bi(ins_recon, 9, suggestion);
	run(ins_recon);
	n_rows++;
	add_party(id, "applicant", chance(0.85) ? "person" : "legal_person", applicant, 0, recv);
	add_party(id, "respondent", "org", respondent_name, respondent, recv);
	snprintf(detail, sizeof(detail), "登记行政复议 %s", case_no);
	add_event(id, "create", NULL, "registered", recv, handler, detail);
	if (acc)
		add_event(id, "accept", "registered", "accepted", acc, handler, simple ? "受理,适用简易程序" : "受理,适用普通程序");
	if (dec)
		add_event(id, o->terminated ? "terminate" : "decide", "accepted", o->terminated ? "terminated" : "decided",
			  dec, handler, o->terminated ? "终止行政复议" : "作出行政复议决定");
	else if (!acc && closed)
		add_event(id, strcmp(state, "abandoned") ? "reject" : "abandon", "registered", state, closed, handler,
			  strcmp(state, "abandoned") ? "决定不予受理" : "逾期未补正视为放弃");
	if (!strcmp(state, "registered"))
		rule = "reconsideration.accept";
	else if (!strcmp(state, "accepted") || !strcmp(state, "suspended"))
		rule = simple ? "reconsideration.decision_simple" : "reconsideration.decision";
	if (rule)
		add_deadline(id, rule, acc ? acc : recv, due, "open", 0);
}

static void gen_litigation(struct county *c, int recv)
{
	struct city *ci = &cities[c->city];
	char plaintiff[32], title[512], case_no[128], court[128], detail[256], gov_name[128], head[32];
	const char *defendant_name, *act = acts[pick(act_weight, N(acts))], *instance, *state;
	const struct outcome *o;
	int64_t defendant, id, handler = c->handlers[irand(0, 1)];
	int yi = year_of(recv) - first_year, dec, closed, hearing = 0, head_appeared = 0, appealed = 0, hday;
	double r = frand();

	defendant = pick_agency(c, &defendant_name);
	if (!defendant_name) {
		snprintf(gov_name, sizeof(gov_name), "%s人民政府", c->name);
		defendant_name = gov_name;
	}
	person_name(plaintiff, sizeof(plaintiff));
	if (r < 0.75) {
		instance = "first";
		snprintf(court, sizeof(court), "%s人民法院", c->name);
		snprintf(case_no, sizeof(case_no), "(%d)浙%s行初%d号", year_of(recv), c->court_code,
			 ++seq_court[c - counties][yi][0]);
		o = pick_outcome(lit_first, N(lit_first));
		dec = recv + irand(40, 180);
		hearing = chance(0.72);
		head_appeared = hearing && chance(0.93);
	} else if (r < 0.97) {
		instance = "second";
		snprintf(court, sizeof(court), "%s中级人民法院", ci->name);
		snprintf(case_no, sizeof(case_no), "(%d)浙%.2s行终%d号", year_of(recv), ci->code + 2,
			 ++seq_city[c->city][yi]);
		o = pick_outcome(lit_appeal, N(lit_appeal));
		dec = recv + irand(30, 120);
		hearing = chance(0.35);
		head_appeared = hearing && chance(0.7);
	} else {
		instance = "retrial";
		snprintf(court, sizeof(court), "浙江省高级人民法院");
		snprintf(case_no, sizeof(case_no), "(%d)浙行申%d号", year_of(recv), ++seq_high[yi]);
		o = pick_outcome(lit_appeal, N(lit_appeal));
		dec = recv + irand(60, 180);
	}
	hday = hearing ? recv + irand(20, dec - recv > 21 ? dec - recv - 1 : 21) : 0;

	closed = dec + irand(15, 40);
	appealed = !strcmp(instance, "first") && o->judgment && chance(0.25);
	state = "closed";
	if (dec > today) {
		state = "pending";
		dec = closed = 0;
		o = NULL;
		appealed = 0;
		if (hday > today)
			hearing = head_appeared = hday = 0;
	} else if (closed > today) {
		state = "judged";
		closed = 0;
		appealed = 0;
	}
	snprintf(title, sizeof(title), "%s诉%s%s案", plaintiff, defendant_name, act);
	id = insert_case("litigation", defendant, defendant, case_no, 0, title, state, handler, recv, 0, dec, closed, o,
			 0);
	n_lit++;
	{
		char f[11], s[11], h[11];

		person_name(head, sizeof(head));
		bi(ins_lit, 1, id);
		bt(ins_lit, 2, instance);
		bt(ins_lit, 3, court);
		bt(ins_lit, 4, dstr(recv - irand(3, 12), f));
		bt(ins_lit, 5, dstr(recv, s));
		bi(ins_lit, 6, 0);
		bi(ins_lit, 7, hearing);
		bi(ins_lit, 8, head_appeared);
		bt(ins_lit, 9, head_appeared ? head : NULL);
		bt(ins_lit, 10, head_appeared ? (chance(0.7) ? "副局长" : "局长") : NULL);
		bt(ins_lit, 11, o ? (o->judgment ? "judgment" : "ruling") : NULL);
		bi(ins_lit, 12, appealed);
		bi(ins_lit, 13, o ? 0 : chance(0.05));
		bt(ins_lit, 14, hday ? dstr(hday, h) : NULL);
		run(ins_lit);
		n_rows++;
	}
	add_party(id, "plaintiff", chance(0.8) ? "person" : "legal_person", plaintiff, 0, recv);
	snprintf(detail, sizeof(detail), "登记行政应诉 %s", case_no);
	add_event(id, "create", NULL, "pending", recv, handler, detail);
	if (o)
		add_event(id, "judge", "pending", "judged", dec, handler, o->lost ? "法院判决(败诉)" : "法院裁判");
	if (!strcmp(state, "pending") && recv + 15 >= today)
		add_deadline(id, "litigation.answer", recv, recv + 15, "open", 0);
	else if (!strcmp(state, "judged"))
		add_deadline(id, o->judgment ? "litigation.appeal_judgment" : "litigation.appeal_ruling", dec,
			     dec + (o->judgment ? 15 : 10), dec + 15 < today ? "met" : "open", dec + 15 < today ? dec + 12 : 0);
}

static void gen_enforcement(struct county *c, int recv)
{
	static const char *const decisions[] = { "行政处罚决定", "责令限期拆除决定", "社会保险费征缴决定",
						 "责令停止违法行为决定" };
	char case_no[128], title[512], court[128], detail[256], respondent[32];
	const char *agency_name;
	const struct outcome *o;
	int64_t agency, id;
	int dec, closed, yi = year_of(recv) - first_year;
	const char *state = "closed";

	agency = pick_agency(c, &agency_name);
	if (!agency_name) {
		agency = c->depts[14]; /* 综合行政执法局 */
		agency_name = c->dept_names[14];
	}
	snprintf(court, sizeof(court), "%s人民法院", c->name);
	snprintf(case_no, sizeof(case_no), "(%d)浙%s行审%d号", year_of(recv), c->court_code,
		 ++seq_court[c - counties][yi][1]);
	snprintf(title, sizeof(title), "%s申请执行%s", agency_name, decisions[irand(0, N(decisions) - 1)]);
	o = pick_outcome(enf_outcomes, N(enf_outcomes));
	dec = recv + irand(5, 30);
	closed = dec + irand(30, 200);
	if (dec > today) {
		state = "applied";
		dec = closed = 0;
		o = NULL;
	} else if (closed > today) {
		state = "ruled";
		closed = 0;
	}
	id = insert_case("enforcement_application", agency, agency, case_no, 0, title, state, 0, recv, 0, dec, closed,
			 o, 0);
	n_enf++;
	bi(ins_lit, 1, id);
	bt(ins_lit, 2, "first");
	bt(ins_lit, 3, court);
	bi(ins_lit, 6, 0);
	bi(ins_lit, 7, 0);
	bi(ins_lit, 8, 0);
	bi(ins_lit, 12, 0);
	bi(ins_lit, 13, 0);
	run(ins_lit);
	n_rows++;
	person_name(respondent, sizeof(respondent));
	add_party(id, "respondent", chance(0.7) ? "person" : "legal_person", respondent, 0, recv);
	snprintf(detail, sizeof(detail), "登记非诉执行申请 %s", case_no);
	add_event(id, "create", NULL, "applied", recv, 0, detail);
	if (!strcmp(state, "applied"))
		add_deadline(id, "enforcement_application.review", recv, recv + 7, "open", 0);
}

/* ===== ledger ===== */

struct category {
	const char *code;
	double weight;
	int64_t id;
	const char *titles[4];
	int people_lo, people_hi;
};

static struct category cats[] = {
	{ "meeting", 20, 0, { "召开法治政府建设专题会议", "召开依法治理工作推进会", "召开行政复议应诉工作例会", "召开普法工作联席会议" }, 8, 60 },
	{ "training", 15, 0, { "开展行政执法人员法治培训", "举办领导干部学法讲座", "开展行政复议应诉业务培训", "组织法治业务专题培训" }, 20, 300 },
	{ "inspection", 10, 0, { "开展法治督察检查", "开展行政执法案卷评查", "开展规范性文件专项检查", "开展执法监督检查" }, 3, 20 },
	{ "exam", 5, 0, { "组织行政执法人员法律知识考试", "组织领导干部年度述法考核", "组织新任职干部法律考试", "开展法治建设考核" }, 10, 400 },
	{ "leader_report", 5, 0, { "向党委政府报告法治建设工作", "向主要负责人报告行政复议情况", "报告年度法治政府建设情况", "报告依法行政工作" }, 0, 0 },
	{ "publicity", 40, 0, { "开展普法宣传进社区活动", "开展宪法宣传周活动", "开展民法典宣传活动", "开展法律进企业活动" }, 50, 3000 },
	{ "other", 5, 0, { "开展法治文化阵地建设", "开展合法性审查工作", "开展法律顾问服务", "开展矛盾纠纷化解" }, 0, 50 },
};

static void gen_ledger(struct county *c, int day)
{
	double w[N(cats)];
	struct category *g;
	char d[11], title[256];
	int64_t org;
	double r = frand();
	int i, voided = chance(0.01);

	for (i = 0; i < N(cats); i++)
		w[i] = cats[i].weight;
	g = &cats[pick(w, N(cats))];
	if (r < 0.3)
		org = c->sfj;
	else if (r < 0.6 && c->ntowns)
		org = c->offices[irand(0, c->ntowns - 1)];
	else if (r < 0.9)
		org = c->depts[irand(0, c->ndepts - 1)];
	else
		org = c->ntowns ? c->towns[irand(0, c->ntowns - 1)] : c->gov;
	snprintf(title, sizeof(title), "%s", g->titles[irand(0, 3)]);
	bi(ins_ledger, 1, org);
	bi(ins_ledger, 2, g->id);
	bt(ins_ledger, 3, dstr(day, d));
	bt(ins_ledger, 4, title);
	bi(ins_ledger, 5, chance(0.9) ? 1 : irand(2, 5));
	bi(ins_ledger, 6, g->people_hi ? irand(g->people_lo, g->people_hi) : 0);
	bi(ins_ledger, 7, !strcmp(g->code, "publicity") ? irand(0, 500) : 0);
	bi(ins_ledger, 8, !strcmp(g->code, "publicity") && chance(0.3) ? irand(100, 500000) * 100 : 0);
	bt(ins_ledger, 9, "");
	bt(ins_ledger, 10, voided ? "voided" : "active");
	bt(ins_ledger, 11, voided ? "重复录入" : NULL);
	bi(ins_ledger, 13, ts_of(day));
	run(ins_ledger);
	n_ledger++;
	n_rows++;
}

/* ===== main ===== */

static void usage(void)
{
	fprintf(stderr, "usage: bench/gen --db FILE [--records N] [--county CODE] [--today YYYY-MM-DD] [--seed S]"
			" [--data DIR]\n");
	exit(2);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Secondary indexes of the bulk tables: saved, dropped for the load, rebuilt after it. */
static char *index_sql[64];
static int nindex;

static void drop_indexes(void)
{
	sqlite3_stmt *st = prep("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND"
				" tbl_name IN ('case_file', 'case_party', 'case_event', 'case_deadline', 'ledger_entry')");
	char *names[64], drop[256];
	int i, n = 0;

	while (sqlite3_step(st) == SQLITE_ROW && n < 64) {
		names[n++] = strdup((const char *)sqlite3_column_text(st, 0));
		index_sql[nindex++] = strdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	for (i = 0; i < n; i++) {
		snprintf(drop, sizeof(drop), "DROP INDEX \"%s\"", names[i]);
		exec(drop);
		free(names[i]);
	}
}

int main(int argc, char **argv)
{
	const char *path = NULL, *dir = "bench/data", *today_s = NULL;
	long records = 1000000, cases, ledgers, done_cases = 0, done_ledger = 0, since_commit = 0;
	double t0 = now_s(), *cum, total_w = 0, dw, acc_w = 0, *county_w;
	int i, day, ndays, ty, tm, td;
	int64_t count = 0;
	sqlite3_stmt *st;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--records") && i + 1 < argc)
			records = atol(argv[++i]);
		else if (!strcmp(argv[i], "--today") && i + 1 < argc)
			today_s = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rng_state = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--data") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--county") && i + 1 < argc)
			only_county = argv[++i];
		else
			usage();
	}
	if (!path || records < 1000)
		usage();
	if (today_s) {
		if (sscanf(today_s, "%d-%d-%d", &ty, &tm, &td) != 3)
			usage();
		today = days_from_civil(ty, tm, td);
	} else {
		today = (int)((time(NULL) + 8 * 3600) / 86400);
	}
	first_year = year_of(today) - (NYEARS - 1);
	start_day = days_from_civil(first_year, 1, 1);
	ndays = today - start_day; /* up to yesterday */
	now_ts = (int64_t)today * 86400;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die("cannot open %s: %s", path, sqlite3_errmsg(db));
	st = prep("SELECT COUNT(*), MIN(id) FROM org");
	if (sqlite3_step(st) == SQLITE_ROW) {
		count = sqlite3_column_int64(st, 0);
		root_id = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (count != 1)
		die("%s should hold just the root org made by `fazhi init --org-name 浙江省人民政府` (or, with --county,"
		    " `fazhi init --division-code CODE`); it has %lld orgs",
		    path, (long long)count);
	st = prep("SELECT COALESCE(MAX(id), 0) + 1 FROM app_user");
	sqlite3_step(st);
	next_user = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);

	exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;"
	     " PRAGMA foreign_keys=OFF");
	drop_indexes();
	exec("BEGIN");
	paths[root_id] = strdup("/");
	{
		char p[32];

		snprintf(p, sizeof(p), "/%lld/", (long long)root_id);
		paths[root_id] = strdup(p);
	}
	if (!only_county)
		exec("UPDATE org SET division_code = '330000', short_name = '省政府', abbr = '浙' WHERE parent_id IS NULL");
	next_org = root_id + 1;
	ins_org = prep("INSERT INTO org (id, parent_id, kind, name, short_name, division_code, sort_order, path, status,"
		       " created_at, updated_at, abbr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'active', ?9, ?9, ?10)");
	ins_user = prep("INSERT INTO app_user (id, username, display_name, org_id, password_hash, must_change, status,"
			" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, '!bench-no-login', 1, 'active', ?5, ?5)");
	build_orgs(dir);
	if (only_county) {
		char sql[256];

		if (ncounties != 1)
			die("no county %s in %s/counties.csv", only_county, dir);
		snprintf(sql, sizeof(sql), "UPDATE org SET abbr = '%s', short_name = '政府' WHERE id = %lld",
			 counties[0].abbr, (long long)root_id);
		exec(sql);
	}
	for (i = 0; i < N(cats); i++) {
		char sql[128];

		snprintf(sql, sizeof(sql), "SELECT id FROM ledger_category WHERE code = '%s'", cats[i].code);
		st = prep(sql);
		if (sqlite3_step(st) != SQLITE_ROW)
			die("ledger category %s missing", cats[i].code);
		cats[i].id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}

	ins_case = prep("INSERT INTO case_file (id, kind, org_id, party_org_id, case_no, case_year, case_seq, title, state,"
			" handler_id, received_date, accepted_date, decided_date, closed_date, outcome, corrected, mediated,"
			" lost, extension_days, extension_approver, created_by, created_at, updated_at) VALUES (?1, ?2, ?3,"
			" ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)");
	ins_recon = prep("INSERT INTO reconsideration (case_id, channel, procedure, act, claims, amount_yuan, hearing_held,"
			 " opinion_letters, suggestion_letters) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	ins_lit = prep("INSERT INTO litigation (case_id, instance, court, filed_date, served_date, carried_over, hearing_held,"
		       " head_appeared, head_name, head_post, ruling_kind, appealed, risk_flag, hearing_date)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
	ins_party = prep("INSERT INTO case_party (case_id, role, party_type, name, org_id, uscc, created_at)"
			 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	ins_event = prep("INSERT INTO case_event (case_id, action, from_state, to_state, event_date, actor_id, detail,"
			 " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	ins_deadline = prep("INSERT INTO case_deadline (case_id, rule, start_date, due_date, status, met_date, created_at,"
			    " provisional) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)");
	ins_ledger = prep("INSERT INTO ledger_entry (org_id, category_id, entry_date, title, times, people, items,"
			  " amount_fen, note, status, void_reason, created_by, created_at, updated_at)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)");

	/* Day weights: +8% a year, weekends a quarter of a working day. */
	cum = calloc((size_t)ndays + 1, sizeof(*cum));
	for (day = 0; day < ndays; day++) {
		int wd = (start_day + day + 4) % 7; /* 0 = Sunday */

		dw = 1.0;
		for (i = first_year; i < year_of(start_day + day); i++)
			dw *= 1.08;
		if (wd == 0 || wd == 6)
			dw *= 0.25;
		total_w += dw;
		cum[day + 1] = total_w;
	}
	county_w = calloc((size_t)ncounties, sizeof(*county_w));
	for (i = 0; i < ncounties; i++)
		county_w[i] = counties[i].weight;
	cases = records * 6 / 10;
	ledgers = records - cases;
	for (day = 0; day < ndays; day++) {
		long want_c = (long)((double)cases * cum[day + 1] / total_w + 0.5) - done_cases;
		long want_l = (long)((double)ledgers * cum[day + 1] / total_w + 0.5) - done_ledger;
		int d = start_day + day;
		long k;

		for (k = 0; k < want_c; k++) {
			struct county *c = &counties[pick(county_w, ncounties)];
			double r = frand();

			if (r < 0.50)
				gen_reconsideration(c, d);
			else if (r < 0.88)
				gen_litigation(c, d);
			else
				gen_enforcement(c, d);
		}
		for (k = 0; k < want_l; k++)
			gen_ledger(&counties[pick(county_w, ncounties)], d);
		done_cases += want_c;
		done_ledger += want_l;
		since_commit += want_c + want_l;
		if (since_commit >= BATCH) {
			exec("COMMIT; BEGIN");
			since_commit = 0;
			fprintf(stderr, "\rbench/gen: %ld records (%.1f s)", done_cases + done_ledger, now_s() - t0);
		}
		(void)acc_w;
	}
	exec("INSERT INTO case_counter (org_id, kind, year, last_seq) SELECT org_id, kind, case_year, MAX(case_seq)"
	     " FROM case_file WHERE case_seq IS NOT NULL GROUP BY org_id, kind, case_year");
	exec("COMMIT");
	fprintf(stderr, "\rbench/gen: %ld records, %ld rows inserted (%.1f s); building indexes\n",
		done_cases + done_ledger, n_rows, now_s() - t0);
	exec("BEGIN");
	for (i = 0; i < nindex; i++)
		exec(index_sql[i]);
	exec("COMMIT");
	sqlite3_finalize(ins_org);
	sqlite3_finalize(ins_user);
	sqlite3_finalize(ins_case);
	sqlite3_finalize(ins_recon);
	sqlite3_finalize(ins_lit);
	sqlite3_finalize(ins_party);
	sqlite3_finalize(ins_event);
	sqlite3_finalize(ins_deadline);
	sqlite3_finalize(ins_ledger);
	exec("PRAGMA journal_mode=WAL");
	sqlite3_close(db);
	fprintf(stderr, "bench/gen: done in %.1f s\n", now_s() - t0);
	printf("{\"records\":%ld,\"cases\":%ld,\"reconsideration\":%ld,\"litigation\":%ld,"
	       "\"enforcement_application\":%ld,\"ledger\":%ld,\"orgs\":%lld,\"counties\":%d,\"rows\":%ld,"
	       "\"first_year\":%d,\"seconds\":%.1f}\n",
	       done_cases + done_ledger, done_cases, n_recon, n_lit, n_enf, n_ledger, (long long)(next_org - root_id),
	       ncounties, n_rows, first_year, now_s() - t0);
	return 0;
}
