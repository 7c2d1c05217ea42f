/* Growable byte buffer; see buf.h for the invariants. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->p = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->p);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->p[0] = '\0';
}

static int buf_grow(struct buf *b, size_t extra)
{
	size_t want, cap;
	char *p;

	if (extra > b->max - b->len)
		return -1;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	p = b->cap ? realloc(b->p, cap) : malloc(cap);
	if (!p) {
		fputs("fazhi: out of memory\n", stderr);
		abort();
	}
	if (!b->cap)
		p[0] = '\0';
	b->p = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (!b->cap) {
		p = malloc(1);
		if (!p)
			abort();
		p[0] = '\0';
	} else {
		p = b->p;
	}
	if (len)
		*len = b->len;
	b->p = buf_empty;
	b->len = b->cap = 0;
	return p;
}
