/*
 * WordprocessingML writer behind docx.h. Paragraphs are appended to the body
 * of word/document.xml as the document is built; docx_render wraps the body,
 * generates the other parts (content types, relationships, styles, settings,
 * font table, footer, core and app properties) and zips them into memory with
 * libzip, [Content_Types].xml first. Element order inside pPr, rPr, sectPr,
 * style and settings follows the ECMA-376 schema sequences: Word reports an
 * out-of-order element as unreadable content.
 */
#include "docx.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "core/buf.h"
#include "core/banned.h"

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
#define NS_W	 "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R	 "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_OD	 "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT_WML	 "application/vnd.openxmlformats-officedocument.wordprocessingml."

/* Page geometry in twips (1 mm = 56.7 twips). */
#define PAGE_W	      11906
#define PAGE_H	      16838
#define MARGIN_TOP    2098 /* 37 mm */
#define MARGIN_BOTTOM 1985 /* 35 mm */
#define MARGIN_LEFT   1588 /* 28 mm */
#define MARGIN_RIGHT  1474 /* 26 mm */
#define HEADER_DIST   851  /* 15 mm, no header is written */
#define FOOTER_DIST   1304 /* 23 mm: the 14 pt page number's top sits about 7 mm under the body */
#define TEXT_W	      (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) /* 8844 = 156 mm */
#define LINE_PITCH    579				    /* exactly 28.95 pt: 22 lines in the 225 mm body */
/* 28 characters of 16 pt per line: TEXT_W is 442.2 pt, so each character is
 * condensed by 0.25 pt (w:spacing, in 1/20 pt) to 15.75 pt; 29 never fit.
 * Word's own 公文 templates use a character grid instead (docGrid
 * linesAndChars, charSpace -848), but LibreOffice gives every 16 pt character
 * two cells of a grid narrower than 16 pt, which halves the characters per
 * line; condensing looks the same in Word and WPS and works in LibreOffice. */
#define CONDENSE (-5)
#define INDENT_2 640 /* 2 characters of 16 pt */

#define FONT_LATIN "Times New Roman"

enum kind { K_BODY, K_TITLE, K_SUBTITLE, K_H1, K_H2, K_H3, K_SIGNATURE, K_COUNT };

struct kind_style {
	const char *id;	  /* w:styleId */
	const char *name; /* w:name (Word's built-in names, so Word maps them) */
	const char *font; /* East Asian font */
	int size;	  /* half-points */
	int bold;
	int br; /* a newline in text is a <w:br/>, not a new paragraph */
};

static const struct kind_style kinds[K_COUNT] = {
	[K_BODY] = { "Normal", "Normal", "仿宋_GB2312", 32, 0, 0 },
	[K_TITLE] = { "Title", "Title", "方正小标宋简体", 44, 0, 1 },
	[K_SUBTITLE] = { "Subtitle", "Subtitle", "楷体_GB2312", 32, 0, 1 },
	[K_H1] = { "Heading1", "heading 1", "黑体", 32, 0, 1 },
	[K_H2] = { "Heading2", "heading 2", "楷体_GB2312", 32, 0, 1 },
	[K_H3] = { "Heading3", "heading 3", "仿宋_GB2312", 32, 1, 1 },
	[K_SIGNATURE] = { "Signature", "Signature", "仿宋_GB2312", 32, 0, 0 },
};

struct docx {
	struct buf body;  /* <w:p> elements of word/document.xml so far */
	struct buf title; /* text of the first title, for dc:title */
	int have_title;
	int open;	/* a body paragraph is open (its </w:p> still to come) */
	int any;	/* some block was written */
	enum kind last; /* kind of the last block, when any */
	int failed;	/* a buffer hit its ceiling */
};

/* ---- output helpers ------------------------------------------------------ */

static void put(struct docx *d, struct buf *b, const char *s)
{
	if (buf_puts(b, s) < 0)
		d->failed = 1;
}

