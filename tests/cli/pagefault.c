// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of one minor page fault on this machine: maps fresh anonymous
 * memory, touches one byte per page and times it (median of 9 rounds of
 * 256 pages).  tests/cli/bench.sh prints it next to the fault counts,
 * because on a virtual machine a fault can cost microseconds.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGES 256
#define ROUNDS 9

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), i;
	double us[ROUNDS];
	int r;

	for (r = 0; r < ROUNDS; r++) {
		struct timespec a, b;
		volatile char *p = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (i = 0; i < PAGES; i++)
			p[i * page] = 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		us[r] = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) /
			1e3 / PAGES;
		munmap((void *)p, PAGES * page);
	}
	qsort(us, ROUNDS, sizeof(us[0]), cmp_double);
	printf("%.2f\n", us[ROUNDS / 2]);
	return 0;
}
