/*
 * Word documents (.docx) in the Chinese official-document layout (公文,
 * GB/T 9704-2012): A4, margins 37/35/28/26 mm, 仿宋_GB2312 三号 body on an
 * exact 28.95 pt line (22 lines of 28 characters), 方正小标宋简体 二号 title,
 * 黑体 / 楷体_GB2312 / bold 仿宋_GB2312 headings, "— N —" page numbers.
 *
 * A tiny document model: calls append blocks in order, docx_render zips the
 * WordprocessingML parts (all generated here, no template) into memory with
 * libzip. Text is UTF-8; it is XML-escaped, control characters other than tab
 * and newline are dropped and invalid UTF-8 becomes U+FFFD. A newline starts a
 * new paragraph in body text and the signature, and is a line break (<w:br/>)
 * inside a title, subtitle or heading. A tab is a <w:tab/>.
 *
 * The builders never fail visibly: out of memory aborts (as buf.h does), and a
 * document that outgrows BUF_DEFAULT_MAX makes docx_render return -1.
 */
#ifndef FAZHI_REPORT_DOCX_H
#define FAZHI_REPORT_DOCX_H

#include <stddef.h>

/* A document being built; owns its memory. */
struct docx;

struct docx *docx_new(void);
void docx_free(struct docx *d);

/* 标题: 方正小标宋简体 (fallback 宋体) 二号, centred. The first title is also dc:title. */
void docx_title(struct docx *d, const char *text);

/* Under the title (issuing org, date): 楷体_GB2312 三号, centred. The
 * title block is followed by one empty line before the next block. */
void docx_subtitle(struct docx *d, const char *text);

/* level 1: 黑体 三号 ("一、"); 2: 楷体_GB2312 三号 ("(一)"); 3: 仿宋_GB2312 三号
 * bold ("1."); first-line indent 2 characters, Word outline levels 1-3. The
 * numbering is part of text. Other levels are clamped to 1..3. */
void docx_heading(struct docx *d, int level, const char *text);

/* Start a body paragraph: 仿宋_GB2312 三号, first-line indent 2 characters, justified. */
void docx_paragraph(struct docx *d);

/* Append a run of body text to the current paragraph (starting one if a
 * title, heading or signature came last). */
void docx_text(struct docx *d, const char *text);

/* The same, highlighted yellow: a figure without data, "【缺数据:行政复议收案数】". */
void docx_text_marked(struct docx *d, const char *text);

/* After one empty line, org and date right-aligned as GB/T 9704 7.3.5.2 has
 * them: org 2 characters from the right margin, date under it starting 2
 * characters further right (or org moved left when the date is longer).
 * Either may be NULL. */
void docx_signature(struct docx *d, const char *org, const char *date);

/* Render to a heap buffer (caller frees with free()); the document is left
 * as it was and may be extended and rendered again. 0, or -1 (document too
 * large, or libzip failed). */
int docx_render(struct docx *d, char **out, size_t *len);

#endif
