/*
 * Storage fault injection for the faults suite (tests/faults/run.py), loaded
 * into `fazhi serve` with LD_PRELOAD. Root ignores file modes, so a
 * read-only database cannot be made with chmod here; this shim makes writes
 * fail instead, deterministically and only while the test wants it.
 *
 *   FAZHI_FAULT_FLAG  a file name; while that file exists, its first word
 *                     names the errno to fail with: ENOSPC (disk full) or
 *                     EROFS (read-only file system); EIO works too
 *   FAZHI_FAULT_DIR   only descriptors of files below this directory fail
 *                     (the database, -wal, -shm, attachments), so the log and
 *                     the sockets keep working
 *
 * Intercepted: write, pwrite, pwrite64, writev, pwritev, fsync, fdatasync,
 * ftruncate, ftruncate64, fallocate, posix_fallocate (what SQLite and the
 * attachment store use). Everything else passes through unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int fault_errno(int fd)
{
	const char *flag = getenv("FAZHI_FAULT_FLAG"), *dir = getenv("FAZHI_FAULT_DIR");
	char link[64], path[4096], word[16] = "";
	ssize_t n;
	int saved = errno, fl;

	if (!flag || !dir || fd < 0 || access(flag, F_OK) != 0) {
		errno = saved;
		return 0;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0) {
		errno = saved;
		return 0;
	}
	path[n] = '\0';
	if (strncmp(path, dir, strlen(dir)) != 0) {
		errno = saved;
		return 0;
	}
	fl = open(flag, O_RDONLY | O_CLOEXEC);
	if (fl >= 0) {
		n = read(fl, word, sizeof(word) - 1);
		word[n > 0 ? n : 0] = '\0';
		word[strcspn(word, " \t\r\n")] = '\0';
		close(fl);
	}
	errno = saved;
	if (!strcmp(word, "EROFS"))
		return EROFS;
	if (!strcmp(word, "EIO"))
		return EIO;
	return ENOSPC;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))
#define FAIL_IF_FAULT(fd)                                                                                      \
	do {                                                                                                   \
		int e_ = fault_errno(fd);                                                                      \
		if (e_) {                                                                                      \
			errno = e_;                                                                            \
			return -1;                                                                             \
		}                                                                                              \
	} while (0)

ssize_t write(int fd, const void *buf, size_t count)
{
	FAIL_IF_FAULT(fd);
	return NEXT(write)(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	FAIL_IF_FAULT(fd);
	return NEXT(pwrite)(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset)
{
	FAIL_IF_FAULT(fd);
	return NEXT(pwrite64)(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	FAIL_IF_FAULT(fd);
	return NEXT(writev)(fd, iov, iovcnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	FAIL_IF_FAULT(fd);
	return NEXT(pwritev)(fd, iov, iovcnt, offset);
}

int fsync(int fd)
{
	FAIL_IF_FAULT(fd);
	return NEXT(fsync)(fd);
}

int fdatasync(int fd)
{
	FAIL_IF_FAULT(fd);
	return NEXT(fdatasync)(fd);
}

int ftruncate(int fd, off_t length)
{
	FAIL_IF_FAULT(fd);
	return NEXT(ftruncate)(fd, length);
}

int ftruncate64(int fd, off64_t length)
{
	FAIL_IF_FAULT(fd);
	return NEXT(ftruncate64)(fd, length);
}

int fallocate(int fd, int mode, off_t offset, off_t len)
{
	FAIL_IF_FAULT(fd);
	return NEXT(fallocate)(fd, mode, offset, len);
}

int posix_fallocate(int fd, off_t offset, off_t len)
{
	int e = fault_errno(fd);

	if (e)
		return e;
	return NEXT(posix_fallocate)(fd, offset, len);
}
