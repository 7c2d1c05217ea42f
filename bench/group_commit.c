/*
 * bench/group_commit DB [SECONDS] [BATCHES]: what group commit would give.
 *
 * Registers 行政复议 cases on DB (a copy of a fresh `fazhi init --demo`
 * database) with the server's own storage functions (build/libfazhi.a):
 * per case the number counter, the case_file row, the reconsideration row,
 * the applicant and respondent parties, the timeline event, the statutory
 * acceptance deadline and the SM3-chained audit record, exactly the rows
 * POST /api/v1/reconsiderations writes. The connection is opened by db_open
 * (WAL, synchronous=FULL, as the server). For each batch size N in BATCHES
 * (default 1,2,4,8,16,32,64) it commits N registrations per transaction for
 * SECONDS (default 2) and reports durable registrations per second. N = 1 is
 * what the server does today (one transaction per request); N > 1 is what a
 * server that gathered the requests waiting for the write lock into one
 * transaction (group commit) could reach, before HTTP and JSON costs.
 * One line of JSON per batch size: {"batch": N, "per_second": R, "commits_per_second": C};
 * then {"wal_frames_per_commit": F, "page_size": P}: the pages one registration's
 * commit appends to the WAL (measured over 20 commits with the WAL restarted and
 * automatic checkpoints off), i.e. what each fsync of the server carries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/calendar.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "domain/cases/case.h"
#include "domain/reconsideration/reconsideration.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int check(struct db *db, int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "group_commit: %s: %s\n", what, db_errmsg(db));
		exit(1);
	}
	return rc;
}

/* One registration, inside the caller's transaction. */
static void register_case(struct db *db, int64_t org, int64_t respondent, int64_t user, int today, long n)
{
	char number[128], title[256], recv[11], detail[300], object_id[32];
	struct audit_event ev;
	struct case_row c;
	int64_t seq, id;

	date_format(today, recv);
	check(db, case_store_next_seq(db, org, "reconsideration", today / 10000, &seq), "counter");
	case_format_number(number, sizeof(number), "基准", "复", today / 10000, seq);
	snprintf(title, sizeof(title), "申请人%ld不服行政处罚决定", n);
	check(db,
	      case_store_insert(db, "reconsideration", org, respondent, number, today / 10000, seq, title, "registered",
				0, recv, user, &id),
	      "case_file");
	check(db, reconsideration_store_insert(db, id, "online", "行政处罚决定", "请求撤销该行政处罚决定", 0),
	      "reconsideration");
	check(db,
	      db_exec(db,
		      "INSERT INTO case_party (case_id, role, party_type, name, created_at) VALUES ($1, 'applicant',"
		      " 'person', $2, $3)",
		      db_int(id), db_text("张三"), db_int(time_now())),
	      "applicant");
	check(db,
	      db_exec(db,
		      "INSERT INTO case_party (case_id, role, party_type, name, org_id, created_at)"
		      " VALUES ($1, 'respondent', 'org', $2, $3, $4)",
		      db_int(id), db_text("被申请人"), db_int(respondent), db_int(time_now())),
	      "respondent");
	snprintf(detail, sizeof(detail), "登记行政复议 %s", number);
	check(db, case_store_add_event(db, id, "create", NULL, "registered", recv, user, detail), "event");
	if (case_store_load(db, id, &c) != DB_ROW)
		check(db, -1, "load");
	check(db,
	      case_deadline_open(db, &c, case_rule_find(&reconsideration_kind, "reconsideration.accept"), today),
	      "deadline");
	memset(&ev, 0, sizeof(ev));
	snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
	ev.user_id = user;
	ev.username = "staff";
	ev.org_id = org;
	ev.ip = "127.0.0.1";
	ev.action = "reconsideration.create";
	ev.object_type = "case";
	ev.object_id = object_id;
	ev.success = 1;
	ev.detail = detail;
	check(db, audit_append(db, &ev), "audit");
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : NULL;
	double seconds = argc > 2 ? atof(argv[2]) : 2.0;
	const char *batches = argc > 3 ? argv[3] : "1,2,4,8,16,32,64";
	char err[512], list[256], *tok, *save = NULL;
	int64_t org = 0, respondent = 0, user = 0;
	struct db *db;
	long n = 0;
	int today = time_today_cst();

	if (!path || seconds <= 0) {
		fprintf(stderr, "usage: group_commit DB [SECONDS] [BATCHES]\n");
		return 2;
	}
	if (db_open(&db, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "group_commit: %s\n", err);
		return 1;
	}
	if (case_calendar_load(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "group_commit: calendar: %s\n", err);
		return 1;
	}
	db_query_int(db, &org, "SELECT MIN(id) FROM org WHERE parent_id IS NULL");
	db_query_int(db, &respondent, "SELECT MIN(id) FROM org WHERE kind = 'department'");
	db_query_int(db, &user, "SELECT MIN(id) FROM app_user");
	if (!org || !respondent) {
		fprintf(stderr, "group_commit: %s has no root org or no department (use a `fazhi init --demo` copy)\n",
			path);
		return 1;
	}
	snprintf(list, sizeof(list), "%s", batches);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long batch = atol(tok), done = 0, commits = 0, i;
		double t0 = now_s(), t;

		if (batch < 1)
			continue;
		do {
			check(db, db_begin(db, DB_TX_WRITE), "begin");
			for (i = 0; i < batch; i++)
				register_case(db, org, respondent, user, today, ++n);
			check(db, db_commit(db), "commit");
			done += batch;
			commits++;
			t = now_s();
		} while (t - t0 < seconds);
		printf("{\"batch\": %ld, \"per_second\": %.1f, \"commits_per_second\": %.1f}\n", batch,
		       (double)done / (t - t0), (double)commits / (t - t0));
		fflush(stdout);
	}
	{
		char wal[4200];
		struct stat stt;
		int64_t page = 4096;
		long i;

		snprintf(wal, sizeof(wal), "%s-wal", path);
		db_query_int(db, &page, "PRAGMA page_size");
		check(db, db_exec_script(db, "PRAGMA wal_autocheckpoint=0; PRAGMA wal_checkpoint(TRUNCATE)"), "checkpoint");
		for (i = 0; i < 20; i++) {
			check(db, db_begin(db, DB_TX_WRITE), "begin");
			register_case(db, org, respondent, user, today, ++n);
			check(db, db_commit(db), "commit");
		}
		if (stat(wal, &stt) == 0)
			printf("{\"wal_frames_per_commit\": %.1f, \"page_size\": %lld}\n",
			       (double)(stt.st_size - 32) / (double)(page + 24) / 20.0, (long long)page);
		db_exec_script(db, "PRAGMA wal_autocheckpoint=1000");
	}
	db_close(db);
	return 0;
}
