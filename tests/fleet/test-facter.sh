#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Facter (Debian 12's facter 4) reads the shipped external fact
# (tools/facts/vmxcap-facter.sh) as the one structured fact vmxcap: its
# dotted queries (vmxcap.verdict, vmxcap.sets.1.fingerprint) and --json
# give what the fixtures say (facts-hosts.sh: the verdict from
# IA32_FEATURE_CONTROL, the fingerprint by sha256sum), the document equal
# to vmxcap-show --facts, and no other top-level fact (Facter makes every
# top-level key a fact).  The example runs unchanged from an external fact
# directory, told by VMXCAP_SHOW and VMXCAP_SHOW_OPTS which program to run
# and which dump to read; then as nobody on this machine (the cpuinfo
# source), and failing (no fact, Facter goes on).
# Usage: test-facter.sh TOOL SCRATCHDIR; ends "facter: N passed, N failed".
set -u
TOOL=$1 DIR=$2
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/cli/tap.sh
. "$TOP/tests/cli/tap.sh"
# shellcheck source=tests/fleet/facts-hosts.sh
. "$TOP/tests/fleet/facts-hosts.sh"
EXAMPLE=$TOP/tools/facts/vmxcap-facter.sh
fact_test_begin facter facter facter
ok 0 "facter $(facter --version) installed"
facts_hosts
ok $? "hosts made from the fixtures: $(ls "$DIR/hosts" | tr '\n' ' ')"
F=$DIR/facts.d
mkdir -p "$F"
install -m 0755 "$EXAMPLE" "$F/vmxcap.sh"

# facter_on HOST ARGS...: facter on the example reading DIR/hosts/HOST.json.
facter_on() {
	local h=$1
	shift
	VMXCAP_SHOW=$TOOL VMXCAP_SHOW_OPTS="--input $DIR/hosts/$h.json" \
		facter --external-dir "$F" "$@" 2>"$DIR/facter.err"
}

s=$SECONDS
facter_on skx vmxcap.schema vmxcap.verdict vmxcap.fingerprint vmxcap.sets.0.cpus >"$DIR/q.txt"
rc=$?
echo "# facter --external-dir $F vmxcap.schema vmxcap.verdict vmxcap.fingerprint vmxcap.sets.0.cpus ($((SECONDS - s)) s):"
sed 's/^/#   /' "$DIR/q.txt"
[ $rc -eq 0 ] && [ "$(cat "$DIR/q.txt")" = "vmxcap.fingerprint => $FP_SKX
vmxcap.schema => vmxcap-facts
vmxcap.sets.0.cpus => 0
vmxcap.verdict => $V_SKX" ]
ok $? "facter vmxcap.* (Skylake-X): verdict $V_SKX (IA32_FEATURE_CONTROL), fingerprint $FP_SKX (sha256sum)"

facter_on skx --json vmxcap schema verdict sets >"$DIR/f.json"
[ "$(jq -S .vmxcap "$DIR/f.json")" = "$("$TOOL" --input "$DIR/hosts/skx.json" --facts | jq -S .)" ] &&
	jq_true '.schema == null and .verdict == null and .sets == null' "$DIR/f.json"
ok $? "facter --json vmxcap is vmxcap-show --facts, key for key; no top-level fact schema, verdict or sets"

facter_on locked --json vmxcap >"$DIR/f.json"
jq_true --arg f "$FP_SKX" '.vmxcap.verdict == "disabled_by_firmware" and .vmxcap.features == [] and
	.vmxcap.fingerprint == $f and (.vmxcap.readiness | map(.verdict) | unique) == ["refuses"]' "$DIR/f.json"
ok $? "facter on the firmware-locked host: disabled_by_firmware, no feature, the same fingerprint, every hypervisor refuses"

out=$(facter_on two vmxcap.identical vmxcap.sets.0.cpus vmxcap.sets.1.cpus vmxcap.sets.1.fingerprint)
[ "$out" = "vmxcap.identical => false
vmxcap.sets.0.cpus => 0-2,4
vmxcap.sets.1.cpus => 3,5-7
vmxcap.sets.1.fingerprint => $FP_HSW" ]
ok $? "facter on two sets: identical false, cpu 0-2,4 and 3,5-7, the second Haswell's fingerprint $FP_HSW"

facter_on missing --json vmxcap os.family >"$DIR/f.json"
rc=$?
jq_true '.vmxcap == null and .["os.family"] == "Debian"' "$DIR/f.json" &&
	grep -q 'missing.json' "$DIR/facter.err"
ok $? "a failing fact (a dump that does not exist): no vmxcap fact, Facter goes on (exit $rc): $(sed 's/\x1b\[[0-9;]*m//g' "$DIR/facter.err" | head -c 160 | tr '\n' ' ')"

# -- as nobody on this machine: what any user's fact shows
mkdir -p "$PUB/facts.d" "$PUB/home"
install -m 0755 "$EXAMPLE" "$PUB/facts.d/vmxcap.sh"
chown nobody "$PUB/home"
chmod 0755 "$PUB"
runuser -u nobody -- env HOME="$PUB/home" VMXCAP_SHOW="$TOOL" \
	facter --external-dir "$PUB/facts.d" --json vmxcap >"$DIR/nobody.json" 2>"$DIR/facter.err"
want=$(runuser -u nobody -- "$TOOL" --facts | jq -S .)
src=cpuinfo
[ -r /sys/kernel/vmxcap/machine ] && src=sysfs
jq_true --arg s $src '.vmxcap.source == $s' "$DIR/nobody.json" &&
	[ "$(jq -S .vmxcap "$DIR/nobody.json")" = "$want" ] &&
	jq -r .vmxcap.verdict "$DIR/nobody.json" | grep -Eq "$(facts_of_live)"
ok $? "as nobody here: source $src, verdict $(jq -r .vmxcap.verdict "$DIR/nobody.json") (as /proc/cpuinfo's flags allow), the tool's own --facts"
finish
