/*
 * Unit tests for src/core/validate.c: resident IDs, USCCs, mobile numbers,
 * dates, division codes and masking, using the vectors of security.md 4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/validate.h"

/* A fixed "today" so the ID tests do not depend on the clock. */
#define TODAY 20261122

#define MSG_BUFFER "内部错误:缓冲区过小"
#define MSG_ID_EMPTY "身份证号码不能为空"
#define MSG_ID_LEN "身份证号码应为18位"
#define MSG_ID_CHARS "身份证号码只能由数字和末位的X组成"
#define MSG_ID_CHECK "身份证号码校验位不正确"
#define MSG_ID_PROVINCE "身份证号码的省级行政区划代码无效"
#define MSG_ID_DATE "身份证号码中的出生日期无效"
#define MSG_ID_EARLY "身份证号码中的出生日期早于1850年"
#define MSG_ID_FUTURE "身份证号码中的出生日期晚于今天"
#define MSG_USCC_EMPTY "统一社会信用代码不能为空"
#define MSG_USCC_LEN "统一社会信用代码应为18位"
#define MSG_USCC_CHARS "统一社会信用代码含有无效字符(不使用I、O、S、V、Z)"
#define MSG_USCC_REGION "统一社会信用代码第3至8位应为数字"
#define MSG_USCC_CHECK "统一社会信用代码校验位不正确"
#define MSG_MOBILE_EMPTY "手机号码不能为空"
#define MSG_MOBILE "手机号码应为11位数字且以13-19开头"
#define MSG_DATE_EMPTY "日期不能为空"
#define MSG_DATE_FORMAT "日期格式应为YYYY-MM-DD"
#define MSG_DATE_YEAR "日期的年份应在1900至2200之间"
#define MSG_DATE_MISSING "日期不存在"
#define MSG_DIV_EMPTY "行政区划代码不能为空"
#define MSG_DIV_FORMAT "行政区划代码应为6、9或12位数字"
#define MSG_DIV_PROVINCE "行政区划代码的省级代码无效"

/* Pre-fill for output buffers, so a test sees what was (not) written. */
#define JUNK "JUNKJUNKJUNKJUNKJUNKJUNK"

/* ---- helpers ------------------------------------------------------------ */

static void id_ok(const char *in, int today, const char *want)
{
	char out[32] = JUNK;
	const char *msg = "unset";

	assert_int_equal(validate_resident_id(in, today, out, sizeof(out), &msg), 0);
	assert_string_equal(out, want);
	assert_null(msg);
}

static void id_bad(const char *in, int today, const char *want_msg)
{
	char out[32] = JUNK;
	const char *msg = NULL;

	assert_int_equal(validate_resident_id(in, today, out, sizeof(out), &msg), -1);
	assert_non_null(msg);
	assert_string_equal(msg, want_msg);
	assert_string_equal(out, "");
}

static void uscc_ok(const char *in, const char *want)
{
	char out[32] = JUNK;
	const char *msg = "unset";

	assert_int_equal(validate_uscc(in, out, sizeof(out), &msg), 0);
	assert_string_equal(out, want);
	assert_null(msg);
}

static void uscc_bad(const char *in, const char *want_msg)
{
	char out[32] = JUNK;
	const char *msg = NULL;

	assert_int_equal(validate_uscc(in, out, sizeof(out), &msg), -1);
	assert_non_null(msg);
	assert_string_equal(msg, want_msg);
	assert_string_equal(out, "");
}

static void mobile_ok(const char *in, const char *want)
{
	char out[32] = JUNK;
	const char *msg = "unset";

	assert_int_equal(validate_mobile(in, out, sizeof(out), &msg), 0);
	assert_string_equal(out, want);
	assert_null(msg);
}

static void mobile_bad(const char *in, const char *want_msg)
{
	char out[32] = JUNK;
	const char *msg = NULL;

	assert_int_equal(validate_mobile(in, out, sizeof(out), &msg), -1);
	assert_non_null(msg);
	assert_string_equal(msg, want_msg);
	assert_string_equal(out, "");
}

