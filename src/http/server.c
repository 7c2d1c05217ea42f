/*
 * evhttp server with a worker pool; see server.h.
 *
 * Threads: the I/O thread owns every libevent object. It copies what a
 * handler needs out of the evhttp_request into a job (method, path, query,
 * a few headers, body) and queues it. A worker takes the job, runs the
 * router with its own database connection, renders the reply, and puts the
 * job on the done list, waking the I/O thread with event_active(), which
 * sends the reply. libevent is told to use pthreads locking so event_active
 * is safe from workers. If the client went away meanwhile, evhttp frees the
 * request when the reply is sent (libevent's contract for evcon == NULL).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "router.h"
#include "server.h"
#include "session_cache.h"
#include "static.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "core/banned.h"

#define FAZHI_VERSION_STRING "fazhi"
#define CONN_BUCKETS 4096
#define WRITE_BATCH_MAX 1024 /* the largest write_batch the settings accept */

struct job {
	struct job *next;
	struct evhttp_request *ev;
	struct request req;
	int64_t queued_ms;
	int slow; /* ROUTE_SLOW: password hashing */
	int write; /* ROUTE_TX: joins a group commit */
	char *out; /* rendered body (heap) */
	size_t out_len;
};

/* Most slow jobs (logins) waiting at once; more are refused with 503 at once. */
#define SLOW_QUEUE_MAX 512
#define SESSION_CACHE_SLOTS 4096 /* signed-in sessions kept in memory (session_cache.h); more evict each other */

/* Where a connection stands, for the deadline on receiving a request. */
enum conn_state {
	CONN_IDLE,    /* between requests: only evhttp's idle timeout applies */
	CONN_READING, /* bytes of a request arrived; it must be complete by its deadline */
	CONN_BUSY,    /* a complete request is being answered */
};

struct conn_entry {
	struct conn_entry *next;
	struct evhttp_connection *evcon;
	enum conn_state state;
	int admitted; /* counted against max_connections */
	int pending;  /* bytes arrived while busy (a pipelined request) */
	int64_t started_ms; /* first byte of the request being read */
	size_t got;         /* its bytes so far */
};

struct worker {
	pthread_t thread;
	struct server *srv;
	struct db *db;
};

struct server {
	const struct conf *conf;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	struct event *done_ev, *sigterm_ev, *sigint_ev;
	struct worker *workers;
	long nworkers;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *queue_head, *queue_tail;
	struct job *done_head;
	int quit;
	long slow_running, slow_max, slow_queued;
	int group_running; /* a worker is running a group of writes */
	long groups, grouped, group_largest; /* group commits, their requests, the largest */

	/* I/O thread only */
	long inflight;
	int stopping;
	long nconns, nadmitted;
	long timed_out; /* connections closed for a request not complete in time */
	struct event *sweep_ev;
	struct conn_entry *conns[CONN_BUCKETS];
};

/* The one server of the process, for the input-buffer callback (its argument is the bufferevent). */
static struct server *the_server;

/* ===== connection accounting (I/O thread) =====
 *
 * Every connection that has sent a byte has an entry, removed by evhttp's
 * close callback. libevent 2.1 re-arms a connection's read timeout on every
 * byte, so a client sending one header byte a second would be kept forever
 * (slowloris). Each entry therefore records when the first byte of the
 * current request arrived; a periodic sweep closes connections whose request
 * is not complete request_timeout seconds later (plus one second per
 * MIN_UPLOAD_RATE bytes received, so that a large upload over a slow line is
 * not cut off). Between requests only the idle timeout applies.
 *
 * The server creates each connection's bufferevent itself (evhttp_set_bevcb)
 * to watch its input buffer: the first bytes of a request start its clock.
 */

#define MIN_UPLOAD_RATE 8192 /* bytes per second a slow request must keep up */

static size_t conn_bucket(struct evhttp_connection *evcon)
{
	return ((uintptr_t)evcon >> 4) % CONN_BUCKETS;
}

static void conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct server *srv = arg;
	struct conn_entry **pp = &srv->conns[conn_bucket(evcon)], *e;

	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->evcon == evcon) {
			e = *pp;
			*pp = e->next;
			if (e->admitted)
				srv->nadmitted--;
			free(e);
			srv->nconns--;
			return;
		}
	}
}

static struct conn_entry *conn_find(struct server *srv, struct evhttp_connection *evcon)
{
	struct conn_entry *e;

