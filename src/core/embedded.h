/*
 * Files compiled into the binary by tools/embed.c: SQL migrations (sql/...),
 * demo data and calendars (data/...). Names are the repository paths.
 */
#ifndef FAZHI_CORE_EMBEDDED_H
#define FAZHI_CORE_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const char *data; /* NUL-terminated */
	size_t len;
};

/* Terminated by an entry with name == NULL; sorted as the Makefile lists them. */
extern const struct embedded_file embedded_files[];

/* The file with exactly this name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
