/*
 * Compact JSON text of a jansson tree, for the replies (router_render).
 *
 * The same text json_dumps(doc, JSON_COMPACT) gives (keys in insertion order,
 * UTF-8 passed through, '"', '\\' and control characters escaped, reals as
 * jansson writes them) at a fraction of its cost: jansson's dump keeps a
 * hash table of the containers it is inside to detect cycles, formatting each
 * container's address with snprintf and allocating an entry for it, which
 * made rendering a case detail cost as much as the SQL that read it.
 *
 * Contract: the tree is not cyclic (a cycle recurses without end, where
 * json_dumps fails), and its strings and keys are valid UTF-8, as jansson's
 * checked constructors guarantee (src/ uses none of the *_nocheck ones; on
 * invalid UTF-8 json_dumps fails, this writer passes the bytes through).
 */
#ifndef FAZHI_HTTP_JSON_WRITE_H
#define FAZHI_HTTP_JSON_WRITE_H

#include <jansson.h>
#include <stddef.h>

/* A NUL-terminated heap string (free()) and its length in *len; NULL if it would exceed 64 MiB. */
char *json_write(const json_t *doc, size_t *len);

#endif