	for (e = srv->conns[conn_bucket(evcon)]; e; e = e->next)
		if (e->evcon == evcon)
			return e;
	return NULL;
}

/* The entry of a connection, created (and its close callback set) when absent. */
static struct conn_entry *conn_track(struct server *srv, struct evhttp_connection *evcon)
{
	struct conn_entry *e = conn_find(srv, evcon);
	size_t b = conn_bucket(evcon);

	if (e)
		return e;
	e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	e->evcon = evcon;
	e->state = CONN_IDLE;
	e->next = srv->conns[b];
	srv->conns[b] = e;
	srv->nconns++;
	evhttp_connection_set_closecb(evcon, conn_closed, srv);
	return e;
}

/* Bytes arrived on a connection's input buffer (or were drained: ignored). */
static void conn_input_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct bufferevent *bev = arg;
	struct conn_entry *e;
	void *cbarg = NULL;

	UNUSED(buf);
	if (!info->n_added || !the_server)
		return;
	/* evhttp sets the connection itself as its bufferevent's callback argument. */
	bufferevent_getcb(bev, NULL, NULL, NULL, &cbarg);
	if (!cbarg)
		return;
	e = conn_track(the_server, cbarg);
	if (e->state == CONN_IDLE) {
		e->state = CONN_READING;
		e->started_ms = time_now_ms();
		e->got = 0;
	} else if (e->state == CONN_BUSY) {
		e->pending = 1;
	}
	e->got += info->n_added;
}

static struct bufferevent *conn_bev_cb(struct event_base *base, void *arg)
{
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);

	UNUSED(arg);
	if (bev)
		evbuffer_add_cb(bufferevent_get_input(bev), conn_input_cb, bev);
	return bev;
}

/* A complete request arrived: 0 if admitted, -1 when over max_connections. */
static int conn_request(struct server *srv, struct evhttp_connection *evcon)
{
	struct conn_entry *e = conn_track(srv, evcon);

	e->state = CONN_BUSY;
	e->pending = 0;
	if (!e->admitted) {
		if (srv->nadmitted >= srv->conf->max_connections)
			return -1;
		e->admitted = 1;
		srv->nadmitted++;
	}
	return 0;
}

/* The reply of a request is being sent: the connection waits for the next one.
 * evcon may be NULL (client gone); it is only used when it has an entry,
 * which its close callback would have removed. */
static void conn_replied(struct server *srv, struct evhttp_connection *evcon)
{
	struct conn_entry *e = srv && evcon ? conn_find(srv, evcon) : NULL;

	if (!e)
		return;
	/* Bytes already waiting (a pipelined request read with the last one) start the clock too. */
	if (!e->pending && evbuffer_get_length(bufferevent_get_input(evhttp_connection_get_bufferevent(evcon))))
		e->pending = 1;
	e->state = e->pending ? CONN_READING : CONN_IDLE;
	e->started_ms = time_now_ms();
	e->got = 0;
	e->pending = 0;
}

/* Once a second: close connections whose request did not arrive in time. */
static void sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;
	struct conn_entry *e, *next;
	int64_t now = time_now_ms(), limit = srv->conf->request_timeout * 1000;
	size_t i, n = 0;

	UNUSED(fd);
	UNUSED(what);
	for (i = 0; i < CONN_BUCKETS; i++)
		for (e = srv->conns[i]; e; e = next) {
			next = e->next;
			/* Freeing runs conn_closed, which unlinks and frees e (only e). */
			if (e->state == CONN_READING &&
			    now - e->started_ms > limit + (int64_t)(e->got / MIN_UPLOAD_RATE) * 1000) {
				evhttp_connection_free(e->evcon);
				n++;
			}
		}
	if (n) {
		srv->timed_out += (long)n;
		log_info("closed %zu connection(s) that did not send a complete request within %ld s (%ld so far)", n,
			 srv->conf->request_timeout, srv->timed_out);
	}
}

/* ===== replies (I/O thread) ===== */