static void putf(struct docx *d, struct buf *b, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void putf(struct docx *d, struct buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* Only short, fixed markup goes through here. */
	if (n < 0 || (size_t)n >= sizeof(tmp) || buf_append(b, tmp, (size_t)n) < 0)
		d->failed = 1;
}

/* Length of the UTF-8 sequence at p[0..n) (shortest form, no surrogates, at
 * most U+10FFFF) with its code point in *cp, or 0 when it is not valid. */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		c = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		len = 3;
		c = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* s[0..n) as XML character data: & < > " ' escaped, control characters other
 * than tab and newline dropped, invalid UTF-8 and U+FFFE/U+FFFF (not XML
 * characters) replaced by U+FFFD. */
static void put_escaped(struct docx *d, struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *plain = p;
	const char *rep;
	uint32_t cp;
	size_t len;

	while (p < end) {
		rep = NULL;
		len = utf8_decode(p, (size_t)(end - p), &cp);
		if (!len) {
			rep = "\xEF\xBF\xBD";
			len = 1;
		} else if (cp == '&') {
			rep = "&amp;";
		} else if (cp == '<') {
			rep = "&lt;";
		} else if (cp == '>') {
			rep = "&gt;";
		} else if (cp == '"') {
			rep = "&quot;";
		} else if (cp == '\'') {
			rep = "&apos;";
		} else if (cp < 0x20 && cp != '\t' && cp != '\n') {
			rep = "";
		} else if (cp == 0xFFFE || cp == 0xFFFF) {
			rep = "\xEF\xBF\xBD";
		}
		if (rep) {
			if (buf_append(b, plain, (size_t)(p - plain)) < 0 || buf_puts(b, rep) < 0)
				d->failed = 1;
			plain = p + len;
		}
		p += len;
	}
	if (buf_append(b, plain, (size_t)(p - plain)) < 0)
		d->failed = 1;
}

/* Run properties of kind k: fonts (East Asian by w:eastAsia, the hint makes
 * ambiguous punctuation East Asian too), bold, size, highlight. */
static void put_rpr(struct docx *d, struct buf *b, enum kind k, int marked)
{
	const struct kind_style *ks = &kinds[k];

	putf(d, b,
	     "<w:rPr><w:rFonts w:ascii=\"" FONT_LATIN "\" w:hAnsi=\"" FONT_LATIN
	     "\" w:eastAsia=\"%s\" w:cs=\"" FONT_LATIN "\" w:hint=\"eastAsia\"/>%s",
	     ks->font, ks->bold ? "<w:b/><w:bCs/>" : "");
	if (ks->size == 32)
		putf(d, b, "<w:spacing w:val=\"%d\"/>", CONDENSE);
	putf(d, b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>%s</w:rPr>", ks->size, ks->size,
	     marked ? "<w:highlight w:val=\"yellow\"/>" : "");
}

/* ---- building ------------------------------------------------------------ */

struct docx *docx_new(void)
{
	struct docx *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	buf_init(&d->body, BUF_DEFAULT_MAX);
	buf_init(&d->title, 64 * 1024);
	return d;
}

void docx_free(struct docx *d)
{
	if (!d)
		return;
	buf_release(&d->body);
	buf_release(&d->title);
	free(d);
}

/* Open <w:p> with its properties; right: right indent in hundredths of a character. */
static void open_para(struct docx *d, enum kind k, int right)
{
	put(d, &d->body, "<w:p><w:pPr>");
	if (k != K_BODY)
		putf(d, &d->body, "<w:pStyle w:val=\"%s\"/>", kinds[k].id);
	if (right)
		putf(d, &d->body, "<w:ind w:right=\"%d\" w:rightChars=\"%d\"/>", right * TEXT_W / 2800, right);
	put_rpr(d, &d->body, k, 0);
	put(d, &d->body, "</w:pPr>");
}

static void close_para(struct docx *d)
{
	if (d->open) {
		put(d, &d->body, "</w:p>");
		d->open = 0;
	}
}

/* Close the open paragraph, and after the title block (titles and subtitles)
 * leave one empty line before whatever comes next. */
static void begin_block(struct docx *d, enum kind k)
{
	int title_block = k == K_TITLE || k == K_SUBTITLE;

	close_para(d);
	if (d->any && (d->last == K_TITLE || d->last == K_SUBTITLE) && !title_block) {
		open_para(d, K_BODY, 0);
		put(d, &d->body, "</w:p>");
	}
	d->any = 1;
	d->last = k;
}

/* Runs of text in the open paragraph of kind k: tab -> <w:tab/>, newline ->
 * <w:br/> (kinds[k].br) or a new paragraph of the same kind and indent. */
static void put_runs(struct docx *d, enum kind k, const char *text, int marked, int right)
{
	const char *p = text;
	int in_run = 0;
	size_t n;

	if (!p)
		return;
	while (*p) {
		n = strcspn(p, "\t\n");
		if (!in_run && (n || *p == '\t' || kinds[k].br)) {
			put(d, &d->body, "<w:r>");
			put_rpr(d, &d->body, k, marked);
			in_run = 1;
		}
		if (n) {
			put(d, &d->body, "<w:t xml:space=\"preserve\">");
			put_escaped(d, &d->body, p, n);
			put(d, &d->body, "</w:t>");
			p += n;
		}
		if (*p == '\t') {
			put(d, &d->body, "<w:tab/>");
		} else if (*p == '\n' && kinds[k].br) {
			put(d, &d->body, "<w:br/>");
		} else if (*p == '\n') {
			if (in_run)
				put(d, &d->body, "</w:r>");
			in_run = 0;
			put(d, &d->body, "</w:p>");
			open_para(d, k, right);
		}
		if (*p)
			p++;
	}
	if (in_run)
		put(d, &d->body, "</w:r>");
}

/* A complete paragraph of kind k holding text. */
static void block(struct docx *d, enum kind k, const char *text, int right)
{
	open_para(d, k, right);
	put_runs(d, k, text, 0, right);
	put(d, &d->body, "</w:p>");
}

void docx_title(struct docx *d, const char *text)
{
	begin_block(d, K_TITLE);
	block(d, K_TITLE, text, 0);
	if (!d->have_title && text) {
		const char *p;

		/* a title longer than the buffer is cut short (a cut character becomes U+FFFD) */
		d->have_title = 1;
		for (p = text; *p && buf_putc(&d->title, *p == '\n' || *p == '\t' ? ' ' : *p) == 0; p++)
			;
	}
}

void docx_subtitle(struct docx *d, const char *text)
{
	begin_block(d, K_SUBTITLE);
	block(d, K_SUBTITLE, text, 0);
}

void docx_heading(struct docx *d, int level, const char *text)
{
	enum kind k = level <= 1 ? K_H1 : level == 2 ? K_H2 : K_H3;

	begin_block(d, k);
	block(d, k, text, 0);
}

void docx_paragraph(struct docx *d)
{
	begin_block(d, K_BODY);
	open_para(d, K_BODY, 0);
	d->open = 1;
}

static void text_run(struct docx *d, const char *text, int marked)
{
	if (!d->open)
		docx_paragraph(d);
	put_runs(d, K_BODY, text, marked, 0);
}

void docx_text(struct docx *d, const char *text)
{
	text_run(d, text, 0);
}

void docx_text_marked(struct docx *d, const char *text)
{
	text_run(d, text, 1);
}

#define MAX_WIDTH 100000 /* 1000 characters: keeps the twips arithmetic in an int */

/* Width of the widest line of s in hundredths of a character: 100 for a
 * CJK (or any non-ASCII) character, 50 for a half-width ASCII one; at most
 * MAX_WIDTH. */
static int text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	int w = 0, max = 0;
	uint32_t cp;

	while (n) {
		len = utf8_decode(p, n, &cp);
		if (!len)
			len = 1;
		if (*p == '\n')
			w = 0;
		else if (*p >= 0x20)
			w += *p < 0x80 ? 50 : 100;
		if (w > max)
			max = w;
		if (max >= MAX_WIDTH)
			return MAX_WIDTH;
		p += len;
		n -= len;
	}
	return max;
}