static void date_ok(const char *in, const char *want)
{
	char out[32] = JUNK;
	const char *msg = "unset";

	assert_int_equal(validate_date(in, out, sizeof(out), &msg), 0);
	assert_string_equal(out, want);
	assert_null(msg);
}

static void date_bad(const char *in, const char *want_msg)
{
	char out[32] = JUNK;
	const char *msg = NULL;

	assert_int_equal(validate_date(in, out, sizeof(out), &msg), -1);
	assert_non_null(msg);
	assert_string_equal(msg, want_msg);
	assert_string_equal(out, "");
}

static void division_ok(const char *in, const char *want)
{
	char out[32] = JUNK;
	const char *msg = "unset";

	assert_int_equal(validate_division_code(in, out, sizeof(out), &msg), 0);
	assert_string_equal(out, want);
	assert_null(msg);
}

static void division_bad(const char *in, const char *want_msg)
{
	char out[32] = JUNK;
	const char *msg = NULL;

	assert_int_equal(validate_division_code(in, out, sizeof(out), &msg), -1);
	assert_non_null(msg);
	assert_string_equal(msg, want_msg);
	assert_string_equal(out, "");
}

static void masked_id(const char *in, size_t outlen, const char *want)
{
	char out[64] = JUNK JUNK;

	assert_true(outlen <= sizeof(out));
	mask_resident_id(in, out, outlen);
	assert_string_equal(out, want);
}

static void masked_mobile(const char *in, size_t outlen, const char *want)
{
	char out[64] = JUNK JUNK;

	assert_true(outlen <= sizeof(out));
	mask_mobile(in, out, outlen);
	assert_string_equal(out, want);
}

/* ---- resident ID -------------------------------------------------------- */

static void test_id_standard_examples(void **state)
{
	(void)state;
	id_ok("11010519491231002X", TODAY, "11010519491231002X");
	id_ok("440524188001010014", TODAY, "440524188001010014");
}

static void test_id_impossible_birth_dates(void **state)
{
	(void)state;
	id_bad("110105194902300020", TODAY, MSG_ID_DATE);
	id_bad("110105190002290017", TODAY, MSG_ID_DATE);
	id_bad("110105202302290014", TODAY, MSG_ID_DATE);
}

static void test_id_leap_days(void **state)
{
	(void)state;
	id_ok("110105200002290013", TODAY, "110105200002290013");
	id_ok("110105202402290011", TODAY, "110105202402290011");
}

static void test_id_province(void **state)
{
	(void)state;
	id_bad("000000194912310027", TODAY, MSG_ID_PROVINCE);
	id_bad("990105199001010014", TODAY, MSG_ID_PROVINCE);
	id_ok("710000199001010015", TODAY, "710000199001010015");
	id_ok("830000199001010012", TODAY, "830000199001010012");
}

static void test_id_abolished_county_accepted(void **state)
{
	(void)state;
	id_ok("110103198001010013", TODAY, "110103198001010013");
}

static void test_id_lower_case_x(void **state)
{
	(void)state;
	id_ok("11010519491231002x", TODAY, "11010519491231002X");
}

static void test_id_full_width(void **state)
{
	(void)state;
	/* Full-width digits and a full-width lower-case x. */
	id_ok("\xef\xbc\x91\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x95"
	      "\xef\xbc\x91\xef\xbc\x99\xef\xbc\x94\xef\xbc\x99\xef\xbc\x91\xef\xbc\x92"
	      "\xef\xbc\x93\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbc\x92\xef\xbd\x98",
	      TODAY, "11010519491231002X");
	/* Full-width upper-case X, mixed with half-width digits. */
	id_ok("11010519491231002\xef\xbc\xb8", TODAY, "11010519491231002X");
}

static void test_id_trimmed(void **state)
{
	(void)state;
	id_ok("  11010519491231002X  ", TODAY, "11010519491231002X");
	/* Ideographic spaces (U+3000) on both sides, and a trailing newline. */
	id_ok("\xe3\x80\x80" "11010519491231002X" "\xe3\x80\x80\n", TODAY,
	      "11010519491231002X");
	/* Spaces inside the number are not removed. */
	id_bad("110105 19491231002X", TODAY, MSG_ID_LEN);
}

