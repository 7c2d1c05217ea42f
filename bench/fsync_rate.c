/*
 * bench/fsync_rate DIR [SECONDS]: how many durable 4 KiB writes per second
 * the disk under DIR takes, the reference of the durable-writes benchmark.
 *
 * Three loops of SECONDS each (default 3) on a scratch file in DIR (the
 * database's directory, so the same filesystem and disk), one write of
 * 4 KiB followed by a flush per iteration:
 *   append_fdatasync     appending (the file grows, so its size is flushed too)
 *   overwrite_fdatasync  rewriting 4 KiB blocks of a 4 MiB preallocated file
 *                        in turn (how SQLite reuses its WAL after a checkpoint)
 *   overwrite_fsync      the same with fsync
 * Prints one line of JSON: {"append_fdatasync": N, ...} in operations per second.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 4096
#define SPAN (4 * 1024 * 1024)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "fsync_rate: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double run(const char *path, int append, int full, double seconds)
{
	static char block[BLOCK];
	double t0, t;
	long n = 0;
	off_t off = 0;
	int fd;

	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		die(path);
	if (!append) {
		/* Preallocate with real blocks, flushed, so the loop only overwrites. */
		for (off = 0; off < SPAN; off += BLOCK)
			if (pwrite(fd, block, BLOCK, off) != BLOCK)
				die("pwrite");
		if (fsync(fd) < 0)
			die("fsync");
		off = 0;
	}
	t0 = now();
	do {
		memset(block, (int)(n & 0xff), 64);
		if (pwrite(fd, block, BLOCK, off) != BLOCK)
			die("pwrite");
		if ((full ? fsync(fd) : fdatasync(fd)) < 0)
			die("sync");
		off += BLOCK;
		if (!append && off >= SPAN)
			off = 0;
		n++;
		t = now();
	} while (t - t0 < seconds);
	close(fd);
	unlink(path);
	return (double)n / (t - t0);
}

int main(int argc, char **argv)
{
	char path[4096];
	double seconds = argc > 2 ? atof(argv[2]) : 3.0;

	if (argc < 2 || seconds <= 0) {
		fprintf(stderr, "usage: fsync_rate DIR [SECONDS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/fsync_rate.%d.tmp", argv[1], (int)getpid());
	printf("{\"append_fdatasync\": %.1f, ", run(path, 1, 0, seconds));
	printf("\"overwrite_fdatasync\": %.1f, ", run(path, 0, 0, seconds));
	printf("\"overwrite_fsync\": %.1f}\n", run(path, 0, 1, seconds));
	return 0;
}
