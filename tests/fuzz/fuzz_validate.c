/*
 * Fuzz target: the identifier validators of src/core/validate.h and the date
 * parser of src/core/calendar.h, on any NUL-terminated input. Each output
 * buffer is exactly the documented minimum size, so an overflow by one byte
 * is an AddressSanitizer report. Properties checked: a rejection names a
 * Chinese message, an acceptance writes a normalised value that is itself
 * accepted unchanged, masks never reveal more than they should.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/validate.h"

#define CHECK(c) ((c) ? (void)0 : abort())

static void idempotent(int (*fn)(const char *, char *, size_t, const char **), const char *in, size_t outlen)
{
	char *out = malloc(outlen), *again = malloc(outlen);
	const char *msg = NULL;

	if (fn(in, out, outlen, &msg) == 0) {
		CHECK(memchr(out, '\0', outlen));
		CHECK(fn(out, again, outlen, NULL) == 0);
		CHECK(!strcmp(out, again));
	} else {
		CHECK(msg && *msg);
	}
	free(out);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	char *out = malloc(19), *again = malloc(19), *mask = malloc(19), *pmask = malloc(12);
	const char *msg = NULL;
	int d;

	memcpy(in, data, size);
	in[size] = '\0';

	if (validate_resident_id(in, 20261122, out, 19, &msg) == 0) {
		CHECK(strlen(out) == 18);
		CHECK(validate_resident_id(out, 20261122, again, 19, NULL) == 0 && !strcmp(out, again));
		mask_resident_id(out, mask, 19);
		CHECK(strlen(mask) == 18 && !memcmp(mask, out, 6) && !memcmp(mask + 14, out + 14, 4));
	} else {
		CHECK(msg && *msg);
	}
	mask_resident_id(in, mask, 19);
	CHECK(memchr(mask, '\0', 19));
	idempotent(validate_uscc, in, 19);
	idempotent(validate_mobile, in, 12);
	idempotent(validate_date, in, 11);
	idempotent(validate_division_code, in, 13);
	if (validate_mobile(in, out, 12, NULL) == 0) {
		mask_mobile(out, pmask, 12);
		CHECK(strlen(pmask) == 11);
	}
	mask_mobile(in, pmask, 12);
	CHECK(memchr(pmask, '\0', 12));

	if (date_parse(in, &d) == 0) {
		char s[11];

		CHECK(date_valid(d));
		date_format(d, s);
		CHECK(date_parse(s, &d) == 0);
		CHECK(date_add_days(d, 0) == d);
	}
	free(in);
	free(out);
	free(again);
	free(mask);
	free(pmask);
	return 0;
}