static const char *reason_phrase(int status)
{
	static const struct {
		int status;
		const char *reason;
	} reasons[] = {
		{ 200, "OK" },			{ 201, "Created" },	      { 204, "No Content" },
		{ 400, "Bad Request" },		{ 401, "Unauthorized" },      { 403, "Forbidden" },
		{ 404, "Not Found" },		{ 405, "Method Not Allowed" }, { 409, "Conflict" },
		{ 413, "Payload Too Large" },	{ 415, "Unsupported Media Type" },
		{ 429, "Too Many Requests" },	{ 500, "Internal Server Error" },
		{ 503, "Service Unavailable" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reasons); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

static void add_common_headers(struct evkeyvalq *h)
{
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
}

static void send_json(struct evhttp_request *ev, int status, const char *body, size_t len, int close)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(ev);
	struct evbuffer *out = evbuffer_new();

	conn_replied(the_server, evhttp_request_get_connection(ev));
	add_common_headers(h);
	evhttp_add_header(h, "Content-Type", "application/json; charset=utf-8");
	if (close)
		evhttp_add_header(h, "Connection", "close");
	evbuffer_add(out, body, len);
	evhttp_send_reply(ev, status, reason_phrase(status), out);
	evbuffer_free(out);
}

static void send_error(struct evhttp_request *ev, int status, const char *code, const char *message, int close)
{
	char body[512];
	int n = snprintf(body, sizeof(body), "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"details\":null}}",
			 code, message);

	send_json(ev, status, body, (size_t)n, close);
}

static void job_free(struct job *j)
{
	json_decref(j->req.json);
	json_decref(j->req.reply);
	json_decref(j->req.err_details);
	arena_release(&j->req.arena);
	free(j->out);
	free(j);
}

static void maybe_finish_shutdown(struct server *srv)
{
	if (srv->stopping && srv->inflight == 0)
		event_base_loopexit(srv->base, NULL);
}

static void done_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;
	struct job *list, *j;

	UNUSED(fd);
	UNUSED(what);
	pthread_mutex_lock(&srv->lock);
	list = srv->done_head;
	srv->done_head = NULL;
	pthread_mutex_unlock(&srv->lock);

	while (list) {
		struct evkeyvalq *h = evhttp_request_get_output_headers(list->ev);
		struct evbuffer *out = evbuffer_new();

		j = list;
		list = j->next;
		add_common_headers(h);
		evhttp_add_header(h, "Content-Type",
				  j->req.content_type_out ? j->req.content_type_out : "application/json; charset=utf-8");
		if (j->req.set_cookie)
			evhttp_add_header(h, "Set-Cookie", j->req.set_cookie);
		if (j->req.retry_after)
			evhttp_add_header(h, "Retry-After", j->req.retry_after);
		if (j->req.disposition)
			evhttp_add_header(h, "Content-Disposition", j->req.disposition);
		if (srv->stopping)
			evhttp_add_header(h, "Connection", "close");
		if (j->req.raw_body)
			evbuffer_add(out, j->req.raw_body, j->req.raw_len);
		else
			evbuffer_add(out, j->out, j->out_len);
		conn_replied(srv, evhttp_request_get_connection(j->ev));
		evhttp_send_reply(j->ev, j->req.status, reason_phrase(j->req.status), out);
		evbuffer_free(out);
		job_free(j);
		srv->inflight--;
	}
	maybe_finish_shutdown(srv);
}

/* ===== workers ===== */

/*
 * Take the next job for a worker (lock held): the oldest one, except that a
 * slow job (a login hashing a password) is left waiting while slow_max of
 * them run (one fewer than the workers and than the CPUs), so that a flood of logins never occupies every worker and
 * other requests are still answered promptly. NULL when nothing is eligible.
 */
static struct job *take_job(struct server *srv)
{
	struct job **pp, *j, *prev = NULL;

	for (pp = &srv->queue_head; (j = *pp); prev = j, pp = &j->next) {
		if (j->slow && srv->slow_running >= srv->slow_max)
			continue;
		if (j->write && srv->group_running)
			continue;
		*pp = j->next;
		if (srv->queue_tail == j)
			srv->queue_tail = prev;
		j->next = NULL;
		if (j->slow) {
			srv->slow_running++;
			srv->slow_queued--;
		}
		if (j->write)
			srv->group_running = 1;
		return j;
	}
	return NULL;
}

/*
 * Group commit (lock held, after take_job gave first, a write): every other
 * write waiting in the queue joins it, in arrival order, up to write_batch.
 * Only one group runs at a time: while it commits, the writes arriving queue
 * up for the next one, and no two workers wait on the database's write lock.
 * Returns how many jobs are in group[].
 */
