/*
 * Login throttling; see ratelimit.h.
 *
 * Two tables of LIMIT_SLOTS slots (addresses, user names), open addressing
 * with a short probe sequence. Keys are 64-bit keyed hashes (SM3 of a random
 * per-process salt and the key) so that nobody can make two user names share
 * a slot on purpose. A slot whose window has emptied is free; when every
 * probed slot is busy, the one with the oldest latest attempt is reused, so
 * memory stays bounded whatever a client sends. Times come from the
 * monotonic clock: a wall-clock step neither frees nor blocks anybody.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "ratelimit.h"
#include "core/crypto.h"
#include "core/util.h"
#include "core/banned.h"

#define LIMIT_SLOTS 4096 /* power of two */
#define LIMIT_PROBES 8
#define WINDOW_MS (LOGIN_WINDOW_SECONDS * 1000LL)
#define SLOT_MAX (LOGIN_MAX_PER_IP > LOGIN_MAX_PER_ACCOUNT ? LOGIN_MAX_PER_IP : LOGIN_MAX_PER_ACCOUNT)

struct slot {
	uint64_t key; /* 0: never used */
	int n;
	int64_t at[SLOT_MAX];   /* attempt times, oldest first */
	uint64_t who[SLOT_MAX]; /* address table: the user key of each attempt */
	int64_t refused_until;  /* end of the window in which a refusal was reported */
};

struct limit_table {
	int max;
	struct slot slots[LIMIT_SLOTS];
};

static pthread_mutex_t limit_lock = PTHREAD_MUTEX_INITIALIZER;
static struct limit_table ip_table = { .max = LOGIN_MAX_PER_IP };
static struct limit_table user_table = { .max = LOGIN_MAX_PER_ACCOUNT };
static unsigned char salt[32];
static pthread_once_t salt_once = PTHREAD_ONCE_INIT;

static void make_salt(void)
{
	random_bytes(salt, sizeof(salt));
}

static uint64_t key_of(char kind, const char *s)
{
	struct sm3_ctx *c = sm3_new();
	unsigned char h[SM3_LEN];
	uint64_t k = 0;
	size_t i;

	sm3_update(c, salt, sizeof(salt));
	sm3_update(c, &kind, 1);
	sm3_update(c, s, strlen(s));
	sm3_final(c, h);
	for (i = 0; i < 8; i++)
		k = (k << 8) | h[i];
	return k ? k : 1;
}

static int64_t (*test_clock)(void);

