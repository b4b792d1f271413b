// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: kernel CPU lists ("0-3,8"), the format of the module's
 * "cpus" file, of /sys/devices/system/cpu/online, of --cpu and of dumps.
 */
#include <string.h>

#include "vmxcap-show.h"

int vs_parse_cpulist(const char *s, bool *want, unsigned int *hi, const char *what)
{
	const char *p = s;

	if (hi)
		*hi = 0;
	while (*p == ' ')
		p++;
	if (!*p || *p == '\n') {
		vs_error("%s: empty CPU list", what);
		return -1;
	}
	for (;;) {
		unsigned long a, b;
		const char *e;

		if (!vs_parse_uint(p, VS_MAX_CPU, &a, &e)) {
			vs_error("%s: bad CPU list '%s' (want e.g. 0-3,8; CPUs up to %u)",
				 what, s, VS_MAX_CPU);
			return -1;
		}
		b = a;
		p = e;
		if (*p == '-') {
			if (!vs_parse_uint(p + 1, VS_MAX_CPU, &b, &e) || b < a) {
				vs_error("%s: bad CPU range in '%s'", what, s);
				return -1;
			}
			p = e;
		}
		if (hi && b > *hi)
			*hi = (unsigned int)b;
		for (; a <= b; a++)
			want[a] = true;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\n')
			p++;
		if (*p) {
			vs_error("%s: bad CPU list '%s'", what, s);
			return -1;
		}
		return 0;
	}
}

/*
 * Appends sep (unless '\0') and the decimal v at buf + *len, if they fit
 * with the final NUL in size.
 */
static bool put_item(char *buf, size_t size, size_t *len, char sep, unsigned int v)
{
	char d[24], *p = vs_utoa(v, d + sizeof(d));
	size_t w;

	if (sep)
		*--p = sep;
	w = (size_t)(d + sizeof(d) - p);
	if (*len + w >= size)
		return false;
	memcpy(buf + *len, p, w);
	*len += w;
	return true;
}

/*
 * Ends the list in buf (size bytes) with ",..." after its last whole item
 * that leaves room: a number cut short would name another CPU, and a range
 * "524-5..." would read as a list of its own.
 */
static void end_with_ellipsis(char *buf, size_t size)
{
	size_t len = strlen(buf);

	if (size < 5) {
		buf[0] = '\0';
		return;
	}
	while (len && len + 5 > size)
		while (len && buf[--len] != ',')
			;
	strcpy(buf + len, len ? ",..." : "...");
}

void vs_cpulist_head(const char *list, char *buf, size_t size)
{
	size_t len = strlen(list);

	if (!size)
		return;
	if (len >= size) {
		/* The whole items that fit; end_with_ellipsis() makes room. */
		for (len = size - 1; len && list[len] != ','; len--)
			;
	}
	memcpy(buf, list, len);
	buf[len] = '\0';
	if (list[len])
		end_with_ellipsis(buf, size);
}

void vs_format_cpulist(const unsigned int *ids, size_t n, char *buf, size_t size)
{
	size_t i = 0, len = 0;

	if (!size)
		return;
	/* By hand, not snprintf: each output formats 1024 CPUs' lists. */
	while (i < n) {
		size_t j = i, whole = len;

		while (j + 1 < n && ids[j + 1] == ids[j] + 1)
			j++;
		if (!put_item(buf, size, &len, len ? ',' : '\0', ids[i]) ||
		    (j > i && !put_item(buf, size, &len, '-', ids[j]))) {
			buf[whole] = '\0';	/* not half a range */
			end_with_ellipsis(buf, size);
			return;
		}
		i = j + 1;
	}
	buf[len] = '\0';
}
