/*
 * Static files of the browser UI; see static.h. Runs on the I/O thread:
 * every reply is one small file (Vite's chunks are tens of kilobytes),
 * read with read(2) into an evbuffer.
 */
#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "request.h"
#include "static.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "core/banned.h"

/* Larger files are not served from the I/O thread. */
#define STATIC_MAX_FILE (32L * 1024 * 1024)

static const char csp_html[] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
			       "script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "ico", "image/x-icon" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "json", "application/json; charset=utf-8" },
	{ "map", "application/json; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" },
};

/* The extension of the last path segment ("" when it has none). */
static const char *extension_of(const char *name)
{
	const char *slash = strrchr(name, '/'), *base = slash ? slash + 1 : name;
	const char *dot = strrchr(base, '.');

	return dot && dot != base ? dot + 1 : "";
}

const char *static_content_type(const char *name)
{
	const char *ext = extension_of(name);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(content_types); i++)
		if (!strcasecmp(ext, content_types[i].ext))
			return content_types[i].type;
	return NULL;
}

int static_path_ok(const char *decoded, size_t len)
{
	const char *seg;

	if (!decoded || len != strlen(decoded) || decoded[0] != '/' || strchr(decoded, '\\'))
		return 0;
	/* No segment may start with a dot: refuses ".", ".." and hidden files. */
	for (seg = decoded; seg; seg = strchr(seg + 1, '/'))
		if (seg[1] == '.')
			return 0;
	return 1;
}

static void send_static_error(struct evhttp_request *ev, int status, const char *reason, const char *code,
			      const char *message)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(ev);
	struct evbuffer *out = evbuffer_new();

	evhttp_add_header(h, "Content-Type", "application/json; charset=utf-8");
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evbuffer_add_printf(out, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"details\":null}}", code, message);
	evhttp_send_reply(ev, status, reason, out);
	evbuffer_free(out);
}

/*
 * Resolve `path` with realpath into `out`; 0 when it names a regular file
 * under `root` (itself a realpath), -1 otherwise.
 */