static int64_t mono_ms(void)
{
	struct timespec ts;

	if (test_clock)
		return test_clock();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop_at(struct slot *s, int i)
{
	memmove(&s->at[i], &s->at[i + 1], (size_t)(s->n - i - 1) * sizeof(s->at[0]));
	memmove(&s->who[i], &s->who[i + 1], (size_t)(s->n - i - 1) * sizeof(s->who[0]));
	s->n--;
}

static void prune(struct slot *s, int64_t now)
{
	while (s->n > 0 && s->at[0] <= now - WINDOW_MS)
		drop_at(s, 0);
}

/* When the slot was last busy (for choosing which slot to reuse). */
static int64_t last_busy(const struct slot *s)
{
	int64_t t = s->n ? s->at[s->n - 1] : 0;

	return s->refused_until - WINDOW_MS > t ? s->refused_until - WINDOW_MS : t;
}

/* The slot of key (created when absent). */
static struct slot *slot_for(struct limit_table *t, uint64_t key, int64_t now)
{
	struct slot *victim = NULL, *s;
	int i;

	for (i = 0; i < LIMIT_PROBES; i++) {
		s = &t->slots[(key + (uint64_t)i) & (LIMIT_SLOTS - 1)];
		if (s->key == key) {
			prune(s, now);
			return s;
		}
	}
	for (i = 0; i < LIMIT_PROBES; i++) {
		s = &t->slots[(key + (uint64_t)i) & (LIMIT_SLOTS - 1)];
		prune(s, now);
		if (s->n == 0 && s->refused_until <= now) {
			victim = s;
			break;
		}
		if (!victim || last_busy(s) < last_busy(victim))
			victim = s;
	}
	memset(victim, 0, sizeof(*victim));
	victim->key = key;
	return victim;
}

/* The slot of key if it exists, else NULL. */
static struct slot *slot_find(struct limit_table *t, uint64_t key)
{
	int i;

	for (i = 0; i < LIMIT_PROBES; i++) {
		struct slot *s = &t->slots[(key + (uint64_t)i) & (LIMIT_SLOTS - 1)];

		if (s->key == key)
			return s;
	}
	return NULL;
}

static void push(struct slot *s, int max, int64_t at, uint64_t who)
{
	if (s->n == max)
		drop_at(s, 0);
	s->at[s->n] = at;
	s->who[s->n] = who;
	s->n++;
}

/* Milliseconds until s has room, 0 when it has. */
static int64_t wait_ms(const struct slot *s, int max, int64_t now)
{
	return s->n < max ? 0 : s->at[s->n - max] + WINDOW_MS - now;
}

int login_limit_acquire(const char *ip, const char *username, struct login_ticket *t, int *first)
{
	struct slot *si, *su;
	int64_t now = mono_ms(), wi, wu, w;

	pthread_once(&salt_once, make_salt);
	memset(t, 0, sizeof(*t));
	*first = 0;
	t->ip_key = key_of('i', ip ? ip : "");
	t->user_key = key_of('u', username ? username : "");

	pthread_mutex_lock(&limit_lock);
	si = slot_for(&ip_table, t->ip_key, now);
	su = slot_for(&user_table, t->user_key, now);
	wi = wait_ms(si, ip_table.max, now);
	wu = wait_ms(su, user_table.max, now);
	if (wi > 0 || wu > 0) {
		struct slot *s = wi >= wu ? si : su;

		w = wi >= wu ? wi : wu;
		if (s->refused_until <= now) {
			*first = 1;
			s->refused_until = now + w;
		}
		pthread_mutex_unlock(&limit_lock);
		return (int)((w + 999) / 1000);
	}
	t->at_ms = now;
	push(si, ip_table.max, now, t->user_key);
	push(su, user_table.max, now, t->user_key);
	t->held = 1;
	pthread_mutex_unlock(&limit_lock);
	return 0;
}

/* Remove the reservation t from s (the newest attempt with its time and user). */
static void unreserve(struct slot *s, const struct login_ticket *t)
{
	int i;

	if (!s)
		return;
	for (i = s->n - 1; i >= 0; i--)
		if (s->at[i] == t->at_ms && s->who[i] == t->user_key) {
			drop_at(s, i);
			return;
		}
}

void login_limit_cancel(struct login_ticket *t)
{
	if (!t->held)
		return;
	pthread_mutex_lock(&limit_lock);
	unreserve(slot_find(&ip_table, t->ip_key), t);
	unreserve(slot_find(&user_table, t->user_key), t);
	pthread_mutex_unlock(&limit_lock);
	t->held = 0;
}

void login_limit_succeeded(struct login_ticket *t)
{
	struct slot *s;
	int i;

	if (!t->held)
		return;
	pthread_mutex_lock(&limit_lock);
	s = slot_find(&ip_table, t->ip_key);
	for (i = s ? s->n - 1 : -1; i >= 0; i--)
		if (s->who[i] == t->user_key)
			drop_at(s, i);
	s = slot_find(&user_table, t->user_key);
	if (s)
		s->n = 0;
	pthread_mutex_unlock(&limit_lock);
	t->held = 0;
}

void login_limit_locked(struct login_ticket *t)
{
	struct slot *s;

	if (!t->held)
		return;
	pthread_mutex_lock(&limit_lock);
	s = slot_find(&user_table, t->user_key);
	if (s)
		s->n = 0;
	pthread_mutex_unlock(&limit_lock);
	t->held = 0;
}

void login_limit_reset(int64_t (*clock_ms)(void))
{
	pthread_mutex_lock(&limit_lock);
	test_clock = clock_ms;
	memset(ip_table.slots, 0, sizeof(ip_table.slots));
	memset(user_table.slots, 0, sizeof(user_table.slots));
	pthread_mutex_unlock(&limit_lock);
}
