/*
 * The HTTP server: libevent evhttp on one I/O thread, a pool of worker
 * threads that run the router and handlers (each with its own database
 * connection, so handlers may block on the database), and replies handed
 * back to the I/O thread through an event. The only code that touches
 * libevent.
 */
#ifndef FAZHI_HTTP_SERVER_H
#define FAZHI_HTTP_SERVER_H

#include "request.h"

struct conf;

/*
 * Bind conf->listen, open one database connection per worker, serve until
 * SIGTERM or SIGINT, then stop accepting, finish in-flight requests, close
 * the databases. Returns 0 on a clean stop, -1 on a start-up failure.
 */
int server_run(const struct conf *conf, const struct module *const *modules);

#endif