static int resolve_file(const char *root, const char *path, char *out)
{
	size_t rl = strlen(root);
	struct stat st;

	if (!realpath(path, out))
		return -1;
	if (strncmp(out, root, rl) || out[rl] != '/')
		return -1;
	if (stat(out, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	return 0;
}

/* Does an If-None-Match header list this ETag (or "*")? Weak prefixes match too. */
static int etag_matches(const char *header, const char *etag)
{
	size_t el = strlen(etag);
	const char *p = header;

	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (!strncmp(p, etag, el) && (p[el] == '\0' || p[el] == ',' || p[el] == ' ' || p[el] == '\t'))
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

/*
 * Does Accept-Encoding allow gzip? Codings are compared by name ("gzip" or
 * "*"); a q-value of 0 refuses.
 */
static int accepts_gzip(struct evhttp_request *ev)
{
	const char *p = evhttp_find_header(evhttp_request_get_input_headers(ev), "Accept-Encoding");

	while (p && *p) {
		const char *name, *q;
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		name = p;
		n = strcspn(p, " \t;,");
		p += strcspn(p, ",");
		if ((n == 4 && !strncasecmp(name, "gzip", 4)) || (n == 1 && *name == '*')) {
			q = strstr(name, "q=");
			if (q && q < p && strtod(q + 2, NULL) <= 0.0)
				return 0;
			return 1;
		}
	}
	return 0;
}

static void add_static_headers(struct evkeyvalq *h, const char *type, int is_asset)
{
	evhttp_add_header(h, "Cache-Control", is_asset ? "public, max-age=31536000, immutable" : "no-cache");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	if (type && !strncmp(type, "text/html", 9)) {
		evhttp_add_header(h, "X-Frame-Options", "DENY");
		evhttp_add_header(h, "Content-Security-Policy", csp_html);
	}
}

/*
 * Send the file `real` (resolved under `root`) for the request name `name`
 * (which decides the Content-Type), or its `.gz` twin when there is one and
 * the client takes gzip.
 */
static void send_file(struct evhttp_request *ev, int method, const char *root, const char *real, const char *name,
		      int is_asset)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(ev);
	const char *type = static_content_type(name);
	const char *inm = evhttp_find_header(evhttp_request_get_input_headers(ev), "If-None-Match");
	char gz[PATH_MAX + 4], gzreal[PATH_MAX], etag[80], clen[32];
	const char *file = real;
	int has_gz, use_gz = 0, fd;
	struct stat st;
	struct evbuffer *out;
	off_t got = 0;

	has_gz = (size_t)snprintf(gz, sizeof(gz), "%s.gz", real) < sizeof(gz) && resolve_file(root, gz, gzreal) == 0;
	if (has_gz && accepts_gzip(ev)) {
		file = gzreal;
		use_gz = 1;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		send_static_error(ev, 404, "Not Found", "NOT_FOUND", "请求的资源不存在");
		return;
	}
	if (st.st_size > STATIC_MAX_FILE) {
		close(fd);
		log_warn("static file too large to serve: %s", file);
		send_static_error(ev, 404, "Not Found", "NOT_FOUND", "请求的资源不存在");
		return;
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx%s\"", (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL + (unsigned long long)st.st_mtim.tv_nsec,
		 use_gz ? "-gz" : "");

	add_static_headers(h, type, is_asset);
	evhttp_add_header(h, "ETag", etag);
	if (has_gz)
		evhttp_add_header(h, "Vary", "Accept-Encoding");
	if (inm && etag_matches(inm, etag)) {
		close(fd);
		evhttp_send_reply(ev, 304, "Not Modified", NULL);
		return;
	}
	evhttp_add_header(h, "Content-Type", type ? type : "application/octet-stream");
	if (use_gz)
		evhttp_add_header(h, "Content-Encoding", "gzip");
	if (method == HTTP_HEAD) {
		close(fd);
		snprintf(clen, sizeof(clen), "%lld", (long long)st.st_size);
		evhttp_add_header(h, "Content-Length", clen);
		evhttp_send_reply(ev, 200, "OK", NULL);
		return;
	}
	out = evbuffer_new();
	while (got < st.st_size) {
		int n = evbuffer_read(out, fd, (int)(st.st_size - got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	if (got != st.st_size) {
		evbuffer_free(out);
		log_warn("static file changed or unreadable while serving: %s", file);
		evhttp_clear_headers(h);
		send_static_error(ev, 500, "Internal Server Error", "INTERNAL", "读取文件失败");
		return;
	}
	evhttp_send_reply(ev, 200, "OK", out);
	evbuffer_free(out);
}

int static_try_serve(const struct conf *conf, struct evhttp_request *ev, const char *path, int method)
{
	char root[PATH_MAX], want[PATH_MAX], real[PATH_MAX];
	const char *name, *last;
	char *decoded;
	size_t len = 0;
	struct stat st;
	int n;

	if (method != HTTP_GET && method != HTTP_HEAD)
		return 0;
	if (!strncmp(path, "/api/", 5) || !strcmp(path, "/api") || !strcmp(path, "/healthz"))
		return 0;
	if (!conf->web_dir || !*conf->web_dir || !realpath(conf->web_dir, root) || stat(root, &st) < 0 ||
	    !S_ISDIR(st.st_mode))
		return 0;

	decoded = evhttp_uridecode(path, 0, &len);
	if (!decoded || !static_path_ok(decoded, len)) {
		free(decoded);
		send_static_error(ev, 400, "Bad Request", "BAD_REQUEST", "请求地址不正确");
		return 1;
	}
	name = !strcmp(decoded, "/") ? "/index.html" : decoded;
	n = snprintf(want, sizeof(want), "%s%s", root, name);
	if (n > 0 && (size_t)n < sizeof(want) && resolve_file(root, want, real) == 0) {
		send_file(ev, method, root, real, name, !strncmp(name, "/assets/", 8));
		free(decoded);
		return 1;
	}
	/* Client routes (/orgs, /users/12) have no extension: the app's index.html. */
	last = strrchr(name, '/');
	if (!strchr(last ? last : name, '.')) {
		n = snprintf(want, sizeof(want), "%s/index.html", root);
		if (n > 0 && (size_t)n < sizeof(want) && resolve_file(root, want, real) == 0) {
			send_file(ev, method, root, real, "/index.html", 0);
			free(decoded);
			return 1;
		}
	}
	free(decoded);
	send_static_error(ev, 404, "Not Found", "NOT_FOUND", "请求的资源不存在");
	return 1;
}