static size_t take_group(struct server *srv, struct job *first, struct job **group)
{
	struct job **pp, *j, *prev = NULL;
	size_t n = 0;

	group[n++] = first;
	for (pp = &srv->queue_head; (j = *pp) && n < (size_t)srv->conf->write_batch && n < WRITE_BATCH_MAX;) {
		if (!j->write) {
			prev = j;
			pp = &j->next;
			continue;
		}
		*pp = j->next;
		if (srv->queue_tail == j)
			srv->queue_tail = prev;
		j->next = NULL;
		group[n++] = j;
	}
	return n;
}

/* A request that waited longer than the request deadline is refused unanswered. */
static int queued_too_long(struct server *srv, struct job *j)
{
	if (time_now_ms() - j->queued_ms <= srv->conf->request_timeout * 1000)
		return 0;
	api_error(&j->req, "UNAVAILABLE", "系统繁忙,请求排队超时,请稍后重试", NULL);
	return 1;
}

/* Run the group's requests still in time in one transaction (router_dispatch_group). */
static void run_group(struct worker *w, struct job **group, size_t n)
{
	struct request *reqs[WRITE_BATCH_MAX];
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (!queued_too_long(w->srv, group[i]))
			reqs[m++] = &group[i]->req;
	if (m == 1) {
		reqs[0]->db = w->db;
		router_dispatch(reqs[0]);
	} else if (m) {
		router_dispatch_group(reqs, m, w->db);
	}
}

/* After a job or a group ran: the transaction and statements it must not leave behind. */
static void tidy_db(struct worker *w, const char *path)
{
	if (db_in_transaction(w->db)) {
		log_error("handler left a transaction open: %s", path);
		db_rollback(w->db);
	}
	if (db_reset_busy(w->db))
		log_error("handler left a statement running: %s", path);
}

/*
 * Render a job's reply and drop its JSON trees here, on the worker, rather
 * than on the I/O thread that only sends the bytes.
 */
static void finish_job(struct job *j)
{
	j->out = router_render(&j->req, &j->out_len);
	json_decref(j->req.reply);
	j->req.reply = NULL;
	json_decref(j->req.json);
	j->req.json = NULL;
}

/*
 * A group frees the write slot as soon as its transaction is over (committed
 * or rolled back), before its replies are rendered: the next group can start
 * on another worker while this one renders, so the one writer at a time only
 * spends its time in the database. No reply is sent before the commit
 * returned: rendering comes after it, sending after rendering.
 */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct server *srv = w->srv;
	struct job *j, **group = calloc((size_t)srv->conf->write_batch, sizeof(*group));
	size_t i, n;

	if (!group)
		abort();
	for (;;) {
		pthread_mutex_lock(&srv->lock);
		while (!(j = take_job(srv)) && !(srv->quit && !srv->queue_head))
			pthread_cond_wait(&srv->cond, &srv->lock);
		if (!j) {
			pthread_mutex_unlock(&srv->lock);
			break;
		}
		n = j->write ? take_group(srv, j, group) : 1;
		pthread_mutex_unlock(&srv->lock);

		if (j->write) {
			run_group(w, group, n);
			tidy_db(w, j->req.path);
			pthread_mutex_lock(&srv->lock);
			srv->group_running = 0;
			srv->groups++;
			srv->grouped += (long)n;
			if ((long)n > srv->group_largest)
				srv->group_largest = (long)n;
			if (srv->queue_head)
				pthread_cond_broadcast(&srv->cond);
			pthread_mutex_unlock(&srv->lock);
		} else {
			group[0] = j;
			j->req.db = w->db;
			if (!queued_too_long(srv, j))
				router_dispatch(&j->req);
			tidy_db(w, j->req.path);
		}
		for (i = 0; i < n; i++)
			finish_job(group[i]);

		pthread_mutex_lock(&srv->lock);
		if (j->slow) {
			srv->slow_running--;
			if (srv->queue_head)
				pthread_cond_broadcast(&srv->cond);
		}
		for (i = 0; i < n; i++) {
			group[i]->next = srv->done_head;
			srv->done_head = group[i];
		}
		pthread_mutex_unlock(&srv->lock);
		event_active(srv->done_ev, EV_READ, 0);
	}
	free(group);
	return NULL;
}

/* ===== request intake (I/O thread) ===== */

