/* Ledger rules: money amounts as people type them. Pure. */
#include <string.h>

#include "ledger.h"
#include "core/banned.h"

int ledger_parse_yuan(const char *s, int64_t *fen)
{
	int64_t yuan = 0;
	int decimals = -1, digits = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s == '.') {
			if (decimals >= 0 || !digits)
				return -1;
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals == 2 || yuan > INT64_MAX / 100)
			return -1;
		yuan = yuan * 10 + (*s - '0');
		digits++;
		if (decimals >= 0)
			decimals++;
	}
	if (decimals == 0)
		return -1; /* "12." */
	while (decimals < 2) {
		yuan *= 10;
		decimals = decimals < 0 ? 1 : decimals + 1;
	}
	*fen = yuan;
	return 0;
}
