# SPDX-License-Identifier: GPL-2.0
#
# The capability fingerprint: the first 16 hex digits of the SHA-256 of
# the text tools/README.md documents.  The expected values are that text
# built here with jq from the fixture file and hashed by coreutils'
# sha256sum, not by the tool; what the text leaves out
# (IA32_FEATURE_CONTROL) and keeps (faulted reads, Linux's view) is checked
# by changing a dump and comparing.
# Sourced by run-cli.sh: fingerprint_cases BINARY LABEL.

# fp_of_text: the fingerprint of the text on standard input, by sha256sum.
fp_of_text() {
	sha256sum | cut -c1-16
}

# fp_expected ID: the text of fixture ID, built from its MSRs (every one
# but 0x3a, ascending: the keys are 0x480-0x493, so string order is
# numeric order), hashed.
fp_expected() {
	jq -r --arg id "$1" '.[] | select(.id == $id) |
		"vmxcap-fingerprint 1", (.msrs | to_entries | map(select(.key != "0x3a")) |
		sort_by(.key) | .[] | "\(.key) \(.value | ascii_downcase)")' "$DUMPS" | fp_of_text
}

fingerprint_cases() {
	local T=$1 L=$2 F=$WORK/fp id fp bad=0 nfix=0 a b c

	mkdir -p "$F"
	# -- every fixture with VMX MSRs: the tool's against sha256sum's
	"$T" --input "$DUMPS" --dump | jq -r '.sets[] | select(.msrs["0x480"]) | "\(.id) \(.fingerprint)"' \
		>"$F/tool.txt"
	while read -r id fp; do
		nfix=$((nfix + 1))
		[ "$(fp_expected "$id")" = "$fp" ] || { bad=$((bad + 1)); echo "# $id: $fp"; }
	done <"$F/tool.txt"
	[ "$nfix" -eq "$(jq '[.[] | select(.msrs["0x480"])] | length' "$DUMPS")" ] && [ "$bad" -eq 0 ]
	ok $? "$L: fingerprint of each of the $nfix fixtures with VMX MSRs = sha256sum of its documented text ($bad wrong)"

	# -- the same in --json's groups, and a dump read back keeps it
	id=bochs:corei7_skylake_x
	"$T" --input "$DUMPS" --entry "$id" --dump >"$F/skx.json"
	a=$("$T" --input "$F/skx.json" --json | jq -r '.groups[0].fingerprint')
	[ "$a" = "$(fp_expected "$id")" ]
	ok $? "$L: --json's group fingerprint = the dump's = sha256sum's ($a)"

	# -- IA32_FEATURE_CONTROL left out: locking VMX off changes the verdict, not the fingerprint
	jq '.sets[0].msrs["0x3a"] = "0x0000000000000001"' "$F/skx.json" >"$F/locked.json"
	b=$("$T" --input "$F/locked.json" --dump | jq -r '.sets[0].fingerprint')
	"$T" --input "$F/locked.json" --json | jq -e '.cpus[0].status != "usable"' >/dev/null &&
		[ "$b" = "$a" ]
	ok $? "$L: fingerprint leaves out IA32_FEATURE_CONTROL (0x3a locked off: same $b, verdict changed)"

	# -- any capability MSR counts: one bit of IA32_VMX_MISC
	b=$(jq -r '.sets[0].msrs["0x485"]' "$F/skx.json")
	b=$(printf '0x%016x' $((b ^ 1)))
	c=$(jq --arg v "$b" '.sets[0].msrs["0x485"] = $v' "$F/skx.json" | "$T" --input - --dump |
		jq -r '.sets[0].fingerprint')
	[ -n "$c" ] && [ "$c" != "null" ] && [ "$c" != "$a" ]
	ok $? "$L: fingerprint changes with one bit of IA32_VMX_MISC ($a -> $c)"

	# -- a faulted read is a line of its own, in index order
	jq '.sets[0].faulted = ["0x491"] | del(.sets[0].msrs["0x491"])' "$F/skx.json" >"$F/faulted.json"
	b=$("$T" --input "$F/faulted.json" --dump | jq -r '.sets[0].fingerprint')
	c=$(jq -r '.sets[0] | "vmxcap-fingerprint 1", ((.msrs | to_entries | map(select(.key != "0x3a")) |
		map("\(.key) \(.value)")) + ["0x491 faulted"] | sort | .[])' "$F/faulted.json" | fp_of_text)
	[ "$b" = "$c" ] && [ "$b" != "$a" ]
	ok $? "$L: a faulted read is part of the fingerprint (0x491 faulted: $b)"

	# -- the cpuinfo source: Linux's view is the text
	linux_root "$F/root" \
		"vnmi preemption_timer invvpid ept_x_only ept_ad flexpriority tsc_offset vtpr mtf vapic ept vpid unrestricted_guest"
	b=$("$T" --sysroot "$F/root" --source cpuinfo --json | jq -r '.groups[0].fingerprint')
	c=$(printf 'vmxcap-fingerprint 1\nlinux flags_vmx 1\nlinux vmx_flags %s\n' \
		"vnmi preemption_timer invvpid ept_x_only ept_ad flexpriority tsc_offset vtpr mtf vapic ept vpid unrestricted_guest" |
		fp_of_text)
	[ "$b" = "$c" ]
	ok $? "$L: the cpuinfo source's fingerprint is of Linux's vmx flags line ($b)"
}