void docx_signature(struct docx *d, const char *org, const char *date)
{
	int ro = 200, rd = 200;

	begin_block(d, K_SIGNATURE);
	/* 正文下空一行 */
	open_para(d, K_BODY, 0);
	put(d, &d->body, "</w:p>");
	if (org && date) {
		/* date's first character 2 to the right of org's: rd + wd = ro + wo - 200 */
		rd = ro + text_width(org) - 200 - text_width(date);
		if (rd < 200) {
			ro += 200 - rd;
			rd = 200;
		}
		/* absurdly long lines: keep at least half the line for the text */
		ro = ro > 1400 ? 1400 : ro;
		rd = rd > 1400 ? 1400 : rd;
	}
	if (org)
		block(d, K_SIGNATURE, org, ro);
	if (date)
		block(d, K_SIGNATURE, date, rd);
}

/* ---- the other parts ----------------------------------------------------- */

static const char content_types_xml[] =
    XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	     "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	     "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	     "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_WML "document.main+xml\"/>"
	     "<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_WML "styles+xml\"/>"
	     "<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_WML "settings+xml\"/>"
	     "<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT_WML "fontTable+xml\"/>"
	     "<Override PartName=\"/word/footer1.xml\" ContentType=\"" CT_WML "footer+xml\"/>"
	     "<Override PartName=\"/docProps/core.xml\" "
	     "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	     "<Override PartName=\"/docProps/app.xml\" "
	     "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	     "</Types>";

