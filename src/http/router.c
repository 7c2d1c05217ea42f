/*
 * Route matching and the per-request policy pipeline; see router.h.
 * Patterns are matched segment by segment: literal or {name}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "body.h"
#include "router.h"
#include "json_write.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "core/banned.h"

static const struct module *const *route_modules;

int http_method_of(const char *name)
{
	static const struct {
		const char *name;
		int method;
	} methods[] = { { "GET", HTTP_GET },	 { "POST", HTTP_POST },	    { "PUT", HTTP_PUT },
			{ "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE }, { "HEAD", HTTP_HEAD } };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(methods); i++)
		if (!strcmp(methods[i].name, name))
			return methods[i].method;
	return 0;
}

int router_init(const struct module *const *modules)
{
	const struct module *const *m, *const *m2;
	size_t i, j;

	route_modules = modules;
	for (m = modules; *m; m++) {
		for (i = 0; i < (*m)->nroutes; i++) {
			const struct route *r = &(*m)->routes[i];

			if (r->pattern[0] != '/' || !r->handler) {
				log_error("router: bad route %s in module %s", r->pattern, (*m)->name);
				return -1;
			}
			if ((r->flags & ROUTE_AUDIT) && !r->action) {
				log_error("router: audited route %s has no action", r->pattern);
				return -1;
			}
			for (m2 = modules; *m2; m2++)
				for (j = 0; j < (*m2)->nroutes; j++) {
					const struct route *r2 = &(*m2)->routes[j];

					if (r2 != r && r2->method == r->method && !strcmp(r2->pattern, r->pattern)) {
						log_error("router: duplicate route %s", r->pattern);
						return -1;
					}
				}
		}
	}
	return 0;
}

/*
 * Match path against pattern, capturing {params} into req (arena copies;
 * req may be NULL to only test). Returns 1 on a match.
 */
static int match(struct request *req, const char *pattern, const char *path)
{
	const char *p = pattern, *s = path;
	size_t nparams = 0;

	if (req)
		req->nparams = 0;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			/* A parameter runs to the next '/', or to the literal that follows it
			 * in the pattern ("{id}.html" stops at the last '.'). */
			size_t n = strcspn(s, "/");

			if (pe && pe[1] && pe[1] != '/') {
				const char *stop = NULL, *q;

				for (q = s; q < s + n; q++)
					if (*q == pe[1])
						stop = q;
				n = stop ? (size_t)(stop - s) : 0;
			}

			if (!pe || n == 0 || nparams == REQ_MAX_PARAMS)
				return 0;
			if (req) {
				req->param_names[nparams] = arena_strndup(&req->arena, p + 1, (size_t)(pe - p - 1));
				req->param_values[nparams] = arena_strndup(&req->arena, s, n);
				req->nparams = nparams + 1;
			}
			nparams++;
			p = pe + 1;
			s += n;
		} else {
			if (*p != *s)
				return 0;
			p++;
			s++;
		}
	}
	return *p == '\0' && *s == '\0';
}

int router_route_flags(int method, const char *path)
{
	const struct module *const *m;
	size_t i;

	if (method == HTTP_HEAD)
		method = HTTP_GET;
	for (m = route_modules; m && *m; m++)
		for (i = 0; i < (*m)->nroutes; i++) {
			const struct route *r = &(*m)->routes[i];

			if ((r->method & method) && match(NULL, r->pattern, path))
				return r->flags;
		}
	return 0;
}

/* Find the route; sets 404 or 405 when none fits. */
static const struct route *find_route(struct request *req)
{
	const struct module *const *m;
	int path_matched = 0;
	size_t i;

	for (m = route_modules; m && *m; m++) {
		for (i = 0; i < (*m)->nroutes; i++) {
			const struct route *r = &(*m)->routes[i];
			int method = req->method == HTTP_HEAD ? HTTP_GET : req->method;

			if (!match(req, r->pattern, req->path))
				continue;
			if (r->method & method)
				return r;
			path_matched = 1;
		}
	}
	req->nparams = 0;
	api_error(req, path_matched ? "METHOD_NOT_ALLOWED" : "NOT_FOUND", NULL, NULL);
	return NULL;
}

static int is_write(int method)
{
	return method != HTTP_GET && method != HTTP_HEAD;
}

static void fill_event(struct request *req, struct audit_event *ev, int success)
{
	const struct session *s = req->session;

	memset(ev, 0, sizeof(*ev));
	ev->user_id = s ? s->user_id : 0;
	ev->username = s ? s->username : "";
	ev->org_id = s ? s->org_id : 0;
	ev->ip = req->client_ip;
	ev->action = req->route->action;
	ev->object_type = req->audit_object_type;
	ev->object_id = req->audit_object_id;
	ev->success = success;
	if (success)
		ev->detail = req->audit_detail;
	else
		ev->detail = arena_printf(&req->arena, "%s %s", req->err_code ? req->err_code : "",
					  req->err_message ? req->err_message : "");
}

