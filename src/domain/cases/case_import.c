/* The import engine; see case_import.h. The per-line specs live with their lines. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "case_import.h"
#include "core/calendar.h"
#include "core/table.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "core/banned.h"

#define IMPORT_MAX_ERRORS 200

extern const struct import_spec reconsideration_import;
extern const struct import_spec litigation_import;

const struct import_spec *import_spec_find(const char *kind)
{
	static const struct import_spec *const specs[] = { &reconsideration_import, &litigation_import };
	size_t i;

	for (i = 0; kind && i < ARRAY_SIZE(specs); i++)
		if (!strcmp(specs[i]->kind->code, kind))
			return specs[i];
	return NULL;
}

void *import_error(struct import_ctx *x, const char *column, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (json_array_size(x->errors) >= IMPORT_MAX_ERRORS)
		return NULL;
	va_start(ap, fmt);
	msg = arena_vprintf(x->arena, fmt, ap);
	va_end(ap);
	json_array_append_new(x->errors, json_pack("{s:i,s:s,s:s}", "line", x->line, "column", column ? column : "",
						   "message", msg));
	return NULL;
}

static int column_index(const struct import_spec *spec, const char *header)
{
	int i;

	for (i = 0; spec->columns[i]; i++)
		if (!strcmp(spec->columns[i], header))
			return i;
	return -1;
}

const char *import_cell(struct import_ctx *x, const char *header)
{
	int i = column_index(x->spec, header), c;

	if (i < 0 || (c = x->colmap[i]) < 0 || (size_t)c >= x->row->ncells)
		return "";
	return x->row->cells[c];
}

int import_date(struct import_ctx *x, const char *column, int required, char out[11])
{
	const char *v = import_cell(x, column);
	int d;

	out[0] = '\0';
	if (!*v) {
		if (required) {
			import_error(x, column, "%s不能为空", column);
			return -1;
		}
		return 0;
	}
	if (date_parse(v, &d) < 0) {
		import_error(x, column, "“%s”不是有效日期(应写作2021-03-05、2021/3/5或2021年3月5日)", v);
		return -1;
	}
	if (d > time_today_cst()) {
		import_error(x, column, "日期%s晚于今天", v);
		return -1;
	}
	date_format(d, out);
	return 0;
}

int import_choice(struct import_ctx *x, const char *column, const char *const *labels, const char *const *codes,
		  int required, const char **code)
{
	const char *v = import_cell(x, column);
	size_t i;

	*code = NULL;
	if (!*v) {
		if (required) {
			import_error(x, column, "%s不能为空", column);
			return -1;
		}
		return 0;
	}
	for (i = 0; labels[i]; i++) {
		if (!strcmp(labels[i], v)) {
			*code = codes[i];
			return 0;
		}
	}
	{
		char allowed[512] = "";
		size_t n = 0;

		for (i = 0; labels[i] && n < sizeof(allowed) - 64; i++)
			n += (size_t)snprintf(allowed + n, sizeof(allowed) - n, "%s%s", i ? "、" : "", labels[i]);
		import_error(x, column, "“%s”不是允许的取值(可选:%s)", v, allowed);
	}
	return -1;
}

int import_yes_no(struct import_ctx *x, const char *column, int *out)
{
	static const char *const labels[] = { "是", "否", "Y", "N", NULL };
	static const char *const codes[] = { "1", "0", "1", "0" };
	const char *code;

	if (import_choice(x, column, labels, codes, 0, &code) < 0)
		return -1;
	*out = code && !strcmp(code, "1");
	return 0;
}

int import_org(struct import_ctx *x, const char *column, int64_t *org_id, char *name, size_t namelen)
{
	const char *v = import_cell(x, column);
	struct db_stmt *st;
	char like[270];
	int rc, n = 0;

	if (!*v) {
		import_error(x, column, "%s不能为空", column);
		return -1;
	}
	/* Respondents and defendants are anywhere in the tenant's tree, not only under the import's org. */
	{
		const char *slash = strchr(x->org_path + 1, '/');
		int root_len = slash ? (int)(slash - x->org_path + 1) : (int)strlen(x->org_path);

		snprintf(like, sizeof(like), "%.*s%%", root_len, x->org_path);
	}
	if (db_prepare(x->db, &st, "SELECT id, name FROM org WHERE (name = $1 OR short_name = $1) AND path LIKE $2") < 0)
		return -1;
	db_bind(st, db_text(v), db_text(like));
	while ((rc = db_step(st)) == DB_ROW) {
		*org_id = db_col_int(st, 0);
		snprintf(name, namelen, "%s", db_col_text(st, 1));
		n++;
	}
	db_done(st);
	if (n == 1)
		return 0;
	import_error(x, column, n ? "“%s”对应多个机构,请写机构全称" : "找不到名为“%s”的机构(请写系统中的机构全称)", v);
	return -1;
}