static const char *header_copy(struct arena *a, struct evkeyvalq *h, const char *name)
{
	const char *v = evhttp_find_header(h, name);

	return v ? arena_strdup(a, v) : NULL;
}

static int method_of(struct evhttp_request *ev)
{
	switch (evhttp_request_get_command(ev)) {
	case EVHTTP_REQ_GET:
		return HTTP_GET;
	case EVHTTP_REQ_HEAD:
		return HTTP_HEAD;
	case EVHTTP_REQ_POST:
		return HTTP_POST;
	case EVHTTP_REQ_PUT:
		return HTTP_PUT;
	case EVHTTP_REQ_PATCH:
		return HTTP_PATCH;
	case EVHTTP_REQ_DELETE:
		return HTTP_DELETE;
	default:
		return 0;
	}
}

static void client_ip(struct server *srv, struct evhttp_request *ev, struct evkeyvalq *h, char *out, size_t n)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(ev);
	char *addr = NULL;
	ev_uint16_t port = 0;
	const char *real;

	if (evcon)
		evhttp_connection_get_peer(evcon, &addr, &port);
	snprintf(out, n, "%s", addr ? addr : "");
	if (addr && *srv->conf->trusted_proxy && !strcmp(addr, srv->conf->trusted_proxy)) {
		real = evhttp_find_header(h, "X-Real-IP");
		if (real && strlen(real) < n && strspn(real, "0123456789abcdefABCDEF.:") == strlen(real))
			snprintf(out, n, "%s", real);
	}
}

static void request_cb(struct evhttp_request *ev, void *arg)
{
	struct server *srv = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	struct evkeyvalq *h = evhttp_request_get_input_headers(ev);
	struct evbuffer *in = evhttp_request_get_input_buffer(ev);
	struct evhttp_connection *evcon = evhttp_request_get_connection(ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct job *j;
	size_t len;
	int method = method_of(ev), flags;

	if (srv->stopping) {
		send_error(ev, 503, "UNAVAILABLE", "服务正在停止,请稍后重试", 1);
		return;
	}
	if (evcon && conn_request(srv, evcon) < 0) {
		send_error(ev, 503, "UNAVAILABLE", "连接数已达上限,请稍后重试", 1);
		return;
	}
	if (!method) {
		send_error(ev, 405, "METHOD_NOT_ALLOWED", "不支持该请求方法", 0);
		return;
	}
	if (!path || !*path || path[0] != '/' || memchr(path, '\0', strlen(path) + 1) != path + strlen(path)) {
		send_error(ev, 400, "BAD_REQUEST", "请求地址不正确", 0);
		return;
	}
	/* Liveness probe: answered here, no worker, no database. */
	if (!strcmp(path, "/healthz") && (method == HTTP_GET || method == HTTP_HEAD)) {
		static const char ok[] = "{\"status\":\"ok\"}";

		send_json(ev, 200, ok, sizeof(ok) - 1, 0);
		return;
	}
	/* The browser UI's files (web_dir), also answered here. */
	if (static_try_serve(srv->conf, ev, path, method)) {
		conn_replied(srv, evcon);
		return;
	}

	j = calloc(1, sizeof(*j));
	if (!j)
		abort();
	arena_init(&j->req.arena);
	j->ev = ev;
	j->queued_ms = time_now_ms();
	j->req.conf = srv->conf;
	j->req.method = method;
	j->req.path = arena_strdup(&j->req.arena, path);
	j->req.query = query ? arena_strdup(&j->req.arena, query) : NULL;
	j->req.cookie = header_copy(&j->req.arena, h, "Cookie");
	j->req.csrf_header = header_copy(&j->req.arena, h, "X-CSRF-Token");
	j->req.content_type = header_copy(&j->req.arena, h, "Content-Type");
	j->req.user_agent = header_copy(&j->req.arena, h, "User-Agent");
	client_ip(srv, ev, h, j->req.client_ip, sizeof(j->req.client_ip));
	len = evbuffer_get_length(in);
	if (len) {
		char *body = arena_alloc(&j->req.arena, len + 1);

		evbuffer_remove(in, body, len);
		body[len] = '\0';
		j->req.body = body;
		j->req.body_len = len;
	}

	flags = router_route_flags(method, path);
	j->slow = (flags & ROUTE_SLOW) != 0;
	j->write = (flags & ROUTE_TX) && srv->conf->write_batch > 1;

	pthread_mutex_lock(&srv->lock);
	if (j->slow && srv->slow_queued >= SLOW_QUEUE_MAX) {
		pthread_mutex_unlock(&srv->lock);
		job_free(j);
		evhttp_add_header(evhttp_request_get_output_headers(ev), "Retry-After", "5");
		send_error(ev, 503, "UNAVAILABLE", "登录请求过多,请稍后重试", 0);
		return;
	}
	if (j->slow)
		srv->slow_queued++;
	if (srv->queue_tail)
		srv->queue_tail->next = j;
	else
		srv->queue_head = j;
	srv->queue_tail = j;
	pthread_cond_signal(&srv->cond);
	pthread_mutex_unlock(&srv->lock);
	srv->inflight++;
}

/* ===== lifecycle ===== */

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct server *srv = arg;

	UNUSED(what);
	if (srv->stopping)
		return;
	log_info("signal %d: no new connections, finishing %ld request(s) in flight", (int)sig, srv->inflight);
	srv->stopping = 1;
	if (srv->sock) {
		evhttp_del_accept_socket(srv->http, srv->sock);
		srv->sock = NULL;
	}
	maybe_finish_shutdown(srv);
}

