/* OpenSSL (SM3) and libsodium (argon2id, randomness) behind crypto.h. */
#include "crypto.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static int fast_hash;

struct sm3_ctx {
	EVP_MD_CTX *md;
};

int crypto_setup(void)
{
	const EVP_MD *md;

	if (sodium_init() < 0)
		return -1;
	md = EVP_sm3();
	return md ? 0 : -1;
}

struct sm3_ctx *sm3_new(void)
{
	struct sm3_ctx *c = malloc(sizeof(*c));

	if (!c)
		abort();
	c->md = EVP_MD_CTX_new();
	if (!c->md || !EVP_DigestInit_ex(c->md, EVP_sm3(), NULL)) {
		fputs("fazhi: SM3 unavailable in OpenSSL\n", stderr);
		abort();
	}
	return c;
}

void sm3_update(struct sm3_ctx *c, const void *data, size_t n)
{
	EVP_DigestUpdate(c->md, data, n);
}

void sm3_final(struct sm3_ctx *c, unsigned char out[SM3_LEN])
{
	unsigned int len = SM3_LEN;

	EVP_DigestFinal_ex(c->md, out, &len);
	EVP_MD_CTX_free(c->md);
	free(c);
}

void sm3(const void *data, size_t n, unsigned char out[SM3_LEN])
{
	struct sm3_ctx *c = sm3_new();

	sm3_update(c, data, n);
	sm3_final(c, out);
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void random_bytes(void *out, size_t n)
{
	randombytes_buf(out, n);
}

void random_token_hex(char out[65])
{
	unsigned char raw[32];

	random_bytes(raw, sizeof(raw));
	hex_encode(raw, sizeof(raw), out);
	sodium_memzero(raw, sizeof(raw));
}

void random_password(char *out, size_t len)
{
	static const char *const classes[] = {
		"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=!?",
	};
	size_t i, c;

	for (i = 0; i < len; i++) {
		/* The first four characters cover every class; the rest are drawn
		 * from a random class, then the whole string is shuffled. */
		c = i < 4 ? i : randombytes_uniform(4);
		out[i] = classes[c][randombytes_uniform((uint32_t)strlen(classes[c]))];
	}
	for (i = len - 1; i > 0; i--) {
		size_t j = randombytes_uniform((uint32_t)i + 1);
		char t = out[i];

		out[i] = out[j];
		out[j] = t;
	}
	out[len] = '\0';
}

void password_set_fast(int fast)
{
	fast_hash = fast;
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	unsigned long long ops = fast_hash ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = fast_hash ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;

	if (crypto_pwhash_STRBYTES > PASSWORD_HASH_MAX)
		return -1;
	return crypto_pwhash_str_alg(out, password, strlen(password), ops, mem,
				     crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int password_verify(const char *verifier, const char *password)
{
	return crypto_pwhash_str_verify(verifier, password, strlen(password)) == 0 ? 0 : -1;
}
