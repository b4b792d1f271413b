// SPDX-License-Identifier: GPL-2.0
/*
 * CPU lists cut to fit (tools/cpulist.c): vs_format_cpulist into a buffer
 * too small and vs_cpulist_head of a whole list must name only CPUs of the
 * list, and whole items of it: its first K CPUs where K ends a range, then
 * ",..." (the kernel's list format, bitmap_print_to_pagebuf(): decimal
 * numbers and ranges a-b, comma-separated; a number cut short names
 * another CPU, "524-5" is no range).  Random sets of CPUs 0-8191 with runs,
 * every buffer size from 1 to 120 (below 5 bytes nothing fits).  Parsed here, not by vs_parse_cpulist.
 * Prints "N lists checked, N wrong".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

#define MAXN 600

/* Parses a kernel list into ids; -1 if it is not one (or not ascending). */
static int parse(const char *s, unsigned int *ids, size_t max)
{
	size_t n = 0;

	while (*s) {
		char *e;
		unsigned long a = strtoul(s, &e, 10), b = a;

		if (e == s || (n && a <= ids[n - 1]))
			return -1;
		if (*e == '-') {
			s = e + 1;
			b = strtoul(s, &e, 10);
			if (e == s || b <= a)
				return -1;
		}
		for (; a <= b; a++) {
			if (n == max)
				return -1;
			ids[n++] = (unsigned int)a;
		}
		s = e;
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return -1;
	}
	return (int)n;
}

/* Whether out (from a buffer of size bytes) is the list of ids or its cut head. */
static bool good_cut(const char *out, size_t size, const unsigned int *ids, size_t n)
{
	static unsigned int got[MAXN];
	char head[256];
	size_t len = strlen(out);
	int k;

	if (len >= size)
		return false;
	if (size < 5)
		return true;	/* no room for a CPU and ",...": nothing */
	if (len >= 3 && !strcmp(out + len - 3, "...")) {
		if (len == 3)
			return true;	/* nothing whole fitted */
		if (len < 4 || out[len - 4] != ',')
			return false;
		memcpy(head, out, len - 4);
		head[len - 4] = '\0';
		k = parse(head, got, MAXN);
		if (k <= 0 || (size_t)k >= n)
			return false;
		/* Whole items: the next CPU does not continue the last range. */
		if (ids[k] == ids[k - 1] + 1)
			return false;
	} else {
		k = parse(out, got, MAXN);
		if (k < 0 || (size_t)k != n)
			return false;
	}
	return !memcmp(got, ids, (size_t)k * sizeof(*ids));
}

int main(void)
{
	static unsigned int ids[MAXN];
	static char full[8 * MAXN], out[256];
	unsigned int checked = 0, wrong = 0, round;

	srand(1);
	for (round = 0; round < 400; round++) {
		size_t n = 0, size;
		unsigned int cpu = (unsigned int)(rand() % 50);

		/* Runs of 1-4 CPUs separated by gaps of 1-20. */
		while (n < MAXN - 4 && cpu < 8000) {
			unsigned int run = 1 + (unsigned int)(rand() % 4), r;

			for (r = 0; r < run; r++)
				ids[n++] = cpu++;
			cpu += 1 + (unsigned int)(rand() % 20);
			if (rand() % 8 == 0)
				break;
		}
		vs_format_cpulist(ids, n, full, sizeof(full));
		if (!good_cut(full, sizeof(full), ids, n) || strstr(full, "...")) {
			printf("whole list of %zu CPUs wrong: %s\n", n, full);
			wrong++;
		}
		for (size = 1; size <= 120; size++) {
			vs_format_cpulist(ids, n, out, size);
			checked++;
			if (!good_cut(out, size, ids, n)) {
				printf("vs_format_cpulist, size %zu: '%s' of '%.120s'\n", size, out, full);
				wrong++;
			}
			vs_cpulist_head(full, out, size);
			checked++;
			if (!good_cut(out, size, ids, n)) {
				printf("vs_cpulist_head, size %zu: '%s' of '%.120s'\n", size, out, full);
				wrong++;
			}
		}
	}
	printf("%u lists checked, %u wrong\n", checked, wrong);
	return wrong != 0;
}