static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int open_workers(struct server *srv)
{
	char err[512];
	long i;

	srv->workers = calloc((size_t)srv->nworkers, sizeof(*srv->workers));
	if (!srv->workers)
		abort();
	for (i = 0; i < srv->nworkers; i++) {
		srv->workers[i].srv = srv;
		if (db_open(&srv->workers[i].db, srv->conf->db, err, sizeof(err)) < 0) {
			log_error("%s", err);
			return -1;
		}
	}
	for (i = 0; i < srv->nworkers; i++)
		if (pthread_create(&srv->workers[i].thread, NULL, worker_main, &srv->workers[i])) {
			log_error("cannot start worker thread");
			srv->nworkers = i;
			return -1;
		}
	return 0;
}

static void stop_workers(struct server *srv)
{
	long i;

	pthread_mutex_lock(&srv->lock);
	srv->quit = 1;
	pthread_cond_broadcast(&srv->cond);
	pthread_mutex_unlock(&srv->lock);
	for (i = 0; i < srv->nworkers; i++)
		pthread_join(srv->workers[i].thread, NULL);
}

/*
 * The listening socket, with a backlog of LISTEN_BACKLOG: evhttp's own bind
 * listens with 128, and a burst of connections (a few thousand clients
 * opening at once, as the overload suite does) overflows that queue, so the
 * kernel drops handshakes and resets connections the server never saw.
 * The kernel caps the backlog at net.core.somaxconn (4096 on Debian 12).
 */
#define LISTEN_BACKLOG 2048

static evutil_socket_t listen_socket(const char *host, int port)
{
	struct evutil_addrinfo hints, *ai = NULL;
	char service[16];
	evutil_socket_t fd = -1;
	int one = 1, err;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = EVUTIL_AI_PASSIVE | EVUTIL_AI_ADDRCONFIG;
	snprintf(service, sizeof(service), "%d", port);
	err = evutil_getaddrinfo(host, service, &hints, &ai);
	if (err) {
		log_error("cannot resolve %s: %s", host, evutil_gai_strerror(err));
		return -1;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, ai->ai_addr, (socklen_t)ai->ai_addrlen) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
		err = errno;
		if (fd >= 0)
			close(fd);
		errno = err;
		fd = -1;
	}
	evutil_freeaddrinfo(ai);
	return fd;
}

/*
 * The event loop. On epoll, libevent's changelist applies a loop iteration's
 * event changes in one go before epoll_wait, so a change undone within the
 * same iteration costs no system call: evhttp turns a connection's read and
 * write interest off and on around every request, four epoll_ctl calls per
 * keep-alive request without it (half of the I/O thread's system calls on
 * /healthz). Its one caveat, descriptors shared through dup(), does not apply:
 * every socket here has its own descriptor.
 */
static struct event_base *new_event_base(void)
{
	struct event_config *cfg = event_config_new();
	struct event_base *base;

	if (!cfg)
		return NULL;
	event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return base;
}