static const char package_rels_xml[] =
    XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	     "<Relationship Id=\"rId1\" Type=\"" REL_OD "officeDocument\" Target=\"word/document.xml\"/>"
	     "<Relationship Id=\"rId2\" "
	     "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
	     "Target=\"docProps/core.xml\"/>"
	     "<Relationship Id=\"rId3\" Type=\"" REL_OD "extended-properties\" Target=\"docProps/app.xml\"/>"
	     "</Relationships>";

#define RID_FOOTER "rId4"

static const char document_rels_xml[] =
    XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	     "<Relationship Id=\"rId1\" Type=\"" REL_OD "styles\" Target=\"styles.xml\"/>"
	     "<Relationship Id=\"rId2\" Type=\"" REL_OD "settings\" Target=\"settings.xml\"/>"
	     "<Relationship Id=\"rId3\" Type=\"" REL_OD "fontTable\" Target=\"fontTable.xml\"/>"
	     "<Relationship Id=\"" RID_FOOTER "\" Type=\"" REL_OD "footer\" Target=\"footer1.xml\"/>"
	     "</Relationships>";

static const char settings_xml[] = XML_DECL
    "<w:settings xmlns:w=\"" NS_W "\">"
    "<w:zoom w:percent=\"100\"/>"
    "<w:defaultTabStop w:val=\"640\"/>"
    "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
    "w:val=\"15\"/></w:compat>"
    "<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>"
    "<w:decimalSymbol w:val=\".\"/>"
    "<w:listSeparator w:val=\",\"/>"
    "</w:settings>";

/* altName: what Word substitutes when the font is missing (仿宋_GB2312 and
 * 楷体_GB2312 are not on current Windows, 方正小标宋简体 rarely is). */
static const char font_table_xml[] =
    XML_DECL "<w:fonts xmlns:w=\"" NS_W "\">"
	     "<w:font w:name=\"" FONT_LATIN "\"><w:panose1 w:val=\"02020603050405020304\"/><w:charset w:val=\"00\"/>"
	     "<w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>"
	     "<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:panose1 w:val=\"02010600030101010101\"/>"
	     "<w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>"
	     "<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/>"
	     "<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
	     "<w:font w:name=\"楷体_GB2312\"><w:altName w:val=\"楷体\"/><w:charset w:val=\"86\"/>"
	     "<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
	     "<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:charset w:val=\"86\"/>"
	     "<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
	     "<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/><w:charset w:val=\"86\"/>"
	     "<w:family w:val=\"script\"/><w:pitch w:val=\"variable\"/></w:font>"
	     "</w:fonts>";

