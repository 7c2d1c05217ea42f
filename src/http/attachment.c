/* Attached files over the API: checked upload into the blob store, verified download. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attachment.h"
#include "core/arena.h"
#include "core/blobstore.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/banned.h"

int attachment_receive(struct request *req, const char **name, char sha[65])
{
	const char *n = req_query(req, "filename");
	char dir[1024];

	if (!n || !*n || strlen(n) > 200 || strpbrk(n, "/\\\"\r\n"))
		return api_field_error(req, "filename",
				       "请在 filename 参数中给出文件名(不超过200字节,不含 / \\ \" 和换行)");
	if (!req->body_len)
		return api_field_error(req, "file", "上传的文件为空");
	conf_files_dir(req->conf, dir, sizeof(dir));
	if (blob_put(dir, req->body, req->body_len, sha) < 0) {
		log_error("attachment \"%s\": cannot store under %s: %s", n, dir, strerror(errno));
		return api_error(req, "UNAVAILABLE", "附件保存失败(存储不可用)", NULL);
	}
	*name = n;
	return 0;
}

/* "attachment; filename*=UTF-8''…" with the UTF-8 name percent-encoded (RFC 5987, RFC 6266). */
static const char *content_disposition(struct arena *a, const char *name)
{
	static const char prefix[] = "attachment; filename*=UTF-8''", hex[] = "0123456789ABCDEF";
	char *out = arena_alloc(a, sizeof(prefix) + strlen(name) * 3), *o;
	const unsigned char *p;

	memcpy(out, prefix, sizeof(prefix) - 1);
	o = out + sizeof(prefix) - 1;
	for (p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

int attachment_reply(struct request *req, const char *sha, int64_t size, const char *type, const char *name)
{
	char dir[1024], *data;
	size_t got;
	int rc;

	conf_files_dir(req->conf, dir, sizeof(dir));
	rc = blob_get(&req->arena, dir, sha, (size_t)size, &data, &got);
	if (rc == -1)
		return api_error(req, "UNAVAILABLE", "附件文件缺失,请联系管理员", NULL);
	if (rc < 0) {
		log_error("attachment %s (\"%s\"): content does not match its SHA-256", sha, name);
		return api_error(req, "INTERNAL", "附件文件已损坏(校验值不符),请联系管理员", NULL);
	}
	req->raw_body = data;
	req->raw_len = got;
	req->content_type_out = arena_strdup(&req->arena, type);
	req->disposition = content_disposition(&req->arena, name);
	return 0;
}
