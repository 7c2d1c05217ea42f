/*
 * Personal data at rest (等保 level 3, 密评 8.4 e): field encryption with
 * SM4-CTR + HMAC-SM3 (encrypt-then-MAC; OpenSSL 3.0 has no SM4-GCM), and an
 * HMAC-SM3 blind index for exact-match search. Keys derive from one 256-bit
 * master key kept in a file beside the database (mode 0600), never in it.
 *
 * Sealed text format: "s1:" + hex(iv[16] || ciphertext || tag[32]); the tag
 * covers "s1" || iv || ciphertext. The version prefix lets a later key or
 * algorithm (SM4-GCM, a 密码机 through SDF) coexist with old rows.
 */
#ifndef FAZHI_CORE_PII_H
#define FAZHI_CORE_PII_H

#include <stddef.h>

struct arena;

/* Load the master key from path; when create is set and the file does not
 * exist, make a new random key there (mode 0600). -1 with a Chinese err. */
int pii_load_key(const char *path, int create, char *err, size_t errlen);

/* True once a key is loaded. */
int pii_ready(void);

/* Encrypt plain (NUL-terminated) into an arena string; NULL if no key. */
char *pii_seal(struct arena *a, const char *plain);

/* Decrypt; NULL when the text was altered, the key is wrong or absent. */
char *pii_open(struct arena *a, const char *sealed);

/* Blind index: hex HMAC-SM3 of the normalised value under the index key. */
char *pii_blind_index(struct arena *a, const char *value);

/* Forget the key (tests, shutdown). */
void pii_forget_key(void);

#endif