static void test_id_birth_after_today(void **state)
{
	(void)state;
	id_bad("110105202001020010", 20200101, MSG_ID_FUTURE);
	id_ok("110105202001010015", 20200101, "110105202001010015");
	id_ok("110105201912310014", 20200101, "110105201912310014");
}

static void test_id_today_zero_uses_clock(void **state)
{
	(void)state;
	id_ok("11010519491231002X", 0, "11010519491231002X");
	id_bad("110105210001010015", 0, MSG_ID_FUTURE);
}

static void test_id_before_1850(void **state)
{
	(void)state;
	id_bad("110105184912310012", TODAY, MSG_ID_EARLY);
	id_ok("110105185001010013", TODAY, "110105185001010013");
}

static void test_id_wrong_check_character(void **state)
{
	(void)state;
	id_bad("110105194912310021", TODAY, MSG_ID_CHECK);
	id_bad("440524188001010015", TODAY, MSG_ID_CHECK);
	id_bad("440524188001010011", TODAY, MSG_ID_CHECK);
	id_bad("44052418800101001X", TODAY, MSG_ID_CHECK);
}

static void test_id_length(void **state)
{
	(void)state;
	id_bad("11010519491231002", TODAY, MSG_ID_LEN);
	id_bad("11010519491231002X0", TODAY, MSG_ID_LEN);
	id_bad("110105491231002", TODAY, MSG_ID_LEN);
	id_bad("11010519491231002X11010519491231002X11010519491231002X", TODAY, MSG_ID_LEN);
	id_bad("", TODAY, MSG_ID_EMPTY);
	id_bad("   ", TODAY, MSG_ID_EMPTY);
	id_bad(NULL, TODAY, MSG_ID_EMPTY);
}

static void test_id_bad_characters(void **state)
{
	(void)state;
	id_bad("1101051949123100XX", TODAY, MSG_ID_CHARS);
	id_bad("11010519491231002Y", TODAY, MSG_ID_CHARS);
	id_bad("1101051949-231002X", TODAY, MSG_ID_CHARS);
	/* A Chinese character counts as one character, not three bytes. */
	id_bad("11010519491231002\xe5\x8f\xb7", TODAY, MSG_ID_CHARS);
	/* Malformed UTF-8 is rejected, not decoded. */
	id_bad("11010519491231002\xff", TODAY, MSG_ID_CHARS);
	id_bad("11010519491231002\xe5\x8f", TODAY, MSG_ID_LEN);
}

static void test_id_buffer_and_null_arguments(void **state)
{
	char small[18] = "JUNKJUNKJUNKJUNK";
	char exact[19];
	const char *msg = NULL;

	(void)state;
	assert_int_equal(validate_resident_id("11010519491231002X", TODAY, small,
					      sizeof(small), &msg), -1);
	assert_string_equal(msg, MSG_BUFFER);
	assert_string_equal(small, "");

	assert_int_equal(validate_resident_id("11010519491231002X", TODAY, exact,
					      sizeof(exact), NULL), 0);
	assert_string_equal(exact, "11010519491231002X");

	/* out == NULL: validate only; outlen is then ignored. */
	assert_int_equal(validate_resident_id("11010519491231002X", TODAY, NULL, 0, &msg), 0);
	assert_null(msg);
	assert_int_equal(validate_resident_id("11010519491231002Y", TODAY, NULL, 0, NULL), -1);
}

/* ---- unified social credit code ----------------------------------------- */

static void test_uscc_valid(void **state)
{
	(void)state;
	uscc_ok("91350100M000100Y43", "91350100M000100Y43");
	uscc_ok("91110000600037341L", "91110000600037341L");
	/* Weighted sum divisible by 31: C18 = 31 is written as 0. */
	uscc_ok("121000004000003980", "121000004000003980");
}