/* Record a refused or failed state-changing request in its own transaction. */
static void audit_failure(struct request *req)
{
	struct audit_event ev;
	int rc;

	if (!req->route || !(req->route->flags & ROUTE_AUDIT) || req->audit_done)
		return;
	fill_event(req, &ev, 0);
	rc = req->in_group ? audit_append(req->db, &ev) : audit_append_tx(req->db, &ev);
	if (rc < 0)
		log_error("audit: could not record failure of %s: %s", req->route->action, db_errmsg(req->db));
}

int router_audit(struct request *req, int success)
{
	struct audit_event ev;
	int rc;

	fill_event(req, &ev, success);
	rc = audit_append(req->db, &ev);
	if (rc == 0)
		req->audit_done = 1;
	return rc;
}

int router_commit_audited(struct request *req, int rc)
{
	if (rc == 0)
		rc = router_audit(req, 1);
	if (rc == 0)
		rc = db_commit(req->db);
	else
		db_rollback(req->db);
	if (rc < 0)
		req->audit_done = 0;
	return rc;
}

/* Checks before the handler; -1 with the error set when the request is refused. */
static int admit(struct request *req)
{
	const struct route *r = req->route;
	int rc;

	if (!(r->flags & ROUTE_PUBLIC)) {
		rc = auth_load_session(req);
		if (rc < 0)
			return api_db_error(req, rc);
		if (!req->session)
			return api_error(req, "UNAUTHENTICATED", NULL, NULL);
		if (req->session->must_change && !(r->flags & ROUTE_PW_CHANGE_OK))
			return api_error(req, "PASSWORD_CHANGE_REQUIRED", NULL, NULL);
		if (r->permission && !session_has_perm(req->session, r->permission))
			return api_error(req, "FORBIDDEN", NULL, NULL);
	}
	if (req->session && is_write(req->method)) {
		if (!req->csrf_header || strlen(req->csrf_header) != 64 ||
		    ct_memcmp(req->csrf_header, req->session->csrf, 64))
			return api_error(req, "CSRF_FAILED", NULL, NULL);
	}
	if (!(r->flags & ROUTE_UPLOAD) && req->conf && req->body_len > (size_t)req->conf->max_body)
		return api_errorf(req, "PAYLOAD_TOO_LARGE", "请求体过大(上限%ld字节)", req->conf->max_body);
	if (r->flags & ROUTE_JSON)
		return body_parse(req);
	return 0;
}

/*
 * A request refused after its storage failed (the database server gone, the
 * disk full) gets 503 UNAVAILABLE, whatever the handler made of the failure
 * (an empty result read as "not found" or "no permission", a NULL reply read
 * as an internal error): the client should retry, not believe the refusal.
 */
static void storage_failure_wins(struct request *req, unsigned unavailable_before)
{
	if (req->err_code && strcmp(req->err_code, "UNAVAILABLE") && req->db &&
	    db_unavailable_count(req->db) != unavailable_before)
		api_error(req, "UNAVAILABLE", NULL, NULL);
}

/*
 * A read (GET, HEAD or ROUTE_READ, neither ROUTE_TX nor ROUTE_AUDIT) runs its
 * statements in one read transaction: a list's count and its page, a
 * detail's case and its parties, a metric set's figures all see the database
 * as of one moment, though writes commit between them (on SQLite a deferred
 * BEGIN, on PostgreSQL REPEATABLE READ, see db_begin). Opened after admit,
 * whose session refresh is a write of its own.
 */
static int is_snapshot_read(const struct request *req, const struct route *r)
{
	return req->db && ((req->method & (HTTP_GET | HTTP_HEAD)) || (r->flags & ROUTE_READ)) &&
	       !(r->flags & (ROUTE_TX | ROUTE_AUDIT));
}

