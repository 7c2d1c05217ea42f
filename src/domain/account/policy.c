/*
 * The security policy: defaults, bounds, persistence in the setting table,
 * and the password rule check. Pure rules plus the two small queries.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "http/request.h"
#include "policy.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "core/banned.h"

/*
 * One table: the body schema of PUT /api/v1/security/policy (name, bounds,
 * label) and, in the same order, where each value lives and its default.
 */
const struct body_field policy_body_fields[] = {
	{ "password_min_length", FIELD_INT, 0, 8, 64, "密码最小长度", NULL, NULL },
	{ "password_min_classes", FIELD_INT, 0, 1, 4, "密码至少包含的字符类别数", NULL, NULL },
	{ "max_failed_logins", FIELD_INT, 0, 3, 20, "连续登录失败锁定次数", NULL, NULL },
	{ "lockout_minutes", FIELD_INT, 0, 1, 1440, "锁定时长(分钟)", NULL, NULL },
	{ "session_idle_minutes", FIELD_INT, 0, 5, 240, "会话空闲超时(分钟)", NULL, NULL },
	{ "session_absolute_hours", FIELD_INT, 0, 1, 24, "会话最长有效期(小时)", NULL, NULL },
	{ "password_max_age_days", FIELD_INT, 0, 0, 365, "密码有效期(天,0 表示不过期)", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

#define P(f) offsetof(struct security_policy, f)

static const struct {
	size_t offset;
	int64_t def;
} policy_slots[] = {
	{ P(password_min_length), 10 },	 { P(password_min_classes), 3 },  { P(max_failed_logins), 5 },
	{ P(lockout_minutes), 15 },	 { P(session_idle_minutes), 30 }, { P(session_absolute_hours), 12 },
	{ P(password_max_age_days), 0 },
};

#define NKEYS (sizeof(policy_slots) / sizeof(policy_slots[0]))

static int64_t *field_of(struct security_policy *p, size_t i)
{
	return (int64_t *)((char *)p + policy_slots[i].offset);
}

void policy_defaults(struct security_policy *p)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		*field_of(p, i) = policy_slots[i].def;
}

void policy_set(struct security_policy *p, const char *key, const char *value)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		const struct body_field *f = &policy_body_fields[i];

		if (strcmp(key, f->name))
			continue;
		if (parse_int64_cstr(value, &v) == 0 && v >= f->min && v <= f->max)
			*field_of(p, i) = v;
	}
}

int policy_load(struct db *db, struct security_policy *p)
{
	struct db_stmt *st;
	int rc;

	policy_defaults(p);
	rc = db_prepare(db, &st, "SELECT key, value FROM setting WHERE key LIKE 'security.%'");
	if (rc < 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW)
		policy_set(p, db_col_text(st, 0) + strlen("security."), db_col_text(st, 1));
	db_done(st);
	return rc < 0 ? rc : 0;
}

json_t *policy_to_json(const struct security_policy *p)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < NKEYS; i++)
		json_object_set_new(o, policy_body_fields[i].name,
				    json_integer(*field_of((struct security_policy *)p, i)));
	return o;
}

int policy_update(struct db *db, json_t *changes, const char **field, const char **msg)
{
	size_t i;
	int rc;

	for (i = 0; i < NKEYS; i++) {
		const struct body_field *f = &policy_body_fields[i];
		json_t *v = json_object_get(changes, f->name);
		char key[96], val[32];

		if (!json_is_integer(v))
			continue;
		if (json_integer_value(v) < f->min || json_integer_value(v) > f->max) {
			*field = f->name;
			*msg = f->label;
			return -2;
		}
		snprintf(key, sizeof(key), "security.%s", f->name);
		snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
		rc =
		    db_exec(db,
			    "INSERT INTO setting (key, value, updated_at) VALUES ($1, $2, $3)"
			    " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
			    db_text(key), db_text(val), db_int(time_now()));
		if (rc < 0)
			return rc;
	}
	return 0;
}

const char *policy_check_password(const struct security_policy *p, const char *username, const char *password,
				  char *buf, size_t buflen)
{
	int upper = 0, lower = 0, digit = 0, other = 0;
	size_t chars = 0;
	const char *s;

	for (s = password; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c & 0xc0) != 0x80)
			chars++;
		if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else if ((c & 0xc0) != 0x80)
			other = 1;
	}
	if ((int64_t)chars < p->password_min_length) {
		snprintf(buf, buflen, "密码长度至少为%lld个字符", (long long)p->password_min_length);
		return buf;
	}
	if (chars > 128)
		return "密码不能超过128个字符";
	if (upper + lower + digit + other < p->password_min_classes) {
		snprintf(buf, buflen, "密码应至少包含大写字母、小写字母、数字、符号中的%lld类",
			 (long long)p->password_min_classes);
		return buf;
	}
	if (username && *username && strcasestr(password, username))
		return "密码不能包含用户名";
	return NULL;
}