static void test_uscc_normalised(void **state)
{
	(void)state;
	uscc_ok("91350100m000100y43", "91350100M000100Y43");
	uscc_ok(" 91350100M000100Y43\xe3\x80\x80", "91350100M000100Y43");
	/* Full-width M (U+FF2D). */
	uscc_ok("91350100\xef\xbc\xad" "000100Y43", "91350100M000100Y43");
}

static void test_uscc_check_character(void **state)
{
	(void)state;
	uscc_bad("91350100M000100Y44", MSG_USCC_CHECK);
	uscc_bad("91350100M000100Y40", MSG_USCC_CHECK);
	uscc_bad("91350100M000100Y4A", MSG_USCC_CHECK);
	uscc_bad("121000004000003981", MSG_USCC_CHECK);
}

static void test_uscc_character_set(void **state)
{
	(void)state;
	uscc_bad("91350100I000100Y43", MSG_USCC_CHARS);
	uscc_bad("91350100O000100Y43", MSG_USCC_CHARS);
	uscc_bad("91350100S000100Y43", MSG_USCC_CHARS);
	uscc_bad("91350100V000100Y43", MSG_USCC_CHARS);
	uscc_bad("91350100Z000100Y43", MSG_USCC_CHARS);
	uscc_bad("91350100M000100Y4-", MSG_USCC_CHARS);
	uscc_bad("91350100M000100Y4\xe5\x8f\xb7", MSG_USCC_CHARS);
}

static void test_uscc_region_digits(void **state)
{
	(void)state;
	uscc_bad("91A50100M000100Y43", MSG_USCC_REGION);
}

static void test_uscc_length_and_buffer(void **state)
{
	char small[18];
	const char *msg = NULL;

	(void)state;
	uscc_bad("91350100M000100Y4", MSG_USCC_LEN);
	uscc_bad("91350100M000100Y430", MSG_USCC_LEN);
	uscc_bad("", MSG_USCC_EMPTY);
	uscc_bad(NULL, MSG_USCC_EMPTY);
	assert_int_equal(validate_uscc("91350100M000100Y43", small, sizeof(small), &msg), -1);
	assert_string_equal(msg, MSG_BUFFER);
	assert_int_equal(validate_uscc("91350100M000100Y43", NULL, 0, NULL), 0);
}

/* ---- mobile ------------------------------------------------------------- */

static void test_mobile_valid_forms(void **state)
{
	(void)state;
	mobile_ok("13800138000", "13800138000");
	mobile_ok("+86 138 0013 8000", "13800138000");
	mobile_ok("+86-138-0013-8000", "13800138000");
	mobile_ok("0086 13800138000", "13800138000");
	mobile_ok("8613800138000", "13800138000");
	mobile_ok("138-0013-8000", "13800138000");
	mobile_ok(" 19912345678 ", "19912345678");
	mobile_ok("\xef\xbc\x91\xef\xbc\x93\xef\xbc\x98\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91"
		  "\xef\xbc\x93\xef\xbc\x98\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90",
		  "13800138000");
}

static void test_mobile_rejected(void **state)
{
	(void)state;
	mobile_bad("12345678901", MSG_MOBILE);
	mobile_bad("1380013800", MSG_MOBILE);
	mobile_bad("138001380001", MSG_MOBILE);
	mobile_bad("10800138000", MSG_MOBILE);
	mobile_bad("23800138000", MSG_MOBILE);
	mobile_bad("1380013800a", MSG_MOBILE);
	mobile_bad("+8612345678901", MSG_MOBILE);
	mobile_bad("+1 138 0013 8000", MSG_MOBILE);
	mobile_bad("(138)00138000", MSG_MOBILE);
	mobile_bad("+86", MSG_MOBILE);
	mobile_bad("1380013800012345678901234567890123456789", MSG_MOBILE);
	mobile_bad("", MSG_MOBILE_EMPTY);
	mobile_bad(" - ", MSG_MOBILE_EMPTY);
	mobile_bad(NULL, MSG_MOBILE_EMPTY);
}