/* 4号半角宋体阿拉伯数字 between two 一字线, centred. */
#define FOOTER_RPR                                                                                                     \
	"<w:rPr><w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\" w:hint=\"eastAsia\"/>"           \
	"<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr>"

static const char footer_xml[] =
    XML_DECL "<w:ftr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\">"
	     "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/>" FOOTER_RPR "</w:pPr>"
	     "<w:r>" FOOTER_RPR "<w:t xml:space=\"preserve\">— </w:t></w:r>"
	     "<w:r>" FOOTER_RPR "<w:fldChar w:fldCharType=\"begin\"/></w:r>"
	     "<w:r>" FOOTER_RPR "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
	     "<w:r>" FOOTER_RPR "<w:fldChar w:fldCharType=\"separate\"/></w:r>"
	     "<w:r>" FOOTER_RPR "<w:t>1</w:t></w:r>"
	     "<w:r>" FOOTER_RPR "<w:fldChar w:fldCharType=\"end\"/></w:r>"
	     "<w:r>" FOOTER_RPR "<w:t xml:space=\"preserve\"> —</w:t></w:r>"
	     "</w:p></w:ftr>";

static const char app_xml[] =
    XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
	     "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
	     "<Application>fazhi</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
	     "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
	     "<HyperlinksChanged>false</HyperlinksChanged></Properties>";

static void put_document(struct docx *d, struct buf *b)
{
	put(d, b, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>");
	if (buf_append(b, d->body.p, d->body.len) < 0)
		d->failed = 1;
	if (d->open)
		put(d, b, "</w:p>");
	if (!d->any)
		put(d, b, "<w:p/>"); /* Word wants a paragraph before the sectPr */
	putf(d, b,
	     "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"" RID_FOOTER "\"/>"
	     "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
	     "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" w:header=\"%d\" w:footer=\"%d\" "
	     "w:gutter=\"0\"/>"
	     "<w:cols w:space=\"425\"/>"
	     "<w:docGrid w:type=\"lines\" w:linePitch=\"%d\"/>"
	     "</w:sectPr></w:body></w:document>",
	     PAGE_W, PAGE_H, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT, HEADER_DIST, FOOTER_DIST,
	     LINE_PITCH);
}

/* One paragraph style: based on Normal (except Normal itself), pPr markup, kind's rPr. */
static void put_style(struct docx *d, struct buf *b, enum kind k, const char *ppr)
{
	putf(d, b, "<w:style w:type=\"paragraph\"%s w:styleId=\"%s\"><w:name w:val=\"%s\"/>",
	     k == K_BODY ? " w:default=\"1\"" : "", kinds[k].id, kinds[k].name);
	if (k != K_BODY)
		put(d, b, "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>");
	put(d, b, "<w:qFormat/><w:pPr>");
	put(d, b, ppr);
	put(d, b, "</w:pPr>");
	put_rpr(d, b, k, 0);
	put(d, b, "</w:style>");
}

#define NO_INDENT "<w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/>"

static void put_styles(struct docx *d, struct buf *b)
{
	char normal[384];

	/* No extra space between Chinese and Latin letters or digits (Word and
	 * LibreOffice add a quarter em by default), so lines keep 28 characters. */
	snprintf(normal, sizeof(normal),
		 "<w:widowControl w:val=\"0\"/><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:spacing "
		 "w:before=\"0\" w:after=\"0\" w:line=\"%d\" "
		 "w:lineRule=\"exact\"/><w:ind w:firstLine=\"%d\" w:firstLineChars=\"200\"/><w:jc w:val=\"both\"/>",
		 LINE_PITCH, INDENT_2);
	put(d, b, XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>");
	put(d, b,
	    "<w:rFonts w:ascii=\"" FONT_LATIN "\" w:hAnsi=\"" FONT_LATIN
	    "\" w:eastAsia=\"仿宋_GB2312\" w:cs=\"" FONT_LATIN
	    "\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" "
	    "w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>");
	put_style(d, b, K_BODY, normal);
	put_style(d, b, K_TITLE, NO_INDENT "<w:jc w:val=\"center\"/>");
	put_style(d, b, K_SUBTITLE, NO_INDENT "<w:jc w:val=\"center\"/>");
	put_style(d, b, K_H1, "<w:keepNext/><w:outlineLvl w:val=\"0\"/>");
	put_style(d, b, K_H2, "<w:keepNext/><w:outlineLvl w:val=\"1\"/>");
	put_style(d, b, K_H3, "<w:keepNext/><w:outlineLvl w:val=\"2\"/>");
	put_style(d, b, K_SIGNATURE, NO_INDENT "<w:jc w:val=\"right\"/>");
	put(d, b,
	    "<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>"
	    "<w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/>" NO_INDENT
	    "<w:jc w:val=\"center\"/></w:pPr>" FOOTER_RPR "</w:style>"
	    "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
	    "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/>"
	    "</w:style></w:styles>");
}

static void put_core(struct docx *d, struct buf *b)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(now, sizeof(now), "1970-01-01T00:00:00Z");
	put(d, b,
	    XML_DECL "<cp:coreProperties "
		     "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
		     "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
		     "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
		     "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	put_escaped(d, b, d->title.p, d->title.len);
	putf(d, b,
	     "</dc:title><dc:creator>fazhi</dc:creator><cp:lastModifiedBy>fazhi</cp:lastModifiedBy>"
	     "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
	     "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified></cp:coreProperties>",
	     now, now);
}

/* ---- the package --------------------------------------------------------- */

struct part {
	const char *name;
	const char *data;
	size_t len;
};

/* Zip parts in order into a heap buffer. */
static int zip_parts(const struct part *parts, size_t n, char **out, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *za;
	zip_stat_t st;
	char *data = NULL;
	size_t i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src)
		goto fail;
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za) {
		zip_source_free(src);
		goto fail;
	}
	zip_source_keep(src); /* to read the archive back after zip_close */
	for (i = 0; i < n; i++) {
		s = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
		if (!s)
			break;
		if (zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(s);
			break;
		}
	}
	if (i < n || zip_close(za) < 0) {
		zip_discard(za);
		goto fail_src;
	}
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src) < 0)
		goto fail_src;
	data = malloc(st.size ? st.size : 1);
	if (!data || zip_source_read(src, data, st.size) != (zip_int64_t)st.size) {
		zip_source_close(src);
		goto fail_src;
	}
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*out = data;
	*len = st.size;
	return 0;