void router_dispatch(struct request *req)
{
	const struct route *r;
	struct audit_event ev;
	unsigned unavailable = req->db ? db_unavailable_count(req->db) : 0;
	int rc, snapshot;

	req->status = 200;
	r = find_route(req);
	if (!r)
		return;
	req->route = r;
	if (admit(req) < 0) {
		storage_failure_wins(req, unavailable);
		audit_failure(req);
		return;
	}
	snapshot = is_snapshot_read(req, r);
	rc = 0;
	if (snapshot)
		rc = db_begin(req->db, DB_TX_READ);
	else if (r->flags & ROUTE_TX)
		rc = req->in_group ? db_savepoint(req->db) : db_begin(req->db, DB_TX_WRITE);
	if (rc < 0) {
		api_db_error(req, rc);
		return;
	}
	rc = r->handler(req);
	if (snapshot) /* nothing to keep; ended whatever became of it, a lost connection too */
		db_rollback(req->db);
	if (rc == 0 && (r->flags & ROUTE_AUDIT) && !req->audit_done) {
		fill_event(req, &ev, 1);
		rc = (r->flags & ROUTE_TX) ? audit_append(req->db, &ev) : audit_append_tx(req->db, &ev);
		if (rc < 0) {
			log_error("audit: append failed for %s: %s", r->action, db_errmsg(req->db));
			api_db_error(req, rc);
			rc = -1;
		}
	}
	if ((r->flags & ROUTE_TX) && req->in_group) {
		/* The group's commit (router_dispatch_group) makes it durable. */
		if (rc == 0)
			rc = db_release(req->db);
		else
			db_rollback_to(req->db);
		if (rc < 0 && !req->err_code)
			api_db_error(req, rc);
	} else if (r->flags & ROUTE_TX) {
		if (rc == 0) {
			rc = db_commit(req->db);
			if (rc < 0) {
				log_error("commit failed for %s: %s", r->action ? r->action : r->pattern,
					  db_errmsg(req->db));
				api_db_error(req, rc);
				rc = -1;
			}
		} else {
			db_rollback(req->db);
		}
	}
	if (rc < 0) {
		if (!req->err_code)
			api_error(req, "INTERNAL", NULL, NULL);
		if (req->reply) {
			json_decref(req->reply);
			req->reply = NULL;
		}
		storage_failure_wins(req, unavailable);
		audit_failure(req);
	}
}

/*
 * Group commit: the write requests of reqs (all on ROUTE_TX routes, all on
 * db) run one after another in one transaction, each in its own savepoint,
 * so a refused request leaves nothing behind and the others keep theirs; one
 * commit (one fsync) then makes all of them durable. A request succeeds only
 * if the commit does: when it fails, or when the backend abandoned the
 * transaction on the way (SQLite rolls back by itself after an I/O error or
 * a full disk), nothing of the group is kept and every request that had
 * succeeded gets the storage error instead. The caller sends no reply
 * before this returns.
 */
void router_dispatch_group(struct request **reqs, size_t n, struct db *db)
{
	size_t i, done = 0;
	int rc;

	for (i = 0; i < n; i++)
		reqs[i]->db = db;
	rc = db_begin(db, DB_TX_WRITE);
	if (rc < 0) {
		for (i = 0; i < n; i++)
			api_db_error(reqs[i], rc);
		return;
	}
	for (i = 0; i < n; i++) {
		reqs[i]->in_group = 1;
		router_dispatch(reqs[i]);
		done++;
		if (!db_in_transaction(db)) {
			rc = DB_READONLY;
			break;
		}
	}
	if (rc == 0) {
		rc = db_commit(db);
		if (rc < 0)
			log_error("group commit of %zu request(s) failed: %s", n, db_errmsg(db));
	} else {
		log_error("group commit: the transaction was abandoned after %zu of %zu request(s): %s", done, n,
			  db_errmsg(db));
		db_rollback(db);
	}
	if (rc == 0)
		return;
	/* Nothing of the group was kept. Successes become the storage error; every failure is audited anew. */
	for (i = 0; i < n; i++) {
		struct request *req = reqs[i];

		req->in_group = 0;
		req->audit_done = 0;
		if (i >= done || !req->err_code) {
			if (req->reply) {
				json_decref(req->reply);
				req->reply = NULL;
			}
			req->raw_body = NULL;
			api_db_error(req, rc);
		}
		audit_failure(req);
	}
}

/* The reply of a write that asked for it to be read after its commit (request.h). */
static void reply_after_commit(struct request *req)
{
	json_t *(*build)(struct request *) = req->reply_after_commit;

	req->reply_after_commit = NULL;
	json_decref(req->reply);
	req->reply = build(req);
	if (!req->reply) {
		log_error("reading the reply of %s after its commit failed: %s", req->path, db_errmsg(req->db));
		req->reply = json_pack("{s:I}", "id", (json_int_t)req->after_commit_id);
	}
}

char *router_render(struct request *req, size_t *len)
{
	json_t *doc;
	char *out;

	if (req->reply_after_commit && !req->err_code)
		reply_after_commit(req);
	if (req->err_code) {
		json_t *err = json_pack("{s:s,s:s}", "code", req->err_code, "message", req->err_message);

		json_object_set(err, "details", req->err_details ? req->err_details : json_null());
		doc = json_pack("{s:o}", "error", err);
	} else if (req->reply) {
		doc = json_incref(req->reply);
	} else {
		doc = json_object();
	}
	out = json_write(doc, len);
	json_decref(doc);
	if (!out)
		abort();
	return out;
}
