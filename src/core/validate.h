/*
 * Validators for the identifiers and values people type into fazhi: resident
 * ID numbers (GB 11643), unified social credit codes (GB 32100), mainland
 * mobile numbers, calendar dates and GB/T 2260 division codes.
 *
 * Every validator takes a NUL-terminated input, writes the normalised form
 * into `out` (when out is not NULL; outlen must be at least 19 bytes for IDs
 * and USCCs, 12 for phones, 11 for dates, 13 for division codes) and returns
 * 0 when the value is acceptable. On rejection it returns -1 and points *msg
 * at a static Chinese sentence that says exactly what is wrong (never the
 * value itself, so it is safe to log). msg may be NULL.
 */
#ifndef FAZHI_CORE_VALIDATE_H
#define FAZHI_CORE_VALIDATE_H

#include <stddef.h>

/*
 * 18-digit resident ID. Normalises (trims ASCII and full-width spaces,
 * full-width digits/X to half-width, x to X), then checks length, digits,
 * the MOD 11-2 check character, the province prefix, and that the birth date
 * is a real Gregorian date not after `today` (YYYYMMDD as an int, e.g.
 * 20261122; pass 0 to use the current date) and not before 1850-01-01.
 * Unknown 6-digit address codes are accepted (numbers are never reissued).
 */
int validate_resident_id(const char *in, int today, char *out, size_t outlen, const char **msg);

/* Unified social credit code: character set without I O S V Z, check character. */
int validate_uscc(const char *in, char *out, size_t outlen, const char **msg);

/* Mainland mobile: strips spaces, '-', +86/0086/86 prefix; then ^1[3-9]\d{9}$. */
int validate_mobile(const char *in, char *out, size_t outlen, const char **msg);

/* Calendar date YYYY-MM-DD (years 1900..2200), a real Gregorian date. */
int validate_date(const char *in, char *out, size_t outlen, const char **msg);

/*
 * Division code: 6 digits (GB/T 2260 county level, e.g. 330421), or 9 digits
 * (township level, e.g. 330421103) or 12 digits (village level), with a
 * known province prefix. Format only; existence is not checked here.
 */
int validate_division_code(const char *in, char *out, size_t outlen, const char **msg);

/* Masking for display: 330421********1234 and 138****8000. out >= 19/12 bytes. */
void mask_resident_id(const char *id, char *out, size_t outlen);
void mask_mobile(const char *phone, char *out, size_t outlen);

/* True for a valid "today"-style date int YYYYMMDD; helper shared with the calendar. */
int date_is_valid(int year, int month, int day);

#endif
