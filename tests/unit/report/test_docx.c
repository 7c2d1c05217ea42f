/*
 * Unit tests for src/report/docx.c: a sample 法治政府建设情况报告 is rendered,
 * opened again from memory with libzip, every part is parsed with expat
 * (namespace-aware, so an undeclared prefix fails too) and the WordprocessingML
 * is checked: escaped text round-trips, page geometry, fonts, highlight,
 * styles, footer page field, relationships, core properties, signature
 * indents. With FAZHI_DOCX_SAMPLE=path the sample is also written to path
 * (tests/docx/check_libreoffice.sh opens it in LibreOffice).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <expat.h>
#include <zip.h>

#include "core/buf.h"
#include "report/docx.h"

#define NS_W	 "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_SEP	 '\x01'
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"

#define TITLE_LINE2 "2024年法治政府建设情况报告"
#define ESCAPED_RAW "收案 < 结案 & \"办结\"\t'件'"
#define MARKED	    "【缺数据:行政复议收案数】"

static const char *const parts[] = {
	"[Content_Types].xml", "_rels/.rels",	    "word/document.xml",  "word/_rels/document.xml.rels",
	"word/styles.xml",     "word/settings.xml", "word/fontTable.xml", "word/footer1.xml",
	"docProps/core.xml",   "docProps/app.xml",
};

/* ---- helpers ------------------------------------------------------------ */

struct rendered {
	char *data;
	size_t len;
	zip_t *za;
};

static void open_zip(struct rendered *r)
{
	zip_error_t ze;
	zip_source_t *src;

	zip_error_init(&ze);
	src = zip_source_buffer_create(r->data, r->len, 0, &ze);
	assert_non_null(src);
	r->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!r->za)
		fail_msg("zip_open_from_source: %s", zip_error_strerror(&ze));
	zip_error_fini(&ze);
}

static void render(struct docx *d, struct rendered *r)
{
	assert_int_equal(docx_render(d, &r->data, &r->len), 0);
	assert_non_null(r->data);
	assert_true(r->len > 0);
	open_zip(r);
}

static void release(struct rendered *r)
{
	zip_discard(r->za);
	free(r->data);
}