int server_run(const struct conf *conf, const struct module *const *modules)
{
	evutil_socket_t fd;
	struct server srv;
	char host[256];
	int port, rc = -1;
	long i;
	struct conn_entry *e, *next;
	struct timeval second = { 1, 0 };
	long ncpu;

	memset(&srv, 0, sizeof(srv));
	srv.conf = conf;
	srv.nworkers = conf->workers;
	/* Password hashing is CPU work: leave a worker and a CPU to everything else. */
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	srv.slow_max = conf->workers - 1 < ncpu - 1 ? conf->workers - 1 : ncpu - 1;
	if (srv.slow_max < 1)
		srv.slow_max = 1;
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.cond, NULL);
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();

	if (router_init(modules) < 0 || conf_split_hostport(conf->listen, host, sizeof(host), &port) < 0)
		return -1;
	if (evthread_use_pthreads() < 0) {
		log_error("libevent has no pthreads support");
		return -1;
	}
	srv.base = new_event_base();
	srv.http = srv.base ? evhttp_new(srv.base) : NULL;
	if (!srv.http) {
		log_error("cannot create the event loop");
		goto out;
	}
	/* libevent enforces the larger limit; the router holds non-upload routes to max_body. */
	evhttp_set_max_body_size(srv.http, (ev_ssize_t)(conf->max_upload > conf->max_body ? conf->max_upload
											  : conf->max_body));
	evhttp_set_max_headers_size(srv.http, (ev_ssize_t)conf->max_header);
	evhttp_set_timeout(srv.http, (int)conf->idle_timeout);
	evhttp_set_allowed_methods(srv.http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
						     EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE);
	evhttp_set_gencb(srv.http, request_cb, &srv);
	the_server = &srv;
	evhttp_set_bevcb(srv.http, conn_bev_cb, NULL);
	fd = listen_socket(host, port);
	srv.sock = fd >= 0 ? evhttp_accept_socket_with_handle(srv.http, fd) : NULL;
	if (!srv.sock) {
		if (fd >= 0)
			close(fd);
		log_error("cannot listen on %s: %s", conf->listen, strerror(errno));
		goto out;
	}
	srv.done_ev = event_new(srv.base, -1, EV_PERSIST | EV_READ, done_cb, &srv);
	srv.sweep_ev = event_new(srv.base, -1, EV_PERSIST, sweep_cb, &srv);
	srv.sigterm_ev = evsignal_new(srv.base, SIGTERM, signal_cb, &srv);
	srv.sigint_ev = evsignal_new(srv.base, SIGINT, signal_cb, &srv);
	event_add(srv.done_ev, NULL);
	event_add(srv.sweep_ev, &second);
	event_add(srv.sigterm_ev, NULL);
	event_add(srv.sigint_ev, NULL);

	if (session_cache_init(SESSION_CACHE_SLOTS, conf->session_cache_seconds) < 0 || open_workers(&srv) < 0)
		goto out_workers;
	log_info("fazhi listening on http://%s (%ld workers, at most %ld hashing passwords; database %s)", conf->listen,
		 srv.nworkers, srv.slow_max, conf->db);
	event_base_dispatch(srv.base);
	rc = 0;
	if (srv.groups)
		log_info("group commit: %ld write request(s) in %ld transaction(s), at most %ld in one", srv.grouped,
			 srv.groups, srv.group_largest);
	log_info("stopped cleanly");
out_workers:
	stop_workers(&srv);
	/* Replies finished after the loop ended are dropped with their jobs. */
	while (srv.done_head) {
		struct job *j = srv.done_head;

		srv.done_head = j->next;
		job_free(j);
	}
	for (i = 0; i < conf->workers; i++)
		if (srv.workers && srv.workers[i].db)
			db_close(srv.workers[i].db);
	free(srv.workers);
	session_cache_release();
out:
	if (srv.http)
		evhttp_free(srv.http);
	for (i = 0; i < CONN_BUCKETS; i++)
		for (e = srv.conns[i]; e; e = next) {
			next = e->next;
			free(e);
		}
	if (srv.done_ev)
		event_free(srv.done_ev);
	if (srv.sweep_ev)
		event_free(srv.sweep_ev);
	if (srv.sigterm_ev)
		event_free(srv.sigterm_ev);
	if (srv.sigint_ev)
		event_free(srv.sigint_ev);
	if (srv.base)
		event_base_free(srv.base);
	libevent_global_shutdown();
	pthread_mutex_destroy(&srv.lock);
	pthread_cond_destroy(&srv.cond);
	the_server = NULL;
	return rc;
}
