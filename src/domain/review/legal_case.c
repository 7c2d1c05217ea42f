/*
 * What the three legal affairs case kinds (review, normdoc, decision) share
 * on top of the case engine: numbers with their own letter, deadlines with
 * the tenant's period lengths, and the reply of a generated .xlsx or .docx
 * file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "db/db.h"
#include "core/banned.h"

int legal_case_number(struct request *req, int64_t org_id, const char *kind, const char *letter, int year, char *out,
		      size_t outlen)
{
	char abbr[64];
	int64_t seq = 0;
	int rc = case_store_next_seq(req->db, org_id, kind, year, &seq);

	if (rc < 0)
		return api_db_error(req, rc);
	case_org_abbr(req->db, org_id, abbr, sizeof(abbr));
	case_format_number(out, outlen, abbr, letter, year, seq);
	return 0;
}

int legal_deadline_open(struct request *req, const struct case_row *c, const char *rule, int start, int length)
{
	const struct deadline_rule *base = case_rule_find(c->kind, rule);
	struct deadline_rule r;
	int rc;

	if (!base)
		return api_error(req, "INTERNAL", NULL, NULL);
	r = legal_rule(req->db, legal_tenant_of(c->org_path), base);
	if (length > 0)
		r.length = length;
	rc = case_deadline_open(req->db, c, &r, start);
	return rc < 0 ? api_db_error(req, rc) : 0;
}

int legal_reply_file(struct request *req, int rc, char *data, size_t len, const char *filename)
{
	size_t n = strlen(filename);
	int docx = n > 5 && !strcmp(filename + n - 5, ".docx");

	if (rc < 0) {
		free(data);
		return api_error(req, "INTERNAL", docx ? "生成 Word 文件失败" : "生成Excel文件失败", NULL);
	}
	req->raw_body = arena_strndup(&req->arena, data, len);
	req->raw_len = len;
	free(data);
	req->content_type_out = docx ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
				     : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	req->disposition = arena_printf(&req->arena, "attachment; filename=\"%s\"", filename);
	return 0;
}
