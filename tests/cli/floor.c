// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's floor: merely reading the files named on the command
 * line - open, read into a buffer until end of file, close - and nothing
 * else.  cat is no floor: coreutils 9 maps and unmaps a 128 KiB buffer for
 * every file, which costs more than the reading.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	unsigned long total = 0;
	int i;

	for (i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		ssize_t r;

		if (fd < 0) {
			perror(argv[i]);
			return 1;
		}
		/* A short read is the end of a regular or sysfs file, as for the tool. */
		while ((r = read(fd, buf, sizeof(buf))) == (ssize_t)sizeof(buf))
			total += (unsigned long)r;
		if (r < 0) {
			perror(argv[i]);
			return 1;
		}
		total += (unsigned long)r;
		close(fd);
	}
	return total == 0;
}
