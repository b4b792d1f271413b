# SPDX-License-Identifier: GPL-2.0
#
# The Prometheus text exposition format (version 0.0.4), read by awk, not by
# vmxcap-show's code: what promtool check metrics does not check.
#   awk -f prom-lint.awk FILE            lint: every line a HELP, a TYPE or a
#       sample; HELP then TYPE once per family, before its samples, which
#       follow without another family between; names of the vmxcap_ prefix
#       (prefix=... to change it); label names and escaped values as the
#       format has them; no timestamp (one value after the series); values
#       integers below 2^53 (no raw 64-bit MSR value, which a float64
#       sample would round); no series twice (node_exporter drops the
#       second silently).  One line per problem; exit 1 when there is one.
#       With summary=1, "N series in M families" at the end.
#   awk -v mode=series -f prom-lint.awk FILE
#       each sample as name{labels sorted by name} value, one a line, for
#       comparing outputs whatever order their writers chose (samples of
#       other prefixes are left out, so an exporter's page can be read).
BEGIN {
	if (prefix == "")
		prefix = "vmxcap_"
	bad = 0
	nseries = 0
	nfam = 0
}

function problem(what) {
	print "line " NR ": " what ": " substr($0, 1, 120)
	bad = 1
}

# The series of a sample line with its labels sorted; "" when it is not one
# (sets value, and err to what is wrong).
function parse(line,    name, rest, n, i, j, k, lab, key, tmp) {
	err = ""
	if (!match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*/)) {
		err = "not a metric name"
		return ""
	}
	name = substr(line, 1, RLENGTH)
	rest = substr(line, RLENGTH + 1)
	n = 0
	if (substr(rest, 1, 1) == "{") {
		rest = substr(rest, 2)
		while (substr(rest, 1, 1) != "}") {
			if (!match(rest, /^[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*"/)) {
				err = "bad label"
				return ""
			}
			lab[++n] = substr(rest, 1, RLENGTH)
			rest = substr(rest, RLENGTH + 1)
			if (substr(rest, 1, 1) == ",")
				rest = substr(rest, 2)
			else if (substr(rest, 1, 1) != "}") {
				err = "labels not separated by a comma"
				return ""
			}
		}
		rest = substr(rest, 2)
	}
	if (!match(rest, /^ [^ ]+$/)) {
		err = "not one value after the series (a timestamp?)"
		return ""
	}
	value = substr(rest, 2)
	for (i = 2; i <= n; i++)	# insertion sort by label name
		for (j = i; j > 1; j--) {
			split(lab[j], tmp, "=")
			k = tmp[1]
			split(lab[j - 1], tmp, "=")
			if (k >= tmp[1])
				break
			tmp[0] = lab[j]
			lab[j] = lab[j - 1]
			lab[j - 1] = tmp[0]
		}
	key = name
	if (n) {
		key = key "{"
		for (i = 1; i <= n; i++)
			key = key (i > 1 ? "," : "") lab[i]
		key = key "}"
	}
	series_name = name
	return key
}

mode == "series" {
	if ($0 ~ /^#/ || index($0, prefix) != 1)
		next
	key = parse($0)
	if (key != "")
		print key " " value
	next
}

/^# HELP / {
	if (family_of_help[$3]++)
		problem("second HELP for " $3)
	if ($3 in done)
		problem("family " $3 " again after another")
	if (NF < 4)
		problem("HELP without text")
	help = $3
	next
}

/^# TYPE / {
	if (family_of_type[$3]++)
		problem("second TYPE for " $3)
	if (help != $3)
		problem("TYPE without its HELP just before")
	if ($4 != "gauge" && $4 != "counter")
		problem("type " $4)
	if (NF != 4)
		problem("TYPE line with more than a type")
	if (family != "")
		done[family] = 1
	family = $3
	nfam++
	if (index(family, prefix) != 1)
		problem("family not of the " prefix " prefix")
	next
}

/^#/ {
	problem("a comment that is neither HELP nor TYPE")
	next
}

{
	key = parse($0)
	if (key == "") {
		problem(err)
		next
	}
	if (series_name != family)
		problem("sample of " series_name " in family " family)
	if (value !~ /^[0-9]+$/ || length(value) > 15)
		problem("value " value " is not an integer below 2^53")
	if (seen[key]++)
		problem("series twice")
	nseries++
}

END {
	if (mode == "series")
		exit 0
	if (summary)
		print nseries " series in " nfam " families"
	exit bad
}
