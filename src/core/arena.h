/*
 * Region allocator: one arena per request (or per CLI command). Allocation
 * never returns NULL (the process aborts on out-of-memory, as h2o and
 * PostgreSQL's palloc do), and everything is freed at once by arena_release.
 * Not thread-safe: an arena belongs to one thread at a time.
 */
#ifndef FAZHI_CORE_ARENA_H
#define FAZHI_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* newest block first */
	size_t block_size;        /* size of the next ordinary block */
};

/* Prepare an empty arena; no memory is taken until the first allocation. */
void arena_init(struct arena *a);

/* Free every block. The arena may be used again afterwards. */
void arena_release(struct arena *a);

/* n bytes aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t n);

/* Like arena_alloc, zero-filled. */
void *arena_zalloc(struct arena *a, size_t n);

/* Copy of s[0..n) with a terminating NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Copy of a NUL-terminated string (NULL stays NULL). */
char *arena_strdup(struct arena *a, const char *s);

/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
