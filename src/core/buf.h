/*
 * Growable byte buffer with a hard ceiling (after git's strbuf and curl's
 * dynbuf). Invariants: p is never NULL and always NUL-terminated at p[len];
 * len never exceeds max. Appending past max fails with -1 and leaves the
 * buffer unchanged, so callers can turn it into a 413/500 instead of growing
 * without bound.
 */
#ifndef FAZHI_CORE_BUF_H
#define FAZHI_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *p;
	size_t len;
	size_t cap;
	size_t max;
};

#define BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
int buf_append(struct buf *b, const void *data, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Take the heap string out of the buffer; the buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
