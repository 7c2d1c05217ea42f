/* In-memory copy of verified sessions; see session_cache.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "session_cache.h"
#include "db/db.h"
#include "core/banned.h"

const char *const session_cache_tables[] = { "session", "app_user",	   "org",     "role",
					     "user_role", "role_permission", "setting", NULL };

struct entry {
	int used;
	uint64_t generation; /* db_watch_generation() before the read */
	int64_t read_at;
	struct session s;    /* s.perms unused: see perms */
	struct session_facts f;
	char *perms;         /* malloc'd: the permissions, each NUL-terminated */
	size_t perms_len;
};

static struct {
	pthread_mutex_t lock;
	struct entry *slots;
	size_t nslots;
	int64_t ttl;
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

int session_cache_init(size_t slots, int64_t ttl)
{
	session_cache_release();
	if (ttl <= 0 || !slots)
		return 0;
	cache.slots = calloc(slots, sizeof(*cache.slots));
	if (!cache.slots)
		return -1;
	cache.nslots = slots;
	cache.ttl = ttl;
	db_watch_tables(session_cache_tables);
	return 0;
}

void session_cache_release(void)
{
	size_t i;

	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < cache.nslots; i++)
		free(cache.slots[i].perms);
	free(cache.slots);
	cache.slots = NULL;
	cache.nslots = 0;
	cache.ttl = 0;
	pthread_mutex_unlock(&cache.lock);
}

/* The slot of a token hash (64 hex digits of a random token's SM3: uniform). */
static struct entry *slot_of(const char *hash)
{
	uint32_t h = 0;
	size_t i;

	for (i = 0; i < 8 && hash[i]; i++)
		h = h << 4 | (uint32_t)(hash[i] <= '9' ? hash[i] - '0' : (hash[i] | 0x20) - 'a' + 10);
	return &cache.slots[h % cache.nslots];
}

static int fresh(const struct entry *e, const char *hash, int64_t now)
{
	return e->used && !strcmp(e->s.token_hash, hash) && e->generation == db_watch_generation() &&
	       now >= e->read_at && now - e->read_at < cache.ttl;
}

int session_cache_get(const char *hash, int64_t now, struct arena *a, struct session *s, struct session_facts *f)
{
	struct entry *e;
	char *blob = NULL;
	size_t i, off;
	int hit = 0;

	pthread_mutex_lock(&cache.lock);
	if (cache.nslots) {
		e = slot_of(hash);
		if (fresh(e, hash, now)) {
			*s = e->s;
			*f = e->f;
			blob = arena_alloc(a, e->perms_len + 1);
			memcpy(blob, e->perms, e->perms_len);
			hit = 1;
		}
	}
	pthread_mutex_unlock(&cache.lock);
	if (!hit)
		return 0;
	s->perms = arena_alloc(a, (s->nperms + 1) * sizeof(*s->perms));
	for (i = 0, off = 0; i < s->nperms; i++) {
		s->perms[i] = blob + off;
		off += strlen(blob + off) + 1;
	}
	return 1;
}

void session_cache_put(const struct session *s, const struct session_facts *f, uint64_t generation, int64_t now)
{
	struct entry *e;
	size_t i, len = 0, n;
	char *perms;

	if (!cache.nslots) /* disabled; init and release run while no worker does */
		return;
	for (i = 0; i < s->nperms; i++)
		len += strlen(s->perms[i]) + 1;
	perms = malloc(len ? len : 1);
	if (!perms)
		return;
	for (i = 0, len = 0; i < s->nperms; i++) {
		n = strlen(s->perms[i]) + 1;
		memcpy(perms + len, s->perms[i], n);
		len += n;
	}
	pthread_mutex_lock(&cache.lock);
	if (cache.nslots && generation == db_watch_generation()) {
		e = slot_of(s->token_hash);
		free(e->perms);
		e->used = 1;
		e->generation = generation;
		e->read_at = now;
		e->s = *s;
		e->s.perms = NULL;
		e->f = *f;
		e->perms = perms;
		e->perms_len = len;
		perms = NULL;
	}
	pthread_mutex_unlock(&cache.lock);
	free(perms);
}

void session_cache_touch(const char *hash, int64_t last_seen)
{
	struct entry *e;

	pthread_mutex_lock(&cache.lock);
	if (cache.nslots) {
		e = slot_of(hash);
		if (e->used && !strcmp(e->s.token_hash, hash) && e->f.last_seen < last_seen)
			e->f.last_seen = last_seen;
	}
	pthread_mutex_unlock(&cache.lock);
}
