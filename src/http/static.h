/*
 * The browser UI's files (the Vite build in conf->web_dir, default web/dist),
 * served by the I/O thread for GET and HEAD outside /api/ and /healthz:
 * Content-Type by extension, ETag (size and mtime) with 304, long caching
 * for Vite's hashed /assets/, no-cache for index.html, a precompressed
 * `file.gz` when the client accepts gzip, index.html for client routes (paths
 * without an extension), and no way out of the directory (".." segments,
 * NUL, backslash refused; the realpath must stay under web_dir). When
 * web_dir does not exist static serving is off and the API works as before.
 */
#ifndef FAZHI_HTTP_STATIC_H
#define FAZHI_HTTP_STATIC_H

struct conf;
struct evhttp_request;

/*
 * Serve `path` (the request path, still percent-encoded, without the query)
 * from conf->web_dir when it is a static file request. `method` is HTTP_GET,
 * HTTP_HEAD, ... (request.h). Returns 1 when a reply was sent, 0 when the
 * request is not for static files (API, other methods, web_dir missing).
 */
int static_try_serve(const struct conf *conf, struct evhttp_request *ev, const char *path, int method);

/* Content-Type for a file name by its extension; NULL for an unknown one. */
const char *static_content_type(const char *name);

/* 1 when the decoded path is safe to map to a file: begins with '/', no NUL
 * (len != strlen), no backslash, no "." or ".." segment. */
int static_path_ok(const char *decoded, size_t len);

#endif
