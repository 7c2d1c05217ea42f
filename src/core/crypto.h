/*
 * Cryptography used by fazhi, behind one small interface so a certified
 * provider (密码机 via the SDF API) can replace OpenSSL later:
 *   - SM3 (GB/T 32905) for the audit hash chain and token hashes;
 *   - argon2id (libsodium) for password verifiers;
 *   - a CSPRNG for session tokens and generated passwords.
 */
#ifndef FAZHI_CORE_CRYPTO_H
#define FAZHI_CORE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define SM3_LEN 32
#define SM3_HEX_LEN 64
#define PASSWORD_HASH_MAX 128

/* Call once at start-up (libsodium init). -1 if the library cannot start. */
int crypto_setup(void);

/* Incremental SM3. */
struct sm3_ctx;
struct sm3_ctx *sm3_new(void);
void sm3_update(struct sm3_ctx *c, const void *data, size_t n);
/* Finish into out[SM3_LEN] and free the context. */
void sm3_final(struct sm3_ctx *c, unsigned char out[SM3_LEN]);
/* One-shot SM3. */
void sm3(const void *data, size_t n, unsigned char out[SM3_LEN]);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void hex_encode(const unsigned char *in, size_t n, char *out);

/* n random bytes from the OS CSPRNG. */
void random_bytes(void *out, size_t n);

/* 256-bit random token, hex encoded into out[65]. */
void random_token_hex(char out[65]);

/*
 * A random password of `len` characters (len >= 12) with upper, lower,
 * digits and symbols, avoiding look-alike characters. out has len+1 bytes.
 */
void random_password(char *out, size_t len);

/* argon2id verifier string into out[PASSWORD_HASH_MAX]. -1 on failure. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* 0 when password matches the verifier, -1 otherwise. */
int password_verify(const char *verifier, const char *password);
/* Verifier parameters: tests may lower them through FAZHI_ARGON2_FAST=1. */
void password_set_fast(int fast);

#endif
