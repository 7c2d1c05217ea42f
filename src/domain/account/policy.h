/*
 * Security policy set by the security administrator: password rules,
 * lockout, session timeouts. Stored as rows of the setting table under
 * "security.*" keys; defaults apply where a key is absent.
 */
#ifndef FAZHI_ACCOUNT_POLICY_H
#define FAZHI_ACCOUNT_POLICY_H

#include <jansson.h>
#include <stdint.h>

struct db;

struct security_policy {
	int64_t password_min_length;   /* characters */
	int64_t password_min_classes;  /* of upper, lower, digit, symbol */
	int64_t max_failed_logins;     /* before lockout */
	int64_t lockout_minutes;
	int64_t session_idle_minutes;
	int64_t session_absolute_hours;
	int64_t password_max_age_days; /* 0 = no expiry */
};

/* Load the policy (defaults for missing keys). 0 or negative db error. */
int policy_load(struct db *db, struct security_policy *p);

/* The defaults alone (what policy_load starts from). */
void policy_defaults(struct security_policy *p);
/*
 * Set one value from its stored text, key without the "security." prefix
 * ("session_idle_minutes"); unknown keys and values out of bounds are
 * ignored, as policy_load ignores them.
 */
void policy_set(struct security_policy *p, const char *key, const char *value);

/* The policy as a JSON object, and its bounds table for validation. */
json_t *policy_to_json(const struct security_policy *p);

/*
 * Apply the keys present in `changes` (a validated JSON object); writes the
 * settings rows. On a value out of bounds returns -2 and points *field at
 * the key and *msg at a Chinese message. 0 or negative db error otherwise.
 */
int policy_update(struct db *db, json_t *changes, const char **field, const char **msg);

/* NULL-name terminated field list for the policy update body. */
extern const struct body_field policy_body_fields[];

/*
 * Check a new password against the policy and the account name. Returns NULL
 * when acceptable, else a static Chinese message (buffer `buf` may be used).
 */
const char *policy_check_password(const struct security_policy *p, const char *username,
				  const char *password, char *buf, size_t buflen);

#endif
