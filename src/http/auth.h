/*
 * Sessions: a random 256-bit token in an HttpOnly, SameSite=Strict cookie;
 * only its SM3 hash is stored. Loading a session checks the idle and
 * absolute timeouts of the security policy and that the account is still
 * active, and gathers the permissions and widest data scope of its roles.
 */
#ifndef FAZHI_HTTP_AUTH_H
#define FAZHI_HTTP_AUTH_H

#include <stdint.h>

#include "request.h"

#define SESSION_COOKIE "fazhi_session"

/*
 * The session token of a Cookie header value: the 64 lower-case hex digits
 * of SESSION_COOKIE into token[65]. 0, or -1 when there is none or it is
 * malformed. Exposed for the fuzz tests.
 */
int auth_token_from_cookie(const char *cookie, char token[65]);

/* 1 and req->session set; 0 when there is no valid session; negative db error. */
int auth_load_session(struct request *req);

/* Load permissions and scope of a user into s (arena-allocated list). */
int auth_load_grants(struct db *db, struct arena *a, int64_t user_id, struct session *s);

/*
 * Start a session for user_id (inside the caller's transaction): stores the
 * hashed token, sets req->set_cookie, writes the CSRF token into csrf[65].
 */
int auth_start_session(struct request *req, int64_t user_id, char csrf[65]);

/* End the current session (delete its row, expire the cookie). */
int auth_end_session(struct request *req);

/* Delete every session of a user (password change, lock). */
int auth_end_user_sessions(struct db *db, int64_t user_id);

#endif
