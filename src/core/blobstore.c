/* Content-addressed file storage; see blobstore.h. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blobstore.h"
#include "arena.h"
#include "crypto.h"
#include "banned.h"

void blob_sha256(const void *data, size_t n, char out[65])
{
	unsigned char h[32];
	unsigned int len = 0;

	EVP_Digest(data, n, h, &len, EVP_sha256(), NULL);
	hex_encode(h, sizeof(h), out);
}

int blob_put(const char *dir, const void *data, size_t n, char sha[65])
{
	char sub[1100], path[1200], tmp[1250];
	int fd;

	blob_sha256(data, n, sha);
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha);
	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) || (mkdir(sub, 0700) < 0 && errno != EEXIST))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", sub, sha);
	if (access(path, F_OK) == 0)
		return 0; /* the same content is already stored */
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if ((n && write(fd, data, n) != (ssize_t)n) || fsync(fd) < 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return rename(tmp, path);
}

int blob_get(struct arena *a, const char *dir, const char *sha, size_t size, char **data, size_t *len)
{
	char path[1200], check[65];
	FILE *f;
	size_t got;

	snprintf(path, sizeof(path), "%s/%.2s/%s", dir, sha, sha);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	*data = arena_alloc(a, size + 1);
	got = fread(*data, 1, size + 1, f);
	fclose(f);
	blob_sha256(*data, got, check);
	if (got != size || strcmp(check, sha))
		return -2;
	*len = got;
	return 0;
}