static void test_mobile_buffer(void **state)
{
	char small[11];
	char exact[12];
	const char *msg = NULL;

	(void)state;
	assert_int_equal(validate_mobile("13800138000", small, sizeof(small), &msg), -1);
	assert_string_equal(msg, MSG_BUFFER);
	assert_int_equal(validate_mobile("13800138000", exact, sizeof(exact), &msg), 0);
	assert_string_equal(exact, "13800138000");
}

/* ---- dates -------------------------------------------------------------- */

static void test_date_valid(void **state)
{
	(void)state;
	date_ok("2024-02-29", "2024-02-29");
	date_ok("2000-02-29", "2000-02-29");
	date_ok("1900-01-01", "1900-01-01");
	date_ok("2200-12-31", "2200-12-31");
	date_ok(" 2021-04-30 ", "2021-04-30");
	date_ok("\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94\xef\xbc\x8d\xef\xbc\x90"
		"\xef\xbc\x92\xef\xbc\x8d\xef\xbc\x92\xef\xbc\x99", "2024-02-29");
}

static void test_date_rejected(void **state)
{
	(void)state;
	date_bad("2023-02-29", MSG_DATE_MISSING);
	date_bad("1900-02-29", MSG_DATE_MISSING);
	date_bad("2021-13-01", MSG_DATE_MISSING);
	date_bad("2021-00-10", MSG_DATE_MISSING);
	date_bad("2021-04-31", MSG_DATE_MISSING);
	date_bad("2021-01-00", MSG_DATE_MISSING);
	date_bad("2021-1-1", MSG_DATE_FORMAT);
	date_bad("2021/01/01", MSG_DATE_FORMAT);
	date_bad("20210101", MSG_DATE_FORMAT);
	date_bad("2021-01-01T00:00", MSG_DATE_FORMAT);
	date_bad("2021-01-0a", MSG_DATE_FORMAT);
	date_bad("1899-12-31", MSG_DATE_YEAR);
	date_bad("2201-01-01", MSG_DATE_YEAR);
	date_bad("", MSG_DATE_EMPTY);
	date_bad(NULL, MSG_DATE_EMPTY);
}

static void test_date_buffer(void **state)
{
	char small[10];
	const char *msg = NULL;

	(void)state;
	assert_int_equal(validate_date("2024-02-29", small, sizeof(small), &msg), -1);
	assert_string_equal(msg, MSG_BUFFER);
}

static void test_date_is_valid(void **state)
{
	(void)state;
	assert_true(date_is_valid(2000, 2, 29));
	assert_true(date_is_valid(2024, 2, 29));
	assert_true(date_is_valid(2021, 12, 31));
	assert_true(date_is_valid(2021, 1, 31));
	assert_false(date_is_valid(1900, 2, 29));
	assert_false(date_is_valid(2023, 2, 29));
	assert_false(date_is_valid(2021, 13, 1));
	assert_false(date_is_valid(2021, 0, 1));
	assert_false(date_is_valid(2021, 1, 0));
	assert_false(date_is_valid(2021, 4, 31));
	assert_false(date_is_valid(2021, 1, 32));
	assert_false(date_is_valid(0, 1, 1));
	assert_false(date_is_valid(-1, 1, 1));
}

/* ---- division codes ----------------------------------------------------- */

static void test_division_valid(void **state)
{
	(void)state;
	division_ok("330421", "330421");
	division_ok("330421103", "330421103");
	division_ok("330421103001", "330421103001");
	division_ok(" 110000 ", "110000");
	division_ok("710000", "710000");
	division_ok("810000", "810000");
	division_ok("820000", "820000");
}

static void test_division_rejected(void **state)
{
	(void)state;
	division_bad("33042", MSG_DIV_FORMAT);
	division_bad("3304211", MSG_DIV_FORMAT);
	division_bad("3304211030011", MSG_DIV_FORMAT);
	division_bad("33042a", MSG_DIV_FORMAT);
	division_bad("330 421", MSG_DIV_FORMAT);
	division_bad("990421", MSG_DIV_PROVINCE);
	division_bad("000000", MSG_DIV_PROVINCE);
	division_bad("830000", MSG_DIV_PROVINCE);
	division_bad("", MSG_DIV_EMPTY);
	division_bad(NULL, MSG_DIV_EMPTY);
}

