#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ansible (Debian 12's ansible-core) reads the shipped local fact
# (tools/facts/vmxcap.fact) as ansible_local.vmxcap.  A fact script that
# fails does not fail the setup module (its fact becomes a string), so every
# check is of content: the verdict and fingerprint worked out from the
# fixtures (facts-hosts.sh), the document equal to vmxcap-show --facts.
# The example runs unchanged, told by VMXCAP_SHOW and VMXCAP_SHOW_OPTS which
# program to run and which dump to read; the other hosts are fact files
# that set those and exec it.  Then as nobody on this machine (no root: the
# cpuinfo source), and a playbook that asserts on the fact and groups by
# fingerprint.
# Usage: test-ansible.sh TOOL SCRATCHDIR; ends "ansible: N passed, N failed".
set -u
TOOL=$1 DIR=$2
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/cli/tap.sh
. "$TOP/tests/cli/tap.sh"
# shellcheck source=tests/fleet/facts-hosts.sh
. "$TOP/tests/fleet/facts-hosts.sh"
EXAMPLE=$TOP/tools/facts/vmxcap.fact
# nobody's directory ($PUB): a readable one outside the scratch directory
fact_test_begin ansible ansible ansible-core
ok 0 "$(ansible --version | head -n 1) installed"
facts_hosts
ok $? "hosts made from the fixtures: $(ls "$DIR/hosts" | tr '\n' ' ')"

# run_setup FACTDIR: ansible_local as JSON, from `ansible localhost -m setup`.
run_setup() {
	ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False \
		ansible localhost -c local -o -m setup \
		-a "gather_subset=!all,!min,local filter=ansible_local fact_path=$1" 2>"$DIR/ansible.err" |
		tee "$DIR/ansible.out" | sed -n 's/^localhost | SUCCESS => //p' | jq -c '.ansible_facts.ansible_local'
}
export HOME=$DIR/home ANSIBLE_LOCAL_TEMP=$DIR/home/tmp ANSIBLE_REMOTE_TEMP=$DIR/home/rtmp
mkdir -p "$HOME"

# -- the example for a usable host, and fact files for the other hosts
F=$DIR/facts.d
mkdir -p "$F"
install -m 0755 "$EXAMPLE" "$F/vmxcap.fact"
for h in locked two missing; do
	printf '#!/bin/sh\nVMXCAP_SHOW_OPTS="--input %s" exec %s\n' "$DIR/hosts/$h.json" "$EXAMPLE" \
		>"$F/$h.fact"
	chmod 0755 "$F/$h.fact"
done
s=$SECONDS
VMXCAP_SHOW=$TOOL VMXCAP_SHOW_OPTS="--input $DIR/hosts/skx.json" run_setup "$F" >"$DIR/local.json"
rc=$?
echo "# ansible localhost -c local -o -m setup -a 'gather_subset=!all,!min,local filter=ansible_local fact_path=$F' ($((SECONDS - s)) s):"
sed 's/^/#   /' "$DIR/ansible.out" | cut -c1-400
[ $rc -eq 0 ] && jq_true 'keys == ["locked", "missing", "two", "vmxcap"]' "$DIR/local.json"
ok $? "ansible localhost -m setup: ansible_local has vmxcap, locked, two, missing"

jq_true --arg v "$V_SKX" --arg f "$FP_SKX" '.vmxcap.schema == "vmxcap-facts" and
	.vmxcap.schema_version == 1 and .vmxcap.verdict == $v and .vmxcap.fingerprint == $f and
	.vmxcap.sets == [{ cpus: "0", count: 1, verdict: $v, inferred: false, fingerprint: $f }]' "$DIR/local.json"
ok $? "ansible_local.vmxcap (Skylake-X): verdict $V_SKX (IA32_FEATURE_CONTROL), fingerprint $FP_SKX (sha256sum)"
[ "$(jq -S .vmxcap "$DIR/local.json")" = "$("$TOOL" --input "$DIR/hosts/skx.json" --facts | jq -S .)" ]
ok $? "ansible_local.vmxcap is vmxcap-show --facts, key for key ($(jq '.vmxcap.features | length' "$DIR/local.json") features)"
jq_true --arg f "$FP_SKX" '.locked.verdict == "disabled_by_firmware" and .locked.features == [] and
	.locked.fingerprint == $f' "$DIR/local.json"
