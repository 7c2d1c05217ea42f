/*
 * Fuzz target: the session cookie parser (auth_token_from_cookie in
 * src/http/auth.c) on any Cookie header value. Property: it either refuses,
 * or yields exactly 64 lower-case hex digits that appear in the input right
 * after "fazhi_session=".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/auth.h"

#define CHECK(c) ((c) ? (void)0 : abort())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), token[65];
	char *needle;

	memcpy(in, data, size);
	in[size] = '\0';
	memset(token, 'Z', sizeof(token));
	if (auth_token_from_cookie(in, token) == 0) {
		CHECK(strlen(token) == 64);
		CHECK(strspn(token, "0123456789abcdef") == 64);
		needle = malloc(strlen(SESSION_COOKIE) + 66);
		memcpy(needle, SESSION_COOKIE "=", strlen(SESSION_COOKIE) + 1);
		memcpy(needle + strlen(SESSION_COOKIE) + 1, token, 65);
		CHECK(strstr(in, needle) != NULL);
		free(needle);
	}
	free(in);
	return 0;
}
