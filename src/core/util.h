/*
 * Small macros and helpers shared by every layer: array sizes, branch hints,
 * checked string-to-number conversion. No business knowledge, no I/O.
 */
#ifndef FAZHI_CORE_UTIL_H
#define FAZHI_CORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED(x) ((void)(x))

/*
 * Parse a decimal integer occupying the whole of s[0..len). Returns 0 and
 * stores the value, or -1 on empty input, junk, or overflow.
 */
int parse_int64(const char *s, size_t len, int64_t *out);

/* Same as parse_int64 but for a NUL-terminated string. */
int parse_int64_cstr(const char *s, int64_t *out);

/* Constant-time comparison of two equal-length byte strings (0 = equal). */
int ct_memcmp(const void *a, const void *b, size_t n);

/* Wipe memory that held a secret (password, key, token). */
void secure_wipe(void *p, size_t n);

/* Copy a C string into a fixed buffer, always terminating; returns -1 if cut. */
int str_copy(char *dst, size_t dstlen, const char *src);

#endif