fail_src:
	zip_source_free(src);
fail:
	free(data);
	zip_error_fini(&ze);
	return -1;
}

int docx_render(struct docx *d, char **out, size_t *len)
{
	struct buf document, styles, core;
	int rc = -1;

	*out = NULL;
	*len = 0;
	if (d->failed)
		return -1;
	buf_init(&document, BUF_DEFAULT_MAX);
	buf_init(&styles, 0);
	buf_init(&core, 0);
	put_document(d, &document);
	put_styles(d, &styles);
	put_core(d, &core);
	if (!d->failed) {
		const struct part parts[] = {
			{ "[Content_Types].xml", content_types_xml, sizeof(content_types_xml) - 1 },
			{ "_rels/.rels", package_rels_xml, sizeof(package_rels_xml) - 1 },
			{ "word/document.xml", document.p, document.len },
			{ "word/_rels/document.xml.rels", document_rels_xml, sizeof(document_rels_xml) - 1 },
			{ "word/styles.xml", styles.p, styles.len },
			{ "word/settings.xml", settings_xml, sizeof(settings_xml) - 1 },
			{ "word/fontTable.xml", font_table_xml, sizeof(font_table_xml) - 1 },
			{ "word/footer1.xml", footer_xml, sizeof(footer_xml) - 1 },
			{ "docProps/core.xml", core.p, core.len },
			{ "docProps/app.xml", app_xml, sizeof(app_xml) - 1 },
		};

		rc = zip_parts(parts, sizeof(parts) / sizeof(parts[0]), out, len);
	}
	buf_release(&document);
	buf_release(&styles);
	buf_release(&core);
	return rc;
}
