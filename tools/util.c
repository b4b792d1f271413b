// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the first input error (the one main() reports), allocation
 * that exits on failure, and number parsers that accept exactly the
 * formats the module and the dumps write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

static char errbuf[1024];

void vs_error(const char *fmt, ...)
{
	va_list ap;

	if (errbuf[0])
		return;		/* the first error is the cause */
	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
}

const char *vs_last_error(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}

void vs_clear_error(void)
{
	errbuf[0] = '\0';
}

static void *oom(void *p)
{
	if (!p) {
		/* Nothing sensible is left to do, and nothing was printed yet. */
		fputs("vmxcap-show: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

void *xmalloc(size_t size)
{
	return oom(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return oom(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t size)
{
	return oom(realloc(p, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return oom(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
	return oom(strndup(s, n));
}

bool vs_parse_hex64(const char *s, u64 *v, const char **end)
{
	u64 x = 0;
	int n = 0;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	for (s += 2; ; s++, n++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (n == 16)
			return false;
		x = x << 4 | (u64)d;
	}
	if (!n)
		return false;
	*v = x;
	*end = s;
	return true;
}

bool vs_parse_uint(const char *s, unsigned long max, unsigned long *v,
		   const char **end)
{
	unsigned long x = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		x = x * 10 + (unsigned long)(*s - '0');
		if (x > max)
			return false;
	}
	*v = x;
	*end = s;
	return true;
}

bool vs_parse_number(const char *s, u64 *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

char *vs_utoa(size_t v, char *end)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

void vs_append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	*len = n < 0 ? size : *len + (size_t)n;
}
