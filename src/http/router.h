/*
 * The router: matches a request against the module route tables and runs
 * the route's policy in a fixed order — session, pending password change,
 * permission, CSRF, JSON body, transaction, handler, audit, commit — then
 * leaves the reply (or the error) on the request for the server to send.
 */
#ifndef FAZHI_HTTP_ROUTER_H
#define FAZHI_HTTP_ROUTER_H

#include "request.h"

/* Check the tables (no duplicate method+pattern, well-formed patterns). -1 on a bad table. */
int router_init(const struct module *const *modules);

/* The flags of the route a method and path lead to (0 when none); no captures, no allocation. */
int router_route_flags(int method, const char *path);
/*
 * Run n requests on ROUTE_TX routes in one transaction on db, each in its own
 * savepoint (group commit); each gets its reply or error as router_dispatch
 * would give it, successes only when the commit succeeded.
 */
struct db;
void router_dispatch_group(struct request **reqs, size_t n, struct db *db);

/* Route and run one request; afterwards req->status and reply/error are set. */
void router_dispatch(struct request *req);

/*
 * Append the audit record of the current request (inside the handler's own
 * write transaction) and mark it done. For handlers that manage their own
 * transaction because slow work (password hashing) must happen before it.
 */
int router_audit(struct request *req, int success);

/*
 * End a handler-owned write transaction: when rc is 0, append the audit
 * record and commit; otherwise roll back (the router then records the
 * failure). Returns 0 or the negative database error.
 */
int router_commit_audited(struct request *req, int rc);

/* Serialise req's reply or error into a heap buffer (caller frees). */
char *router_render(struct request *req, size_t *len);

/* The HTTP method of a name ("GET"...), 0 if unknown. */
int http_method_of(const char *name);

#endif
