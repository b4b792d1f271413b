# SPDX-License-Identifier: GPL-2.0
#
# The hosts the fact engines' tests (test-ansible.sh, test-facter.sh) give
# the shipped fact examples, as dumps of fixtures made by jq, and what the
# facts must then say, worked out without the tool: the verdict from
# IA32_FEATURE_CONTROL's bits (SDM: bit 0 lock, bit 2 VMX outside SMX), the
# fingerprint by sha256sum over its documented text (cases-fingerprint.sh).
# Sourced with TOOL, DIR and TOP set: facts_hosts writes DIR/hosts/.
#   skx.json     Bochs Skylake-X, one CPU, usable
#   locked.json  the same with IA32_FEATURE_CONTROL locked, VMX off
#   two.json     Skylake-X on cpu 0-2,4 and Haswell on cpu 3,5-7
DUMPS=$TOP/tests/data/vmx-msr-dumps.json
SKX=bochs:corei7_skylake_x
HSW=bochs:corei7_haswell_4770
# shellcheck source=tests/cli/cases-fingerprint.sh
. "$TOP/tests/cli/cases-fingerprint.sh"

# fact_test_begin NAME PROGRAM PACKAGE: a directory outside the scratch
# one (0700) for what nobody must read (PUB, removed at exit), the clock
# finish() reports, and the end of the test when PROGRAM is missing.
fact_test_begin() {
	FACT_TEST=$1
	PUB=$(mktemp -d "/tmp/vmxcap-$1.XXXXXX")
	trap 'rm -rf "$PUB"' EXIT
	start=$SECONDS
	command -v "$2" >/dev/null && return 0
	ok 1 "$3 is installed (scripts/deps.sh fleet)"
	finish
}

# finish: the test's time and its result line; run-fleet.sh adds it up.
finish() {
	echo "# $FACT_TEST: $((SECONDS - start)) s"
	echo "$FACT_TEST: $passed passed, $failed failed"
	exit 0
}

facts_hosts() {
	local H=$DIR/hosts
	mkdir -p "$H"
	"$TOOL" --input "$DUMPS" --entry $SKX --dump >"$H/skx.json" &&
		"$TOOL" --input "$DUMPS" --entry $HSW --dump >"$H/hsw1.json" &&
		jq '.sets[0].msrs["0x3a"] = "0x0000000000000001"' "$H/skx.json" >"$H/locked.json" &&
		jq --slurpfile b "$H/hsw1.json" \
			'.sets = [(.sets[0] | .cpus = "0-2,4"), ($b[0].sets[0] | .cpus = "3,5-7")]' \
			"$H/skx.json" >"$H/two.json"
	FP_SKX=$(fp_expected $SKX)
	FP_HSW=$(fp_expected $HSW)
	# 0x3a of the Skylake-X entry: locked with VMX on outside SMX is usable
	V_SKX=$(jq -r --arg id $SKX '.[] | select(.id == $id) | .msrs["0x3a"]' "$DUMPS")
	if (( (V_SKX & 1) && (V_SKX & 4) )); then V_SKX=usable; else V_SKX="not usable: $V_SKX"; fi
}

# facts_of_live: the verdicts the live machine's facts may have as Linux's
# /proc/cpuinfo says (vmx in its flags: usable or unlocked; else no VMX,
# locked off, or hidden by clearcpuid=vmx), a regular expression.
facts_of_live() {
	if grep -q '^flags.* vmx\b' /proc/cpuinfo; then
		echo '^(usable|unlocked|mixed)$'
	else
		echo '^(no_vmx|disabled_by_firmware|unknown|mixed)$'
	fi
}