/* An entry as a NUL-terminated heap string, or NULL when missing. */
static char *entry(struct rendered *r, const char *name, size_t *len)
{
	zip_stat_t st;
	zip_file_t *f;
	char *p;

	if (zip_stat(r->za, name, ZIP_FL_ENC_UTF_8, &st) < 0)
		return NULL;
	f = zip_fopen(r->za, name, 0);
	assert_non_null(f);
	p = malloc(st.size + 1);
	assert_non_null(p);
	assert_int_equal(zip_fread(f, p, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	p[st.size] = '\0';
	if (len)
		*len = st.size;
	return p;
}

/* What the expat pass over a part saw: its text (the character data inside
 * w:t, or all of it for other parts) and some element counts. */
struct seen {
	struct buf text;
	int in_t;
	int p, t, tab, br, highlight;
};

static int is_w(const char *name, const char *local)
{
	size_t n = strlen(NS_W);

	return !strncmp(name, NS_W, n) && name[n] == NS_SEP && !strcmp(name + n + 1, local);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct seen *s = ud;

	(void)atts;
	if (is_w(name, "p")) {
		s->p++;
	} else if (is_w(name, "t")) {
		s->t++;
		s->in_t = 1;
	} else if (is_w(name, "tab")) {
		s->tab++;
		buf_putc(&s->text, '\t');
	} else if (is_w(name, "br")) {
		s->br++;
		buf_putc(&s->text, '\n');
	} else if (is_w(name, "highlight")) {
		s->highlight++;
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct seen *s = ud;

	if (is_w(name, "t"))
		s->in_t = 0;
	else if (is_w(name, "p"))
		buf_putc(&s->text, '\n');
}

static void XMLCALL on_text(void *ud, const XML_Char *text, int len)
{
	struct seen *s = ud;

	if (s->in_t)
		buf_append(&s->text, text, (size_t)len);
}

/* Parse data with a namespace-aware expat parser; fail the test when it is not well-formed. */
static void parse(const char *name, const char *data, size_t len, struct seen *s)
{
	XML_Parser p = XML_ParserCreateNS("UTF-8", NS_SEP);

	assert_non_null(p);
	XML_SetUserData(p, s);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	if (XML_Parse(p, data, (int)len, 1) != XML_STATUS_OK)
		fail_msg("%s is not well-formed: %s at line %lu column %lu", name, XML_ErrorString(XML_GetErrorCode(p)),
			 (unsigned long)XML_GetCurrentLineNumber(p), (unsigned long)XML_GetCurrentColumnNumber(p));
	XML_ParserFree(p);
}

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->text, 0);
}

#define assert_contains(hay, needle)                                                                                   \
	do {                                                                                                           \
		if (!strstr((hay), (needle)))                                                                          \
			fail_msg("missing %s in:\n%.3000s", (needle), (hay));                                          \
	} while (0)

/* The sample report: every block kind, text that needs escaping, two pages. */
static struct docx *sample(void)
{
	static const char *const body[] = {
		"2024年，全县司法行政系统坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
		"全面落实党中央、国务院关于法治政府建设的决策部署，按照省、市法治政府建设工作要点，"
		"扎实推进依法行政，法治政府建设取得新进展。现将有关情况报告如下。",
		"县委常委会、县政府常务会议定期听取法治政府建设工作汇报，研究解决重大问题。"
		"严格落实党政主要负责人履行推进法治建设第一责任人职责，将法治建设纳入全县高质量发展综合绩效考核。",
		"全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度，"
		"组织开展行政执法案卷评查，对发现的问题逐项整改，行政执法质量持续提升。",
		"发挥行政复议化解行政争议主渠道作用，畅通复议申请渠道，推行繁简分流，"
		"依法纠正违法或者不当的行政行为，行政复议案件办理质量和效率稳步提高。",
		"深入实施“八五”普法规划，落实“谁执法谁普法”普法责任制，"
		"开展宪法宣传周、民法典宣传月等主题活动，全社会法治意识不断增强。",
	};
	struct docx *d = docx_new();
	size_t i;

	assert_non_null(d);
	docx_title(d, "某某县司法局\n" TITLE_LINE2);
	docx_subtitle(d, "（2025年1月10日）");
	docx_heading(d, 1, "一、主要举措和成效");
	docx_heading(d, 2, "（一）加强党对法治政府建设的领导");
	docx_paragraph(d);
	docx_text(d, body[0]);
	docx_paragraph(d);
	docx_text(d, body[1]);
	docx_heading(d, 3, "1.规范行政执法。");
	docx_paragraph(d);
	docx_text(d, body[2]);
	docx_paragraph(d);
	docx_text(d, "全年行政复议收案");
	docx_text_marked(d, MARKED);
	docx_text(d, "件，其中" ESCAPED_RAW "。");
	docx_heading(d, 2, "（二）深化行政复议体制改革");
	for (i = 0; i < 3; i++) {
		docx_paragraph(d);
		docx_text(d, body[3]);
		docx_paragraph(d);
		docx_text(d, body[4]);
	}
	docx_heading(d, 1, "二、存在的不足和下一步工作");
	docx_text(d, body[1]);
	docx_signature(d, "某某县司法局", "2025年1月10日");
	return d;
}

static void write_sample(const struct rendered *r)
{
	const char *path = getenv("FAZHI_DOCX_SAMPLE");
	FILE *f;

	if (!path || !*path)
		return;
	f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s", path);
	assert_int_equal(fwrite(r->data, 1, r->len, f), r->len);
	assert_int_equal(fclose(f), 0);
}

/* ---- tests -------------------------------------------------------------- */

static void test_parts_well_formed(void **state)
{
	struct docx *d = sample();
	struct rendered r;
	struct seen s;
	size_t i, len;
	char *x;

	(void)state;
	render(d, &r);
	write_sample(&r);
	assert_int_equal(zip_get_num_entries(r.za, 0), sizeof(parts) / sizeof(parts[0]));
	assert_string_equal(zip_get_name(r.za, 0, 0), "[Content_Types].xml");
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		x = entry(&r, parts[i], &len);
		if (!x)
			fail_msg("part %s is missing", parts[i]);
		assert_true(len > 0);
		assert_memory_equal(x, XML_DECL, sizeof(XML_DECL) - 1);
		seen_init(&s);
		parse(parts[i], x, len, &s);
		buf_release(&s.text);
		free(x);
	}
	release(&r);
	docx_free(d);
}