ok $? "ansible_local.locked (IA32_FEATURE_CONTROL = lock, VMX off): disabled_by_firmware, no feature, the same fingerprint"
jq_true --arg a "$FP_SKX" --arg b "$FP_HSW" '.two.identical == false and .two.fingerprint == null and
	[.two.sets[] | [.cpus, .fingerprint]] == [["0-2,4", $a], ["3,5-7", $b]]' "$DIR/local.json"
ok $? "ansible_local.two: identical false, cpu 0-2,4 Skylake-X's and 3,5-7 Haswell's fingerprints"
jq_true '.missing | type == "string" and startswith("Failure executing fact script")' "$DIR/local.json"
ok $? "a failing fact (a dump that does not exist) is a string, not an error: $(jq -c .missing "$DIR/local.json" | cut -c1-120)"

# -- as nobody on this machine: what any user's fact shows
mkdir -p "$PUB/facts.d" "$PUB/home"
install -m 0755 "$EXAMPLE" "$PUB/facts.d/vmxcap.fact"
chown nobody "$PUB/home"
chmod 0755 "$PUB"
runuser -u nobody -- env HOME="$PUB/home" ANSIBLE_LOCAL_TEMP="$PUB/home/tmp" \
	ANSIBLE_REMOTE_TEMP="$PUB/home/rtmp" VMXCAP_SHOW="$TOOL" \
	bash -c "$(declare -f run_setup); DIR=$PUB/home; run_setup $PUB/facts.d" >"$DIR/nobody.json"
want=$(runuser -u nobody -- "$TOOL" --facts | jq -S .)
src=cpuinfo
[ -r /sys/kernel/vmxcap/machine ] && src=sysfs
jq_true --arg s $src '.vmxcap.source == $s' "$DIR/nobody.json" &&
	[ "$(jq -S .vmxcap "$DIR/nobody.json")" = "$want" ] &&
	jq -r .vmxcap.verdict "$DIR/nobody.json" | grep -Eq "$(facts_of_live)"
ok $? "as nobody here: source $src, verdict $(jq -r .vmxcap.verdict "$DIR/nobody.json") (as /proc/cpuinfo's flags allow), the tool's own --facts"

# -- a playbook: assert on the fact, group hosts by fingerprint
cat >"$DIR/play.yml" <<EOF
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - ansible.builtin.setup:
        gather_subset: ['!all', '!min', 'local']
        fact_path: $F
    - ansible.builtin.assert:
        that:
          - ansible_local.vmxcap.schema == 'vmxcap-facts'
          - ansible_local.vmxcap.verdict == 'usable'
          - "'ept' in ansible_local.vmxcap.features"
    - ansible.builtin.group_by:
        key: "vmx_{{ ansible_local.vmxcap.fingerprint }}"
    - ansible.builtin.debug:
        var: group_names
EOF
s=$SECONDS
VMXCAP_SHOW=$TOOL VMXCAP_SHOW_OPTS="--input $DIR/hosts/skx.json" ANSIBLE_LOCALHOST_WARNING=False \
	ansible-playbook -i localhost, "$DIR/play.yml" >"$DIR/play.out" 2>&1
rc=$?
grep -E 'vmx_|ok=' "$DIR/play.out" | sed 's/^/#   /'
[ $rc -eq 0 ] && grep -q "\"vmx_$FP_SKX\"" "$DIR/play.out" && grep -Eq 'ok=4 .*failed=0' "$DIR/play.out"
ok $? "ansible-playbook: assert verdict usable and ept, group_by fingerprint: vmx_$FP_SKX ($((SECONDS - s)) s)"
VMXCAP_SHOW=$TOOL VMXCAP_SHOW_OPTS="--input $DIR/hosts/locked.json" ANSIBLE_LOCALHOST_WARNING=False \
	ansible-playbook -i localhost, "$DIR/play.yml" >"$DIR/play.out" 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q "ansible_local.vmxcap.verdict == 'usable'" "$DIR/play.out" &&
	grep -Eq 'failed=1' "$DIR/play.out"
ok $? "ansible-playbook on the firmware-locked host: the assert fails on the verdict (exit $rc)"
finish
