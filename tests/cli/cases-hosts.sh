# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show with several hosts: --input repeated, or a directory of
# dumps, each file a host.  The hosts are single-entry dumps written from
# the fixtures (--entry ID --dump); what is expected of them together comes
# from each alone: its --long states, its --require line, its --json, its
# summary column.  A host's sets keep their CPU lists, and every output names
# the host beside them.
# Sourced by run-cli.sh: hosts_cases BINARY LABEL.

# long_states FILE: "GROUP.ID STATE" for each named control of a --long
# output (run wide enough for a heading to stay on one line), the group from
# its section heading (human.c's, as the SDM names the controls); a group
# --long gives as one line is "GROUP.* STATE" (none: no, else its word).
long_states() {
	awk '
		function head(name) {
			g = name
			if ($0 !~ /\(/) { print g ".* " ($NF == "none" ? "no" : $NF); g = "" }
		}
		/^Pin-based VM-execution controls/		{ head("pinbased") }
		/^Primary processor-based VM-execution/		{ head("procbased") }
		/^Secondary processor-based VM-execution/	{ head("procbased2") }
		/^Tertiary processor-based VM-execution/	{ head("procbased3") }
		/^Primary VM-exit controls/			{ head("exit") }
		/^Secondary VM-exit controls/			{ head("exit2") }
		/^VM-entry controls/				{ head("entry") }
		/^VM-function controls/				{ head("vmfunc") }
		/^ID +STATE +/		{ rows = g != ""; next }
		/^$/			{ rows = 0; g = "" }
		rows && $1 != "bits" && $1 != "bit"	{ print g "." $1, $2 }
	' "$1"
}

# states_differ KEYS STATES1 STATES2: "GROUP.ID STATE1 STATE2" for every
# control of KEYS (--list-features' GROUP.ID) whose states differ, sorted.
states_differ() {
	awk '
		function st(arr, k,   g) {
			if (k in arr)
				return arr[k]
			g = k
			sub(/\..*/, "", g)
			return (g ".*") in arr ? arr[g ".*"] : "?"
		}
		FILENAME == ARGV[1]	{ keys[$1] = 1; next }
		FILENAME == ARGV[2]	{ a[$1] = $2; next }
					{ b[$1] = $2 }
		END {
			for (k in keys)
				if (st(a, k) != st(b, k))
					print k, st(a, k), st(b, k)
		}
	' "$1" "$2" "$3" | sort
}

# diff_control_rows: the named controls' rows of a --diff table (stdin) as
# "GROUP.ID VALUE...", sorted.
diff_control_rows() {
	sed -n '/^ITEM /,$p' | awk 'NR > 1 && $1 ~ /^(pinbased|procbased|procbased2|procbased3|exit|exit2|entry|vmfunc)\./ &&
		$1 !~ /\.bit[0-9]+$/ { $1 = $1; print }' | sort
}

# summary_values FILE ROW NCOLS: the values of a summary feature row, one per set.
summary_values() {
	awk -v r="$2" -v n="$3" 'index($0, r " ") == 1 {
		k = split(r, _, " "); s = ""
		for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") $(k + i)
		print s; exit }' "$1"
}

# unrecorded_groups DUMP...: the control groups whose capability MSR (SDM
# appendix A.3-A.5, A.11) one of the single-set dumps did not record.
unrecorded_groups() {
	local g f
	for g in pinbased:0x481 procbased:0x482 exit:0x483 entry:0x484 procbased2:0x48b \
		vmfunc:0x491 procbased3:0x492 exit2:0x493; do
		for f in "$@"; do
			jq -e --arg a "${g#*:}" '.sets[0].msrs[$a]' "$f" >/dev/null || { echo "${g%%:*}"; break; }
		done
	done
}