static void test_division_buffer(void **state)
{
	char small[12];
	const char *msg = NULL;

	(void)state;
	/* The contract asks for 13 bytes even when the code is shorter. */
	assert_int_equal(validate_division_code("330421", small, sizeof(small), &msg), -1);
	assert_string_equal(msg, MSG_BUFFER);
}

/* ---- masking ------------------------------------------------------------ */

static void test_mask_resident_id(void **state)
{
	(void)state;
	masked_id("330421199001011234", 19, "330421********1234");
	masked_id("11010519491231002X", 64, "110105********002X");
	masked_id("11010519491231002x", 19, "110105********002X");
	masked_id(" 11010519491231002X ", 19, "110105********002X");
}

static void test_mask_resident_id_malformed(void **state)
{
	(void)state;
	masked_id("12345", 19, "*****");
	masked_id("1101051949123100", 19, "****************");
	masked_id("11010519491231002Y", 19, "******************");
	masked_id("", 19, "");
	masked_id(NULL, 19, "");
	/* Longer than the buffer: stars up to the buffer, never the value. */
	masked_id("110105194912310021101051949123100", 19, "******************");
	/* A well-formed ID in a short buffer is masked completely. */
	masked_id("11010519491231002X", 10, "*********");
	masked_id("11010519491231002X", 1, "");
}

static void test_mask_mobile(void **state)
{
	(void)state;
	masked_mobile("13800138000", 12, "138****8000");
	masked_mobile("+86 138 0013 8000", 12, "138****8000");
	masked_mobile("12345", 12, "*****");
	masked_mobile("12345678901", 12, "***********");
	masked_mobile("138001380001", 12, "***********");
	masked_mobile("", 12, "");
	masked_mobile(NULL, 12, "");
	masked_mobile("13800138000", 6, "*****");
}

static void test_mask_zero_length_buffer(void **state)
{
	char out[4] = "abc";

	(void)state;
	mask_resident_id("11010519491231002X", out, 0);
	assert_string_equal(out, "abc");
	mask_mobile("13800138000", out, 0);
	assert_string_equal(out, "abc");
	mask_resident_id("11010519491231002X", NULL, 19);
	mask_mobile("13800138000", NULL, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_standard_examples),
		cmocka_unit_test(test_id_impossible_birth_dates),
		cmocka_unit_test(test_id_leap_days),
		cmocka_unit_test(test_id_province),
		cmocka_unit_test(test_id_abolished_county_accepted),
		cmocka_unit_test(test_id_lower_case_x),
		cmocka_unit_test(test_id_full_width),
		cmocka_unit_test(test_id_trimmed),
		cmocka_unit_test(test_id_birth_after_today),
		cmocka_unit_test(test_id_today_zero_uses_clock),
		cmocka_unit_test(test_id_before_1850),
		cmocka_unit_test(test_id_wrong_check_character),
		cmocka_unit_test(test_id_length),
		cmocka_unit_test(test_id_bad_characters),
		cmocka_unit_test(test_id_buffer_and_null_arguments),
		cmocka_unit_test(test_uscc_valid),
		cmocka_unit_test(test_uscc_normalised),
		cmocka_unit_test(test_uscc_check_character),
		cmocka_unit_test(test_uscc_character_set),
		cmocka_unit_test(test_uscc_region_digits),
		cmocka_unit_test(test_uscc_length_and_buffer),
		cmocka_unit_test(test_mobile_valid_forms),
		cmocka_unit_test(test_mobile_rejected),
		cmocka_unit_test(test_mobile_buffer),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_date_rejected),
		cmocka_unit_test(test_date_buffer),
		cmocka_unit_test(test_date_is_valid),
		cmocka_unit_test(test_division_valid),
		cmocka_unit_test(test_division_rejected),
		cmocka_unit_test(test_division_buffer),
		cmocka_unit_test(test_mask_resident_id),
		cmocka_unit_test(test_mask_resident_id_malformed),
		cmocka_unit_test(test_mask_mobile),
		cmocka_unit_test(test_mask_zero_length_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
