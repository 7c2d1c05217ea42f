/* Region allocator; see arena.h for the contract. */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define ARENA_FIRST_BLOCK 4096
#define ARENA_MAX_BLOCK (1024 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size; /* usable bytes in data[] */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		fputs("fazhi: out of memory\n", stderr);
		abort();
	}
	return p;
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->block_size = ARENA_FIRST_BLOCK;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	while (b) {
		next = b->next;
		free(b);
		b = next;
	}
	arena_init(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (need == 0)
		need = ARENA_ALIGN;
	if (!b || b->size - b->used < need) {
		size_t size = a->block_size;

		if (need > size) {
			/* Oversized request: its own block, placed behind the head so
			 * the current block keeps serving small allocations. */
			b = xmalloc(sizeof(*b) + need);
			b->size = need;
			b->used = need;
			if (a->head) {
				b->next = a->head->next;
				a->head->next = b;
			} else {
				b->next = NULL;
				a->head = b;
			}
			return b->data;
		}
		b = xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
		if (a->block_size < ARENA_MAX_BLOCK)
			a->block_size *= 2;
	}
	b->used += need;
	return b->data + b->used - need;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);

	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return arena_strdup(a, "");
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