hosts_cases() {
	local T=$1 L=$2 H=$WORK/hosts rc h want got bad k list
	local K=vbox-cpudb:Intel_Core_i7_6700K SPR=instlatx64:GenuineIntel00806F8_SapphireRapids_06_CPUID
	local LB=instlatx64:GenuineIntel00806A1_Lakefield_CPUID:big-core
	local LS=instlatx64:GenuineIntel00806A1_Lakefield_CPUID:small-cores

	rm -rf "$H"
	mkdir -p "$H/d" "$H/empty" "$H/notdump" "$H/x" "$H/y"
	"$T" --input "$DUMPS" --entry $K --dump >"$H/d/sky.json" &&
		"$T" --input "$DUMPS" --entry $SPR --dump >"$H/d/spr.json" &&
		"$T" --input "$DUMPS" --entry $LB --entry $LS --dump >"$H/d/lake.json" &&
		cp "$H/d/sky.json" "$H/sky-copy.json" && echo 'not a dump' >"$H/d/README"
	ok $? "$L: hosts: three single-machine dumps written from the fixtures (6700K, Sapphire Rapids, Lakefield's 2 cores)"

	# -- a second --input is a second host: neither refused nor ignored
	"$T" --input "$H/d/sky.json" --input "$H/d/spr.json" --diff >"$H/o.txt" 2>"$H/e.txt"
	rc=$?
	[ $rc -eq 1 ] && [ ! -s "$H/e.txt" ] && grep -q '^group A: host sky cpu 0 (1 CPU)' "$H/o.txt" &&
		grep -q '^group B: host spr cpu 0 (1 CPU)' "$H/o.txt" &&
		grep -Eq '^ITEM +sky cpu 0 +spr cpu 0$' "$H/o.txt"
	ok $? "$L: hosts: a second --input is a second host (--diff: exit $rc, columns 'sky cpu 0' and 'spr cpu 0')"

	# -- --diff: every control whose state differs between two hosts alone
	# (their --long) is a row with both states, and every control row has the
	# states each --long says
	COLUMNS=400 "$T" --input "$H/d/sky.json" --long >"$H/l-sky.txt" &&
		COLUMNS=400 "$T" --input "$H/d/spr.json" --long >"$H/l-spr.txt"
	long_states "$H/l-sky.txt" >"$H/s-sky.txt"
	long_states "$H/l-spr.txt" >"$H/s-spr.txt"
	"$T" --list-features | awk 'NR > 1 && $2 ~ /^(pinbased|procbased|procbased2|procbased3|exit|exit2|entry|vmfunc)$/ {
		print $2 "." $1 }' >"$H/keys.txt"
	# A group whose capability MSR (SDM appendix A) one dump did not record
	# is that MSR's raw row, not a row per control.
	unrecorded_groups "$H/d/sky.json" "$H/d/spr.json" >"$H/skip.txt"
	states_differ "$H/keys.txt" "$H/s-sky.txt" "$H/s-spr.txt" |
		grep -v -f <(sed 's/^/^/; s/$/\./' "$H/skip.txt") >"$H/want.txt"
	diff_control_rows <"$H/o.txt" >"$H/got.txt"
	k=$(grep -c ' yes no$' "$H/want.txt")
	diag "controls yes on the 6700K and no on Sapphire Rapids, by their --long: $k, e.g. $(grep ' yes no$' "$H/want.txt" | head -n 3 | cut -d' ' -f1 | tr '\n' ' ')"
	[ "$k" -gt 0 ] && [ "$(grep -c ' no yes$' "$H/want.txt")" -gt 0 ] && cmp -s "$H/want.txt" "$H/got.txt"
	ok $? "$L: hosts: --diff's control rows are exactly the controls whose --long states differ ($(wc -l <"$H/want.txt") rows, $k yes/no; groups one dump lacks: $(tr '\n' ' ' <"$H/skip.txt"))"
	# Sapphire Rapids' dump lacks IA32_VMX_VMFUNC (0x491), which exists where
	# secondary control 13 (enable VM functions) may be 1, and the 6700K's
	# has it: one row says so, and no VM-function control has a row.
	want=$(jq -r '.sets[0].msrs["0x48b"]' "$H/d/spr.json")
	[ $(( (want >> 45) & 1 )) -eq 1 ] && ! jq -e '.sets[0].msrs["0x491"]' "$H/d/spr.json" >/dev/null &&
		want=$(jq -r '.sets[0].msrs["0x491"]' "$H/d/sky.json") &&
		grep -Eq "^raw\.vmfunc +$want +not recorded$" "$H/o.txt" && ! grep -q '^vmfunc\.' "$H/o.txt" &&
		{ "$T" --input "$H/d/sky.json" --input "$H/d/spr.json" --diff --json >"$H/o.json"; [ $? -eq 1 ]; } &&
		jq_true '.items | map(select(.item == "raw.vmfunc"))[0].values[1] == "not recorded"' "$H/o.json"
	ok $? "$L: hosts: an MSR one host did not record is one row, 'not recorded', not a row per control: $(grep '^raw\.vmfunc' "$H/o.txt" | tr -s ' ')"
	"$T" --input "$H/d/sky.json" --input "$H/d/spr.json" --diff --json >"$H/o.json"
	jq -r '"ITEM VALUES", (.items[] | "\(.item) \(.values | join(" "))")' "$H/o.json" | diff_control_rows |
		cmp -s - "$H/want.txt" &&
		jq_true '.schema_version == 2 and .identical == false and
			(.hosts | map(.host)) == ["sky", "spr"] and (.hosts[0].path | endswith("d/sky.json")) and
			(.groups | map("\(.host) \(.cpus)")) == ["sky 0", "spr 0"]' "$H/o.json"
	ok $? "$L: hosts: --diff --json: schema_version 2, the hosts and each group's host, the same rows"

	# -- two copies of one dump are identical; a host's sets keep their lists
	"$T" --input "$H/d/sky.json" --input "$H/sky-copy.json" --diff >"$H/o.txt"
	rc=$?
	[ $rc -eq 0 ] && grep -qx 'all 2 CPUs of the 2 hosts report identical VMX capabilities' "$H/o.txt" &&
		"$T" --input "$H/d/sky.json" --input "$H/sky-copy.json" --diff --json |
		jq_true '.identical == true and .items == [] and (.groups | length) == 2'
	ok $? "$L: hosts: two copies of one dump diff as identical: exit $rc: $(tail -n 1 "$H/o.txt")"
	# -- alike hosts share a column: sky, spr and a copy of sky are two columns,
	# with the rows and values of sky against spr alone
	"$T" --input "$H/d/sky.json" --input "$H/d/spr.json" --input "$H/sky-copy.json" --diff >"$H/o3.txt"
	rc=$?
	"$T" --input "$H/d/sky.json" --input "$H/d/spr.json" --input "$H/sky-copy.json" --diff --json >"$H/o3.json"
	[ $rc -eq 1 ] && grep -q '^group A: host sky cpu 0, host sky-copy cpu 0 (2 CPUs)' "$H/o3.txt" &&
		grep -q '^group B: host spr cpu 0 (1 CPU)' "$H/o3.txt" && ! grep -q '^group C' "$H/o3.txt" &&
		grep -q '^2 groups of CPUs on 3 hosts; ' "$H/o3.txt" &&
		[ "$(grep '^ITEM ' "$H/o3.txt" | tr -s ' ')" = "ITEM group A group B" ] &&
		jq_true --slurpfile two "$H/o.json" '(.groups | map([.name, .same_as])) == [["A", null], ["B", null], ["A", 0]] and
			(.items | map({item, values: .values[0:2]})) == ($two[0].items | map({item, values})) and
			(.items | all(.values[0] == .values[2]))' "$H/o3.json"
	ok $? "$L: hosts: alike hosts share a column (sky and its copy: group A; --json same_as), the rows of sky against spr: $(sed -n 3p "$H/o3.txt")"
	"$T" --input "$H/d/lake.json" --diff >"$H/alone.txt"
	"$T" --input "$H/d/lake.json" --input "$H/d/sky.json" --diff >"$H/o.txt"
	rc=$?
	bad=0
	# Each row Lakefield alone shows (big, small) is in the table with those values.
	while read -r key a b; do
		awk -v k="$key" -v a="$a" -v b="$b" '$1 == k && $2 == a && $3 == b { f = 1 } END { exit !f }' "$H/o.txt" ||
			{ bad=$((bad + 1)); diag "lake's row $key $a $b not in the hosts' diff"; }
	done < <(sed -n '/^ITEM /,$p' "$H/alone.txt" | tail -n +2)
	[ $rc -eq 1 ] && [ $bad -eq 0 ] && grep -q '^group A: host lake cpu 0 (1 CPU): .*big-core$' "$H/o.txt" &&
		grep -q '^group B: host lake cpu 1 (1 CPU): .*small-cores$' "$H/o.txt" &&
		grep -q '^group C: host sky cpu 0 (1 CPU)' "$H/o.txt" &&
		grep -Eq '^ITEM +lake cpu 0 +lake cpu 1 +sky cpu 0$' "$H/o.txt"
	ok $? "$L: hosts: Lakefield's two sets keep their CPUs beside another host; its own rows are there ($(sed -n '/^ITEM /,$p' "$H/alone.txt" | tail -n +2 | wc -l))"

	# -- --input DIR: its *.json files in name order, as if given one by one
	local args
	bad=0
	for args in "--diff" "--diff --json" "--json" "--require ept,vpid" ""; do
		# shellcheck disable=SC2086
		"$T" --input "$H/d" $args >"$H/dir.txt" 2>&1
		rc=$?
		# shellcheck disable=SC2086
		"$T" --input "$H/d/lake.json" --input "$H/d/sky.json" --input "$H/d/spr.json" $args >"$H/files.txt" 2>&1
		if ! { [ $? -eq $rc ] && [ -s "$H/dir.txt" ] && cmp -s "$H/dir.txt" "$H/files.txt"; }; then
			bad=$((bad + 1))
			diag "--input DIR $args differs from its files"
		fi
	done
	[ $bad -eq 0 ]
	ok $? "$L: hosts: --input DIR equals its .json files given in name order (--diff, --json, --require, summary)"

	# -- --require: every host the verdict it gets alone
	bad=0
	for list in ept,vpid ept,tsc_scaling procbased2.bus_lock_detection vmx-posted-intr,unrestricted_guest; do
		"$T" --input "$H/d" --require $list >"$H/o-$list.txt"
		rc=$?
		want=0
		for h in lake sky spr; do
			"$T" --input "$H/d/$h.json" --require $list >"$H/alone.txt"
			k=$?
			[ $k -gt $want ] && want=$k
			got=$(grep "^vmxcap-show: host $h: " "$H/o-$list.txt" | sed "s/^vmxcap-show: host $h: /vmxcap-show: /")
			[ "$got" = "$(cat "$H/alone.txt")" ] ||
				{ bad=$((bad + 1)); diag "$list: host $h: '$got', alone '$(cat "$H/alone.txt")'"; }
		done
		if [ $rc -ne $want ] || [ "$(wc -l <"$H/o-$list.txt")" -ne 3 ]; then
			bad=$((bad + 1))
			diag "$list: exit $rc, want $want"
		fi
	done
	# Lakefield's small core (cpu 1) lacks VMM bus-lock detection (run_suite's --diff test).
	[ $bad -eq 0 ] &&
		grep -q '^vmxcap-show: host lake: NO: cpu 1 lacks procbased2.bus_lock_detection;' \
			"$H/o-procbased2.bus_lock_detection.txt"
	ok $? "$L: hosts: --require answers each host on its own line, the one it gets alone; exit the worst (4 lists, 3 hosts)"
	"$T" --input "$H/d" --require kvm --json >"$H/o.txt"
	rc=$?
	bad=0 want=0
	for h in lake sky spr; do
		"$T" --input "$H/d/$h.json" --require kvm --json >"$H/alone.txt"
		k=$?
		# A refusal (1) outweighs cannot tell (2), as for one host's profiles.
		if [ $k -eq 1 ]; then want=1; elif [ $k -eq 2 ] && [ $want -eq 0 ]; then want=2; fi
		jq -c --arg h "$h" 'select(.host == $h) | del(.host)' "$H/o.txt" | cmp -s - <(jq -c . "$H/alone.txt") ||
			bad=$((bad + 1))
	done
	[ $bad -eq 0 ] && [ $rc -eq $want ] && [ "$(wc -l <"$H/o.txt")" -eq 3 ]
	ok $? "$L: hosts: --require kvm --json: one object per host, with host, else as each alone (exit $rc)"

	# -- --json: each host's entry is its own --json
	"$T" --input "$H/d/sky.json" --input "$H/d/lake.json" --json >"$H/o.json"
	bad=0 k=0
	for h in sky lake; do
		"$T" --input "$H/d/$h.json" --json | jq -S 'del(.schema, .schema_version, .decoder_version)' >"$H/alone.json"
		jq -S --argjson i $k '.hosts[$i] | del(.host)' "$H/o.json" | cmp -s - "$H/alone.json" || bad=$((bad + 1))
		k=$((k + 1))
	done
	[ $bad -eq 0 ] && jq_true '.schema == "vmxcap-show" and .schema_version == 4 and
		(.hosts | map(.host)) == ["sky", "lake"] and (.hosts[1].groups | map(.cpus)) == ["0", "1"] and
		.hosts[1].identical == false' "$H/o.json" &&
		[ "$("$T" --input "$H/d/sky.json" --json | jq .schema_version)" = 3 ]
	ok $? "$L: hosts: --json: schema_version 4, each host's entry its own --json (one input stays 3)"

	# -- the summary: a set line per host's set, each column the host's own
	"$T" --input "$H/d/lake.json" --input "$H/d/sky.json" >"$H/o.txt"
	rc=$?
	"$T" --input "$H/d/lake.json" >"$H/a-lake.txt"
	"$T" --input "$H/d/sky.json" >"$H/a-sky.txt"
	bad=0 k=0
	while IFS='|' read -r row _; do
		k=$((k + 1))
		want="$(summary_values "$H/a-lake.txt" "$row" 2) $(summary_values "$H/a-sky.txt" "$row" 1)"
		got=$(summary_values "$H/o.txt" "$row" 3)
		[ "$want" = "$got" ] || { bad=$((bad + 1)); diag "summary '$row': '$got', alone '$want'"; }
	done <<<"$SUMMARY_VMXCAP"
	[ $rc -eq 0 ] && [ $bad -eq 0 ] && grep -q '^set A: host lake cpu 0 (1 CPU): ' "$H/o.txt" &&
		grep -q '^set C: host sky cpu 0 (1 CPU): ' "$H/o.txt" &&
		grep -q '^Source: a dump, .*lake.json' "$H/o.txt" && grep -q '^Source: a dump, .*sky.json' "$H/o.txt" &&
		grep -q '^The sets differ' "$H/o.txt"
	ok $? "$L: hosts: the summary: every host's sets as columns, each the host's own ($k rows), its set lines name the host"

	# A host under a hypervisor (its dump says so) is named with it; "none"
	# would speak for every host.
	jq '.sets[0].hypervisor = true | .sets[0].hypervisor_vendor = "KVMKVMKVM"' "$H/d/sky.json" >"$H/vm.json"
	"$T" --input "$H/d/spr.json" --input "$H/vm.json" >"$H/o.txt"
	grep -q '^Hypervisor: host vm: KVM (signature KVMKVMKVM)' "$H/o.txt" && ! grep -q '^Hypervisor: none' "$H/o.txt"
	ok $? "$L: hosts: the summary names the host that runs under a hypervisor: $(grep '^Hypervisor' "$H/o.txt" | head -n 1)"

	# -- names: alike file names are named by their paths
	cp "$H/d/sky.json" "$H/x/host.json" && cp "$H/d/spr.json" "$H/y/host.json"
	"$T" --input "$H/x/host.json" --input "$H/y/host.json" --require ept >"$H/o.txt"
	grep -q "^vmxcap-show: host $H/x/host: OK" "$H/o.txt" && grep -q "^vmxcap-show: host $H/y/host: OK" "$H/o.txt"
	ok $? "$L: hosts: two files named alike are named by their paths ($(cut -d: -f2 "$H/o.txt" | tr '\n' ' '))"

	# -- errors: exit 2, one line on stderr naming the problem, nothing on stdout
	echo 'host a: 4 CPUs' >"$H/notdump/a.json"
	jq '.sets[0].msrs |= del(.["0x48b"])' "$H/d/sky.json" >"$H/partial.json"
	local cs what
	local -a CASES=(
		"an empty directory|no *.json dump in this directory|--input $H/empty --diff"
		"a directory with a .json that is not a dump|$H/notdump/a.json: JSON: |--input $H/notdump --diff"
		"a missing file among several|$H/none.json: No such file|--input $H/d/sky.json --input $H/none.json --json"
		"the same file twice|$H/d/sky.json given twice|--input $H/d/sky.json --input $H/d/sky.json --diff"
		"--entry with several|--entry picks entries of one --input|--input $DUMPS --input $H/d/sky.json --entry $K --diff"
		"--long with several|--long shows one CPU|--input $H/d --long"
		"--dump with several|--dump writes one machine's dump|--input $H/d/sky.json --input $H/d/spr.json --dump"
		"--flags with several|--flags prints Linux's lines of one machine|--input $H/d --flags"
		"adjust with several|adjust works on one CPU|--input $H/d adjust cr0 0x30"
		"--nested-view with several|--nested-view works on one --input|--input $H/d --nested-view --json"
		"--cpu one host lacks|cpu 1 is not in the dump ($H/d/sky.json)|--input $H/d --cpu 1 --diff"
	)
	# A host --require cannot answer (no IA32_VMX_PROCBASED_CTLS2, which
	# EPT's control is in) says so on its line; the others still answer.
	"$T" --input "$H/d/sky.json" --input "$H/partial.json" --require ept >"$H/bo.txt" 2>"$H/be.txt"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$H/bo.txt")" -eq 2 ] &&
		grep -qx 'vmxcap-show: host sky: OK: cpu 0 offers ept' "$H/bo.txt" &&
		grep -q "^vmxcap-show: host partial: UNKNOWN: cannot tell whether cpu0 offers 'ept': IA32_VMX_PROCBASED_CTLS2" "$H/bo.txt" &&
		[ "$(cat "$H/be.txt")" = "vmxcap-show: cannot tell for 1 of 2 hosts (their UNKNOWN lines say why)" ]
	ok $? "$L: hosts: --require: a host it cannot answer has an UNKNOWN line, the others answer: exit $rc: $(tr '\n' ' ' <"$H/bo.txt")"
	"$T" --input "$H/partial.json" --input "$H/d/spr.json" --require ept,vmcs_shadowing >"$H/bo.txt" 2>"$H/be.txt"
	rc=$?
	[ $rc -eq 1 ] && [ ! -s "$H/be.txt" ] && grep -q '^vmxcap-show: host partial: UNKNOWN: ' "$H/bo.txt" &&
		grep -q '^vmxcap-show: host spr: NO: cpu 0 lacks vmcs_shadowing;' "$H/bo.txt"
	ok $? "$L: hosts: --require: a host that says no outweighs one unknown: exit $rc"
	for cs in "${CASES[@]}"; do
		what=${cs%%|*} cs=${cs#*|}
		want=${cs%%|*} args=${cs#*|}
		# shellcheck disable=SC2086
		"$T" $args >"$H/bo.txt" 2>"$H/be.txt"
		rc=$?
		[ $rc -eq 2 ] && [ "$(wc -l <"$H/be.txt")" -eq 1 ] && [ ! -s "$H/bo.txt" ] &&
			grep -qF -- "$want" "$H/be.txt" && ! grep -Eq 'AddressSanitizer|runtime error' "$H/be.txt"
		ok $? "$L: hosts: bad input: $what -> exit $rc: $(head -n 1 "$H/be.txt")"
	done
}

# host_facts_cases BINARY LABEL: what a dump records of its host (hostname,
# DMI, microcode per set, when and by what), against the machine's own
# files: this machine's /proc, and a copy (make_root, proc_cpuinfo of
# cases-sources.sh) with QEMU's default SMBIOS strings in its DMI files.
host_facts_cases() {
	local T=$1 L=$2 R=$WORK/hostfacts before after want got
	local SKX=bochs:corei7_skylake_x

	# -- this machine: its hostname, each set's microcode as /proc/cpuinfo
	# has it for those CPUs, the time the command ran, the tool's version
	before=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	"$T" --dump >"$WORK/live.json"
	after=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	want=$(awk -F': ' '/^processor/ { p = $2 } /^microcode/ { print p, $2 }' /proc/cpuinfo | sort -n)
	got=$(jq -r '.sets[] | .microcode as $m | .cpus | split(",")[] | split("-") |
		map(tonumber) | range(.[0]; (.[1] // .[0]) + 1) | "\(.) \($m)"' "$WORK/live.json" |
		grep -v ' null$' | sort -n)
	[ "$(jq -r .hostname "$WORK/live.json")" = "$(uname -n)" ] && [ "$got" = "$want" ] &&
		[ "$(jq -r .tool "$WORK/live.json")" = "$("$T" --version | cut -d' ' -f1-2)" ] &&
		[ "$(jq -r .decoder_version "$WORK/live.json")" = "$("$T" --version | sed 's/.*vocabulary \([0-9]*\).*/\1/')" ] &&
		[[ ! "$(jq -r .taken "$WORK/live.json")" < "$before" ]] &&
		[[ ! "$(jq -r .taken "$WORK/live.json")" > "$after" ]]
	ok $? "$L: host facts: a live --dump has uname -n, each CPU's microcode as /proc/cpuinfo says ($(echo "$want" | awk '{ print $2 }' | sort -u | tr '\n' ' ')), the time it ran, the tool and decoder"

	# -- a copy: DMI strings as written, two sets by microcode, no time
	make_root "$R" $SKX 2
	proc_cpuinfo 2 yes "" | awk '/^processor/ { p = $3 } /^microcode/ && p == 1 { sub(/0x1$/, "0x2b000461") } { print }' \
		>"$R/proc/cpuinfo"
	echo builder >"$R/proc/sys/kernel/hostname"
	mkdir -p "$R/sys/class/dmi/id"
	echo QEMU >"$R/sys/class/dmi/id/sys_vendor"
	echo 'Standard PC (i440FX + PIIX, 1996)' >"$R/sys/class/dmi/id/product_name"
	echo SeaBIOS >"$R/sys/class/dmi/id/bios_vendor"
	echo 1.16.2-debian-1.16.2-1 >"$R/sys/class/dmi/id/bios_version"
	echo 04/01/2014 >"$R/sys/class/dmi/id/bios_date"
	"$T" --sysroot "$R" --dump >"$WORK/copy.json"
	jq_true '.hostname == "builder" and .dmi == { "sys_vendor": "QEMU",
		"product_name": "Standard PC (i440FX + PIIX, 1996)", "bios_vendor": "SeaBIOS",
		"bios_version": "1.16.2-debian-1.16.2-1", "bios_date": "04/01/2014" } and
		(has("taken") | not) and (.sets | map("\(.cpus) \(.microcode)")) == ["0 0x1", "1 0x2b000461"]' \
		"$WORK/copy.json" && "$T" --input "$WORK/copy.json" --dump | cmp -s - "$WORK/copy.json"
	ok $? "$L: host facts: a copy's dump has its hostname and DMI strings, no time, a set per microcode; it reads back to the same dump"
	"$T" --input "$WORK/copy.json" >"$WORK/o.txt"
	got=$(awk '/^  host: / { on = 1; print; next } on && /^    / { print; next } { on = 0 }' "$WORK/o.txt" |
		tr '\n' ' ' | tr -s ' ')
	[ "$got" = " host: builder, QEMU Standard PC (i440FX + PIIX, 1996), BIOS SeaBIOS 1.16.2-debian-1.16.2-1 (04/01/2014), by $("$T" --version | cut -d' ' -f1-2) (decoder 1) " ]
	ok $? "$L: host facts: the summary of a dump names its host:$got"
	# Microcode is identity, not capability: --diff groups by capabilities.
	"$T" --input "$WORK/copy.json" --diff >"$WORK/o.txt"
	[ $? -eq 0 ] && grep -qx 'all 2 CPUs (0-1) report identical VMX capabilities' "$WORK/o.txt"
	ok $? "$L: host facts: CPUs that differ only in microcode have identical capabilities (--diff exit 0)"

	# -- older dumps (no host keys) read as before; a bad revision is an error
	jq 'del(.hostname, .dmi, .tool, .decoder_version) | .sets |= map(del(.microcode))' "$WORK/copy.json" >"$WORK/old.json"
	"$T" --input "$WORK/old.json" --dump >"$WORK/o.json" &&
		jq_true '(has("hostname") or has("dmi") or has("taken")) | not' "$WORK/o.json" &&
		! grep -q '^  host:' <("$T" --input "$WORK/old.json")
	ok $? "$L: host facts: a dump without them reads, and writes none"
	jq '.sets[0].microcode = "1b"' "$WORK/copy.json" >"$WORK/bad.json"
	"$T" --input "$WORK/bad.json" >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ $? -eq 2 ] && [ ! -s "$WORK/o.txt" ] && grep -q '"microcode" must be a revision in hex' "$WORK/e.txt"
	ok $? "$L: host facts: a microcode that is not hex is an error: $(cat "$WORK/e.txt")"
}
