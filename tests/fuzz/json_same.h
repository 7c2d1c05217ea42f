/*
 * Shared by the fuzz targets that render JSON: json_write(doc) must give the
 * bytes of json_dumps(doc, JSON_COMPACT) for every document they reach.
 */
#ifndef FAZHI_FUZZ_JSON_SAME_H
#define FAZHI_FUZZ_JSON_SAME_H

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/json_write.h"

static inline void check_same_as_jansson(const json_t *doc)
{
	char *want, *got;
	size_t len;

	if (!doc)
		return;
	want = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
	got = json_write(doc, &len);
	if (!want || !got || len != strlen(want) || memcmp(got, want, len) != 0)
		abort();
	free(want);
	free(got);
}

#endif