static void test_document(void **state)
{
	struct docx *d = sample();
	struct rendered r;
	struct seen s;
	size_t len;
	char *x;

	(void)state;
	render(d, &r);
	x = entry(&r, "word/document.xml", &len);
	assert_non_null(x);
	/* escaping, seen raw and through the parser */
	assert_contains(
	    x, "收案 &lt; 结案 &amp; &quot;办结&quot;</w:t><w:tab/><w:t xml:space=\"preserve\">&apos;件&apos;");
	seen_init(&s);
	parse("word/document.xml", x, len, &s);
	assert_contains(s.text.p, "某某县司法局\n" TITLE_LINE2 "\n");
	assert_contains(s.text.p, "全年行政复议收案" MARKED "件，其中" ESCAPED_RAW "。\n");
	assert_int_equal(s.highlight, 1);
	assert_int_equal(s.br, 1);
	assert_int_equal(s.tab, 1);
	/* title, empty line, ..., signature block: an empty line, org, date */
	assert_contains(s.text.p, "（2025年1月10日）\n\n一、主要举措和成效\n");
	assert_contains(s.text.p, "\n\n某某县司法局\n2025年1月10日\n");
	buf_release(&s.text);
	/* page: A4, margins 37/35/28/26 mm, 22 lines of 28 characters, footer */
	assert_contains(x, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>");
	assert_contains(x, "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1985\" w:left=\"1588\"");
	assert_contains(x, "<w:docGrid w:type=\"lines\" w:linePitch=\"579\"/>");
	assert_contains(x, "<w:spacing w:val=\"-5\"/><w:sz w:val=\"32\"/>");
	assert_contains(x, "<w:footerReference w:type=\"default\" r:id=\"rId4\"/>");
	/* fonts and styles */
	assert_contains(x, "w:eastAsia=\"方正小标宋简体\"");
	assert_contains(x, "w:eastAsia=\"仿宋_GB2312\"");
	assert_contains(x, "w:eastAsia=\"黑体\"");
	assert_contains(x, "w:eastAsia=\"楷体_GB2312\"");
	assert_contains(x, "w:ascii=\"Times New Roman\"");
	assert_contains(x, "w:hint=\"eastAsia\"");
	assert_contains(x, "<w:pStyle w:val=\"Title\"/>");
	assert_contains(x, "<w:pStyle w:val=\"Heading1\"/>");
	assert_contains(x, "<w:pStyle w:val=\"Heading2\"/>");
	assert_contains(x, "<w:pStyle w:val=\"Heading3\"/>");
	assert_contains(x, "<w:b/><w:bCs/><w:spacing w:val=\"-5\"/><w:sz w:val=\"32\"/>");
	assert_contains(x, "<w:sz w:val=\"44\"/>");
	assert_contains(x, "<w:highlight w:val=\"yellow\"/></w:rPr><w:t xml:space=\"preserve\">" MARKED "</w:t>");
	free(x);
	release(&r);
	docx_free(d);
}

static void test_other_parts(void **state)
{
	struct docx *d = sample();
	struct rendered r;
	char *x;

	(void)state;
	render(d, &r);
	x = entry(&r, "word/styles.xml", NULL);
	assert_contains(x, "w:default=\"1\" w:styleId=\"Normal\"");
	assert_contains(x, "<w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/>"
			   "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"579\" w:lineRule=\"exact\"/>");
	assert_contains(x, "<w:ind w:firstLine=\"640\" w:firstLineChars=\"200\"/><w:jc w:val=\"both\"/>");
	assert_contains(x, "w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>");
	assert_contains(x, "<w:outlineLvl w:val=\"0\"/>");
	assert_contains(x, "<w:outlineLvl w:val=\"2\"/>");
	assert_contains(x, "w:eastAsia=\"zh-CN\"");
	free(x);
	x = entry(&r, "word/footer1.xml", NULL);
	assert_contains(x, "— </w:t>");
	assert_contains(x, "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>");
	assert_contains(x, "<w:sz w:val=\"28\"/>");
	assert_contains(x, "<w:jc w:val=\"center\"/>");
	free(x);
	x = entry(&r, "word/_rels/document.xml.rels", NULL);
	assert_contains(
	    x, "Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" "
	       "Target=\"footer1.xml\"");
	free(x);
	x = entry(&r, "[Content_Types].xml", NULL);
	assert_contains(
	    x, "PartName=\"/word/document.xml\" "
	       "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"");
	free(x);
	x = entry(&r, "docProps/core.xml", NULL);
	assert_contains(x, "<dc:title>某某县司法局 " TITLE_LINE2 "</dc:title>");
	assert_contains(x, "<dc:creator>fazhi</dc:creator>");
	assert_contains(x, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">20");
	assert_non_null(strstr(x, "Z</dcterms:created>"));
	free(x);
	release(&r);
	docx_free(d);
}

/* Controls dropped, bad UTF-8 replaced, newlines in body text: paragraphs. */
static void test_text_cleanup(void **state)
{
	struct docx *d = docx_new();
	struct rendered r;
	struct seen s;
	size_t len;
	char *x;

	(void)state;
	docx_text(d, "甲\x01\x1b乙\r\n丙\xff丁\xed\xa0\x80戊\xef\xbf\xbe");
	docx_text(d, "\n");
	docx_text(d, "己");
	docx_heading(d, 7, "标题\n第二行");
	docx_text_marked(d, "");
	docx_text(d, NULL);
	render(d, &r);
	x = entry(&r, "word/document.xml", &len);
	seen_init(&s);
	parse("word/document.xml", x, len, &s);
	assert_string_equal(s.text.p, "甲乙\n丙\xef\xbf\xbd丁\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd戊\xef\xbf\xbd\n己\n"
				      "标题\n第二行\n\n");
	assert_int_equal(s.br, 1);
	assert_int_equal(s.highlight, 0);
	assert_contains(x, "<w:pStyle w:val=\"Heading3\"/>");
	buf_release(&s.text);
	free(x);
	release(&r);
	docx_free(d);
}

/* An empty document is a valid package; rendering leaves the document as it was. */
static void test_empty_and_twice(void **state)
{
	struct docx *d = docx_new();
	struct rendered r;
	struct seen s;
	size_t len;
	char *x;

	(void)state;
	render(d, &r);
	x = entry(&r, "word/document.xml", &len);
	seen_init(&s);
	parse("word/document.xml", x, len, &s);
	assert_int_equal(s.p, 1);
	buf_release(&s.text);
	free(x);
	x = entry(&r, "docProps/core.xml", &len);
	assert_contains(x, "<dc:title></dc:title>");
	free(x);
	release(&r);

	docx_paragraph(d);
	docx_text(d, "第一段");
	render(d, &r);
	release(&r);
	docx_text(d, "续");
	render(d, &r);
	x = entry(&r, "word/document.xml", &len);
	seen_init(&s);
	parse("word/document.xml", x, len, &s);
	assert_string_equal(s.text.p, "第一段续\n");
	buf_release(&s.text);
	free(x);
	release(&r);
	docx_free(d);
	docx_free(NULL);
}

/* GB/T 9704 7.3.5.2: org 2 characters from the right, date's first character 2 right of org's. */
static void test_signature(void **state)
{
	struct docx *d = docx_new();
	struct rendered r;
	char *x;

	(void)state;
	docx_signature(d, "某某县人民政府办公室", "2025年1月10日"); /* 10 vs 6.5 characters */
	docx_signature(d, "某某县司法局", "2025年1月10日");	    /* 6 vs 6.5: the date is longer */
	docx_signature(d, NULL, "2025年1月10日");
	docx_signature(d, "某某县司法局", "2025年1月10日（此处日期被误写成了一段很长很长很长很长的文字）");
	render(d, &r);
	x = entry(&r, "word/document.xml", NULL);
	assert_contains(x, "<w:ind w:right=\"631\" w:rightChars=\"200\"/>");
	assert_contains(x, "<w:ind w:right=\"1105\" w:rightChars=\"350\"/>");
	assert_contains(x, "<w:ind w:right=\"1421\" w:rightChars=\"450\"/>");
	assert_contains(x, "<w:ind w:right=\"4422\" w:rightChars=\"1400\"/>");
	assert_contains(x, "<w:pStyle w:val=\"Signature\"/>");
	free(x);
	release(&r);
	docx_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts_well_formed), cmocka_unit_test(test_document),
		cmocka_unit_test(test_other_parts),	  cmocka_unit_test(test_text_cleanup),
		cmocka_unit_test(test_empty_and_twice),	  cmocka_unit_test(test_signature),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
