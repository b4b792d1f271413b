// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --nfd, the feature file of Kubernetes Node Feature
 * Discovery's "local" source (/etc/kubernetes/node-feature-discovery/
 * features.d/vmxcap): one "PREFIX/NAME=VALUE" label a line, only what
 * every CPU has (NFD's convention: a missing label means not offered),
 * under a "# +expiry-time=" directive so that a writer that stopped
 * leaves no stale labels.  The names and values follow the rules
 * nfd-master enforces (pkg/apis/nfd/validate: Kubernetes' qualified names
 * and label values, its denied namespaces); written atomically with
 * --output, whose dot file NFD skips.
 */
#define _GNU_SOURCE
#include <string.h>
#include <time.h>

#include "hv.h"

#define NFD_DEFAULT_PREFIX "vmxcap.feature.node.kubernetes.io"
#define NFD_DEFAULT_EXPIRY "24h"
#define NFD_MAX_EXPIRY (3650L * 86400)

static bool dns_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool ends_with(const char *s, size_t len, const char *tail)
{
	size_t n = strlen(tail);

	return len >= n && !memcmp(s + len - n, tail, n);
}

/*
 * The prefix without its final '/' into buf: a DNS subdomain (Kubernetes'
 * IsDNS1123Subdomain: at most 253 characters, dot-separated labels of
 * [a-z0-9-] that begin and end alphanumeric) that nfd-master accepts:
 * kubernetes.io and its subdomains are denied but for feature.node. and
 * profile.node.kubernetes.io and theirs.  0, or -1 with vs_error.
 */
static int check_prefix(const char *prefix, char *buf, size_t size)
{
	size_t len = strlen(prefix), i;

	if (len && prefix[len - 1] == '/')
		len--;
	if (!len || len > 253 || len >= size) {
		vs_error("--nfd-prefix: want a DNS subdomain of 1-253 characters (NFD's label namespace), not '%s'",
			 prefix);
		return -1;
	}
	for (i = 0; i < len; i++) {
		char c = prefix[i];
		bool edge = i == 0 || i + 1 == len || prefix[i - 1] == '.' || prefix[i + 1] == '.';

		if (dns_char(c) || (c == '-' && !edge) || (c == '.' && i && i + 1 < len &&
							   prefix[i - 1] != '.'))
			continue;
		vs_error("--nfd-prefix: '%s' is not a DNS subdomain (lower-case letters, digits, '-' inside and '.' between labels)",
			 prefix);
		return -1;
	}
	if ((len == 13 && !memcmp(prefix, "kubernetes.io", 13)) ||
	    ends_with(prefix, len, ".kubernetes.io")) {
		if (!(len == 26 && !memcmp(prefix, "feature.node.kubernetes.io", 26)) &&
		    !(len == 26 && !memcmp(prefix, "profile.node.kubernetes.io", 26)) &&
		    !ends_with(prefix, len, ".feature.node.kubernetes.io") &&
		    !ends_with(prefix, len, ".profile.node.kubernetes.io")) {
			vs_error("--nfd-prefix: nfd-master denies the namespace %.*s (of kubernetes.io only feature.node.kubernetes.io, profile.node.kubernetes.io and their subdomains are allowed)",
				 (int)len, prefix);
			return -1;
		}
	}
	snprintf(buf, size, "%.*s", (int)len, prefix);
	return 0;
}

/* A lifetime: N, Ns, Nm, Nh or Nd (N >= 1), at most ten years; seconds, or -1. */
static long parse_lifetime(const char *s)
{
	static const struct { char unit; long secs; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	unsigned long n;
	const char *end;
	size_t i;

	if (!vs_parse_uint(s, NFD_MAX_EXPIRY, &n, &end) || !n)
		goto bad;
	if (!*end)
		return (long)n;
	for (i = 0; i < ARRAY_LEN(units); i++)
		if (end[0] == units[i].unit && !end[1] && n <= (unsigned long)(NFD_MAX_EXPIRY / units[i].secs))
			return (long)n * units[i].secs;
bad:
	vs_error("--nfd-expiry: want a lifetime such as 24h, 90m, 2d or 3600 (seconds; at most 3650d), not '%s'",
		 s);
	return -1;
}

int vs_show_nfd(const struct vs_host *h, const struct vs_hv_args *a,
		const struct vs_nfd_opts *o, FILE *out)
{
	char prefix[256], expiry[32];
	struct vs_summary s;
	long lifetime = parse_lifetime(o->expiry ? o->expiry : NFD_DEFAULT_EXPIRY);
	time_t at = time(NULL);
	struct tm tm;
	size_t i, k, nfp = 0;

	if (lifetime < 0 || check_prefix(o->prefix ? o->prefix : NFD_DEFAULT_PREFIX, prefix,
					 sizeof(prefix)))
		return 2;
	at += lifetime;
	if (!gmtime_r(&at, &tm) || !strftime(expiry, sizeof(expiry), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		vs_error("--nfd: cannot tell the time");
		return 2;
	}
	if (vs_summary_make(h, a, &s)) {
		vs_summary_free(&s);
		return 2;
	}
	fprintf(out, "# vmxcap-show %s --nfd: this node's VMX capabilities for Node Feature Discovery\n"
		"# (local source); the labels expire at this time unless the file is written again:\n"
		"# +expiry-time=%s\n", VS_VERSION, expiry);
	fprintf(out, "%s/status=%s\n", prefix, s.verdict);
	fprintf(out, "%s/identical=%s\n", prefix, s.identical ? "true" : "false");
	/* One fingerprint, or each distinct one numbered: a label value is one word. */
	if (s.fingerprint)
		fprintf(out, "%s/fingerprint=%s\n", prefix, s.fingerprint);
	for (i = 0; !s.fingerprint && i < s.nsets; i++) {
		for (k = 0; k < i && strcmp(s.sets[k].fingerprint, s.sets[i].fingerprint); k++)
			;
		if (k == i)
			fprintf(out, "%s/fingerprint-%zu=%s\n", prefix, ++nfp, s.sets[i].fingerprint);
	}
	fprintf(out, "%s/source=%s\n", prefix, h->m->source_kind);
	for (i = 0; i < s.nreadiness; i++)
		fprintf(out, "%s/%s=%s\n", prefix, s.readiness[i].profile, s.readiness[i].verdict);
	for (i = 0; i < s.nfeatures; i++)
		fprintf(out, "%s/%s=true\n", prefix, s.features[i]);
	vs_summary_free(&s);
	return 0;
}
