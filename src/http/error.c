/*
 * The stable API error codes: one table of code, HTTP status and default
 * Chinese message. Clients branch on the code; people read the message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "request.h"
#include "db/db.h"
#include "core/log.h"
#include "core/banned.h"

struct api_code {
	const char *code;
	int status;
	const char *message;
};

static const struct api_code api_codes[] = {
	{ "BAD_REQUEST", 400, "请求格式不正确" },
	{ "INVALID_JSON", 400, "请求体不是合法的 JSON" },
	{ "VALIDATION_FAILED", 400, "提交的数据未通过校验" },
	{ "UNAUTHENTICATED", 401, "未登录或会话已过期,请重新登录" },
	{ "LOGIN_FAILED", 401, "用户名或密码错误" },
	{ "FORBIDDEN", 403, "没有执行此操作的权限" },
	{ "OUT_OF_SCOPE", 403, "该数据不在您的数据权限范围内" },
	{ "CSRF_FAILED", 403, "请求缺少有效的安全令牌,请刷新页面后重试" },
	{ "PASSWORD_CHANGE_REQUIRED", 403, "请先修改初始密码" },
	{ "ACCOUNT_LOCKED", 403, "账号已被锁定" },
	{ "ACCOUNT_DISABLED", 403, "账号已被停用,请联系系统管理员" },
	{ "SEPARATION_OF_DUTIES", 403, "违反三员分立要求" },
	{ "NOT_FOUND", 404, "请求的资源不存在" },
	{ "METHOD_NOT_ALLOWED", 405, "不支持该请求方法" },
	{ "CONFLICT", 409, "数据与已有记录冲突" },
	{ "INVALID_STATE", 409, "当前状态下不能执行该操作" },
	{ "INVALID_REFERENCE", 409, "引用的数据不存在" },
	{ "PAYLOAD_TOO_LARGE", 413, "请求体过大" },
	{ "UNSUPPORTED_MEDIA_TYPE", 415, "请求体应为 JSON(Content-Type: application/json)" },
	{ "RATE_LIMITED", 429, "请求过于频繁,请稍后再试" },
	{ "INTERNAL", 500, "系统内部错误,请联系管理员" },
	{ "UNAVAILABLE", 503, "系统繁忙或存储暂不可用,请稍后重试" },
};

static const struct api_code *find_code(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(api_codes) / sizeof(api_codes[0]); i++)
		if (!strcmp(api_codes[i].code, code))
			return &api_codes[i];
	return NULL;
}

int api_error_status(const char *code)
{
	const struct api_code *c = find_code(code);

	return c ? c->status : 500;
}

const char *api_error_message(const char *code)
{
	const struct api_code *c = find_code(code);

	return c ? c->message : "系统内部错误";
}

int api_error(struct request *req, const char *code, const char *message, json_t *details)
{
	const struct api_code *c = find_code(code);

	if (!c) {
		log_error("api_error: unknown code %s", code);
		c = find_code("INTERNAL");
	}
	req->status = c->status;
	req->err_code = c->code;
	req->err_message = message ? arena_strdup(&req->arena, message) : c->message;
	if (req->err_details)
		json_decref(req->err_details);
	req->err_details = details;
	return -1;
}

int api_errorf(struct request *req, const char *code, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = arena_vprintf(&req->arena, fmt, ap);
	va_end(ap);
	return api_error(req, code, msg, NULL);
}

int api_field_error(struct request *req, const char *field, const char *message)
{
	json_t *details = json_pack("{s:{s:s}}", "fields", field, message);
	char *msg = arena_printf(&req->arena, "%s", message);

	return api_error(req, "VALIDATION_FAILED", msg, details);
}

int api_db_error(struct request *req, int rc)
{
	switch (rc) {
	case DB_CONFLICT:
		return api_error(req, "CONFLICT", NULL, NULL);
	case DB_INVALID_REF:
		return api_error(req, "INVALID_REFERENCE", NULL, NULL);
	case DB_CONSTRAINT:
		return api_error(req, "VALIDATION_FAILED", NULL, NULL);
	case DB_BUSY:
	case DB_READONLY:
		return api_error(req, "UNAVAILABLE", NULL, NULL);
	}
	return api_error(req, "INTERNAL", NULL, NULL);
}