/* Map the header row onto the spec's columns; unknown and missing required columns are errors. */
static int map_header(struct import_ctx *x, const struct table_row *header)
{
	size_t i;
	int k, ok = 0;

	for (k = 0; k < IMPORT_MAX_COLUMNS; k++)
		x->colmap[k] = -1;
	x->line = header->line;
	for (i = 0; i < header->ncells; i++) {
		const char *h = header->cells[i];

		if (!*h)
			continue;
		k = column_index(x->spec, h);
		if (k < 0) {
			import_error(x, h, "不认识的列“%s”", h);
			ok = -1;
		} else if (x->colmap[k] >= 0) {
			import_error(x, h, "列“%s”出现了两次", h);
			ok = -1;
		} else {
			x->colmap[k] = (int)i;
		}
	}
	for (i = 0; x->spec->required[i]; i++) {
		if (x->colmap[column_index(x->spec, x->spec->required[i])] < 0) {
			import_error(x, x->spec->required[i], "缺少必需的列“%s”", x->spec->required[i]);
			ok = -1;
		}
	}
	return ok;
}

int import_run(struct db *db, struct arena *a, const struct import_spec *spec, int64_t org_id, int64_t actor_id,
	       const char *data, size_t len, json_t **errors)
{
	struct import_ctx x;
	struct table t;
	char err[256];
	void **rows;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	x.db = db;
	x.arena = a;
	x.org_id = org_id;
	x.actor_id = actor_id;
	x.spec = spec;
	x.errors = json_array();
	*errors = x.errors;
	if (db_query_text(db, x.org_path, sizeof(x.org_path), "SELECT path FROM org WHERE id = $1", db_int(org_id)) !=
	    DB_ROW) {
		import_error(&x, NULL, "导入的目标机构不存在");
		return -1;
	}
	if (table_read(a, data, len, &t, err, sizeof(err)) < 0) {
		import_error(&x, NULL, "%s", err);
		return -1;
	}
	if (t.nrows == 0) {
		import_error(&x, NULL, "文件是空的");
		return -1;
	}
	if (map_header(&x, &t.rows[0]) < 0)
		return -1;
	if (t.nrows == 1) {
		import_error(&x, NULL, "文件只有表头,没有案件");
		return -1;
	}
	rows = arena_zalloc(a, t.nrows * sizeof(*rows));
	for (i = 1; i < t.nrows; i++) {
		x.row = &t.rows[i];
		x.line = t.rows[i].line;
		rows[i] = spec->check(&x);
	}
	if (json_array_size(x.errors))
		return -1;
	for (i = 1; i < t.nrows; i++) {
		x.row = &t.rows[i];
		x.line = t.rows[i].line;
		rc = spec->insert(&x, rows[i]);
		if (rc == DB_CONFLICT) {
			import_error(&x, "案号", "案号与系统中已有的案件重复");
			return -1;
		}
		if (rc < 0)
			return -2;
	}
	return (int)(t.nrows - 1);
}

char *import_template_csv(struct arena *a, const struct import_spec *spec, size_t *len)
{
	size_t n = 3, i;
	char *out, *p;

	for (i = 0; spec->columns[i]; i++)
		n += strlen(spec->columns[i]) + 1;
	out = arena_alloc(a, n + 2);
	memcpy(out, "\xEF\xBB\xBF", 3); /* BOM: Excel then reads UTF-8 */
	p = out + 3;
	for (i = 0; spec->columns[i]; i++) {
		size_t l = strlen(spec->columns[i]);

		if (i)
			*p++ = ',';
		memcpy(p, spec->columns[i], l);
		p += l;
	}
	*p++ = '\r';
	*p++ = '\n';
	*len = (size_t)(p - out);
	return out;
}
