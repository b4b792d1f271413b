/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP output for the unit tests: one "ok N - ..." line a check and
 * a closing "N passed, N failed" line that CI reads.
 */
#ifndef VMXCAP_TAP_H
#define VMXCAP_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static unsigned int tap_passed, tap_failed;

__attribute__((format(printf, 2, 3)))
static bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		tap_passed++;
	else
		tap_failed++;
	printf("%s %u - ", cond ? "ok" : "not ok", tap_passed + tap_failed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

/* A diagnostic line, as TAP comments them. */
#define tap_diag(...) (printf("# "), printf(__VA_ARGS__), putchar('\n'))

static int tap_done(const char *name)
{
	printf("%s: %u passed, %u failed\n", name, tap_passed, tap_failed);
	return tap_failed ? 1 : 0;
}

#endif /* VMXCAP_TAP_H */
