/*
 * What a handler sees: one struct request per HTTP request, owned by the
 * worker thread that runs it, with everything allocated from req->arena.
 * Handlers read the matched path parameters, query string, the parsed and
 * schema-checked JSON body, the session; they set req->reply (a jansson
 * object, owned by the request) or fail with api_error().
 *
 * Route tables are data: each module exports {method, pattern, handler,
 * permission, flags, body schema, audit action}. The router enforces the
 * flags (session, permission, CSRF, JSON, transaction, audit) so handlers
 * never repeat them.
 */
#ifndef FAZHI_HTTP_REQUEST_H
#define FAZHI_HTTP_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

struct db;
struct conf;

enum http_method { HTTP_GET = 1, HTTP_POST = 2, HTTP_PUT = 4, HTTP_PATCH = 8, HTTP_DELETE = 16, HTTP_HEAD = 32 };

enum route_flags {
	ROUTE_PUBLIC = 1 << 0,      /* no session needed */
	ROUTE_TX = 1 << 1,          /* run inside one write transaction */
	ROUTE_AUDIT = 1 << 2,       /* write an audit record (same transaction when ROUTE_TX) */
	ROUTE_JSON = 1 << 3,        /* body must be a JSON object matching route->body */
	ROUTE_PW_CHANGE_OK = 1 << 4, /* allowed while a password change is pending */
	ROUTE_BODY_BY_HANDLER = 1 << 5, /* JSON parsed by the router, checked by the handler (body_validate) */
	ROUTE_UPLOAD = 1 << 6,          /* raw body up to max_upload bytes (other routes: max_body) */
	ROUTE_SLOW = 1 << 7,            /* costly CPU work anyone can ask for (password hashing): the server runs
					   fewer at once than it has workers and CPUs, so other requests always
					   find both */
	ROUTE_READ = 1 << 8             /* a POST that only reads (a report preview): one snapshot, as a GET */
};

/* Data scope of a session, widest of its roles. */
enum scope { SCOPE_SELF = 0, SCOPE_ORG = 1, SCOPE_SUBTREE = 2, SCOPE_ALL = 3 };

enum field_type { FIELD_STRING, FIELD_INT, FIELD_BOOL, FIELD_INT_ARRAY, FIELD_STRING_ARRAY, FIELD_OBJECT_ARRAY, FIELD_OBJECT };

/*
 * One key of a JSON body. Strings: min/max are lengths in characters
 * (Chinese text counts one per character); ints: value bounds; arrays: item
 * count. `check` validates a string value and returns a Chinese message on
 * rejection (NULL when fine). `values` lists the allowed strings of an enum.
 */
struct body_field {
	const char *name;
	enum field_type type;
	int required;
	int64_t min, max;
	const char *label; /* Chinese field name for messages */
	const char *(*check)(const char *value);
	const char *const *values;
};

struct request;
typedef int (*handler_fn)(struct request *req);

struct route {
	int method;
	const char *pattern; /* "/api/v1/orgs/{id}" */
	handler_fn handler;
	const char *permission; /* NULL: any signed-in user */
	int flags;
	const struct body_field *body; /* NULL-name terminated, or NULL */
	const char *action;            /* audit action, e.g. "org.create" */
};

struct module {
	const char *name;
	const struct route *routes;
	size_t nroutes;
};

struct session {
	int64_t user_id;
	char username[64];
	char display_name[128];
	int64_t org_id;
	char org_path[256];    /* "/1/5/" */
	char tenant_path[32];  /* "/1/": the root of the user's tree */
	enum scope scope;
	int must_change;
	char csrf[65];
	char token_hash[65];
	int64_t created_at;
	size_t nperms;
	const char **perms; /* sorted */
};

#define REQ_MAX_PARAMS 8

struct request {
	struct arena arena;
	struct db *db;
	const struct conf *conf;
	int method;
	const char *path;
	const char *query; /* raw, may be NULL */
	const char *cookie;
	const char *csrf_header;
	const char *content_type;
	const char *user_agent;
	const char *body;
	size_t body_len;
	char client_ip[64];

	const struct route *route;
	size_t nparams;
	const char *param_names[REQ_MAX_PARAMS];
	const char *param_values[REQ_MAX_PARAMS];

	json_t *json;             /* parsed body (ROUTE_JSON) */
	struct session *session;  /* NULL when not signed in */

	/* reply */
	int status;
	json_t *reply;
	const char *set_cookie;
	const char *content_type_out; /* default application/json */
	const char *raw_body;         /* non-JSON reply body (arena) */
	size_t raw_len;
	const char *retry_after;
	const char *disposition;      /* Content-Disposition of a download */
	/*
	 * A write whose reply is a fresh read of what it wrote sets this instead
	 * of reading inside its transaction: router_render builds the reply after
	 * the commit (for a group commit, after the one write slot is free again),
	 * so the read does not hold up the next writers. Not called when the
	 * request or its commit failed. The reply shows the row as committed, or
	 * newer; should the read fail, the reply is {"id": after_commit_id}.
	 */
	json_t *(*reply_after_commit)(struct request *req);
	int64_t after_commit_id;

	/* error, when a step failed */
	const char *err_code;
	const char *err_message;
	json_t *err_details;

	/* audit */
	const char *audit_object_type;
	char audit_object_id[32];
	const char *audit_detail;
	int audit_done; /* handler wrote its own audit record(s) */
	int in_group;   /* runs inside a group commit's transaction (router_dispatch_group) */
};

/*
 * Fail the request: sets status, code, Chinese message (NULL = the code's
 * default) and optional details (stolen reference). Returns -1 so handlers
 * can `return api_error(...)`.
 */
int api_error(struct request *req, const char *code, const char *message, json_t *details);
/* Same, with status taken from the code table but a formatted message. */
int api_errorf(struct request *req, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 400 VALIDATION_FAILED with details {"fields": {field: message}}. */
int api_field_error(struct request *req, const char *field, const char *message);
/* Map a negative enum db_err to the right API error (409, 503, 500...). */
int api_db_error(struct request *req, int db_rc);
/* HTTP status of an error code (500 for unknown codes). */
int api_error_status(const char *code);
/* Default Chinese message of an error code. */
const char *api_error_message(const char *code);

/* Path parameter by name, or NULL. */
const char *req_param(struct request *req, const char *name);
/* Path parameter as a positive integer id; on failure sets a 404 and returns -1. */
int req_param_id(struct request *req, const char *name, int64_t *out);
/* Query-string value (decoded, in the arena) or NULL. */
const char *req_query(struct request *req, const char *name);
/* Paging from ?page=&page_size= (defaults 1 and 20, page_size <= 200). */
void req_paging(struct request *req, int64_t *limit, int64_t *offset, int64_t *page);

/* Body accessors (after schema validation they never fail on type). */
const char *body_str(struct request *req, const char *name); /* NULL if absent */
int body_has(struct request *req, const char *name);
int64_t body_int(struct request *req, const char *name, int64_t def);

/* Session helpers. */
int session_has_perm(const struct session *s, const char *perm);
/* LIKE pattern selecting the org paths visible to the session ("/1/%"). */
const char *session_scope_pattern(struct request *req);
/* True when an org with this path is inside the session's data scope. */
int session_can_see_path(const struct session *s, const char *path);

/* Id of the session's tenant (the root org of its tree, from tenant_path); 0 if unparsable. */
int64_t session_tenant_id(const struct session *s);
/* Set the audit object of the current request. */
void req_audit_object(struct request *req, const char *type, int64_t id);

#endif
