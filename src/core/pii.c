/* Field encryption for personal data; see pii.h. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pii.h"
#include "arena.h"
#include "crypto.h"
#include "util.h"
#include "banned.h"

#define KEY_LEN 32
#define IV_LEN	16
#define TAG_LEN 32
#define PREFIX	"s1:"

static unsigned char enc_key[16], mac_key[KEY_LEN], idx_key[KEY_LEN];
static int key_ready;

/* HMAC-SM3(key, data) into out[32]. */
static int hmac_sm3(const unsigned char *key, size_t keylen, const unsigned char *data, size_t n,
		    const unsigned char *data2, size_t n2, unsigned char out[TAG_LEN])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[2];
	size_t outlen = 0;
	int ok;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SM3", 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = ctx && EVP_MAC_init(ctx, key, keylen, params) && EVP_MAC_update(ctx, data, n) &&
	     (!n2 || EVP_MAC_update(ctx, data2, n2)) && EVP_MAC_final(ctx, out, &outlen, TAG_LEN) && outlen == TAG_LEN;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ok ? 0 : -1;
}

static int derive(const unsigned char master[KEY_LEN])
{
	unsigned char t[TAG_LEN];

	if (hmac_sm3(master, KEY_LEN, (const unsigned char *)"fazhi-pii-enc", 13, NULL, 0, t) < 0)
		return -1;
	memcpy(enc_key, t, sizeof(enc_key));
	if (hmac_sm3(master, KEY_LEN, (const unsigned char *)"fazhi-pii-mac", 13, NULL, 0, mac_key) < 0 ||
	    hmac_sm3(master, KEY_LEN, (const unsigned char *)"fazhi-pii-idx", 13, NULL, 0, idx_key) < 0)
		return -1;
	secure_wipe(t, sizeof(t));
	key_ready = 1;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int hex_decode(const char *s, size_t n, unsigned char *out)
{
	size_t i;

	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi * 16 + lo);
	}
	return n % 2 ? -1 : 0;
}

int pii_load_key(const char *path, int create, char *err, size_t errlen)
{
	unsigned char master[KEY_LEN];
	char hex[2 * KEY_LEN + 2];
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		random_bytes(master, sizeof(master));
		hex_encode(master, sizeof(master), hex);
		hex[2 * KEY_LEN] = '\n';
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, hex, 2 * KEY_LEN + 1) != 2 * KEY_LEN + 1 || fsync(fd) < 0) {
			snprintf(err, errlen, "无法创建个人信息密钥文件 %s:%s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			secure_wipe(master, sizeof(master));
			return -1;
		}
		close(fd);
		rc = derive(master);
		secure_wipe(master, sizeof(master));
		secure_wipe(hex, sizeof(hex));
		return rc;
	}
	if (fd < 0) {
		snprintf(err, errlen, "无法读取个人信息密钥文件 %s:%s(请先运行 fazhi init)", path, strerror(errno));
		return -1;
	}
	n = read(fd, hex, sizeof(hex));
	close(fd);
	if (n < 2 * KEY_LEN || hex_decode(hex, 2 * KEY_LEN, master) < 0) {
		snprintf(err, errlen, "个人信息密钥文件 %s 格式不正确", path);
		secure_wipe(hex, sizeof(hex));
		return -1;
	}
	rc = derive(master);
	secure_wipe(master, sizeof(master));
	secure_wipe(hex, sizeof(hex));
	if (rc < 0)
		snprintf(err, errlen, "密钥派生失败(需要 OpenSSL 的 SM3)");
	return rc;
}

int pii_ready(void)
{
	return key_ready;
}

void pii_forget_key(void)
{
	secure_wipe(enc_key, sizeof(enc_key));
	secure_wipe(mac_key, sizeof(mac_key));
	secure_wipe(idx_key, sizeof(idx_key));
	key_ready = 0;
}

static int sm4_ctr(const unsigned char iv[IV_LEN], const unsigned char *in, size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len = 0, fin = 0, ok;

	ok = c && EVP_EncryptInit_ex(c, EVP_sm4_ctr(), NULL, enc_key, iv) &&
	     EVP_EncryptUpdate(c, out, &len, in, (int)n) && EVP_EncryptFinal_ex(c, out + len, &fin);
	EVP_CIPHER_CTX_free(c);
	return ok && (size_t)(len + fin) == n ? 0 : -1;
}

char *pii_seal(struct arena *a, const char *plain)
{
	size_t n = strlen(plain), total;
	unsigned char *raw, tag[TAG_LEN];
	char *out;

	if (!key_ready)
		return NULL;
	total = IV_LEN + n + TAG_LEN;
	raw = arena_alloc(a, total);
	random_bytes(raw, IV_LEN);
	if (sm4_ctr(raw, (const unsigned char *)plain, n, raw + IV_LEN) < 0 ||
	    hmac_sm3(mac_key, KEY_LEN, (const unsigned char *)"s1", 2, raw, IV_LEN + n, tag) < 0)
		return NULL;
	memcpy(raw + IV_LEN + n, tag, TAG_LEN);
	out = arena_alloc(a, strlen(PREFIX) + 2 * total + 1);
	memcpy(out, PREFIX, strlen(PREFIX));
	hex_encode(raw, total, out + strlen(PREFIX));
	return out;
}

char *pii_open(struct arena *a, const char *sealed)
{
	size_t hexlen, total, n;
	unsigned char *raw, tag[TAG_LEN];
	char *plain;

	if (!key_ready || !sealed || strncmp(sealed, PREFIX, strlen(PREFIX)))
		return NULL;
	sealed += strlen(PREFIX);
	hexlen = strlen(sealed);
	if (hexlen % 2 || hexlen / 2 < IV_LEN + TAG_LEN)
		return NULL;
	total = hexlen / 2;
	raw = arena_alloc(a, total);
	if (hex_decode(sealed, hexlen, raw) < 0)
		return NULL;
	n = total - IV_LEN - TAG_LEN;
	if (hmac_sm3(mac_key, KEY_LEN, (const unsigned char *)"s1", 2, raw, IV_LEN + n, tag) < 0 ||
	    ct_memcmp(tag, raw + IV_LEN + n, TAG_LEN))
		return NULL;
	plain = arena_alloc(a, n + 1);
	if (sm4_ctr(raw, raw + IV_LEN, n, (unsigned char *)plain) < 0)
		return NULL;
	plain[n] = '\0';
	return plain;
}

char *pii_blind_index(struct arena *a, const char *value)
{
	unsigned char tag[TAG_LEN];
	char *out;

	if (!key_ready || hmac_sm3(idx_key, KEY_LEN, (const unsigned char *)value, strlen(value), NULL, 0, tag) < 0)
		return NULL;
	out = arena_alloc(a, 2 * TAG_LEN + 1);
	hex_encode(tag, TAG_LEN, out);
	return out;
}
