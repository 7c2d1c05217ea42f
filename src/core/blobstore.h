/*
 * Files people upload (case attachments, ledger evidence), stored once by
 * their SHA-256 under a directory: <dir>/<first two hex>/<sha256>. Writes go
 * to a temporary file, are fsynced and renamed, so a stored file is always
 * whole; reads check the content against its name.
 */
#ifndef FAZHI_CORE_BLOBSTORE_H
#define FAZHI_CORE_BLOBSTORE_H

#include <stddef.h>

struct arena;

/* Lower-case hex SHA-256 of data into out[65]. */
void blob_sha256(const void *data, size_t n, char out[65]);

/* Store data under dir (created if missing); sha gets its name. 0, or -1 with errno set. */
int blob_put(const char *dir, const void *data, size_t n, char sha[65]);

/*
 * Read the blob named sha into the arena, expecting `size` bytes. Returns 0;
 * -1 when the file is missing; -2 when its content no longer matches its
 * SHA-256 (altered or damaged).
 */
int blob_get(struct arena *a, const char *dir, const char *sha, size_t size, char **data, size_t *len);

#endif
