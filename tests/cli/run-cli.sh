#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show tests.  The expected values come from outside the tool: QEMU
# vmxcap's and Linux's output for real CPUs (tests/data/reference/), the raw
# fixture values themselves, and values computed by hand from them.  Every
# test runs twice: with the plain build and with the ASan+UBSan build.
# Then the libFuzzer targets run for FUZZ_SECONDS each.
#
# Usage: tests/cli/run-cli.sh        (FUZZ_SECONDS=30 by default)
# Ends with "cli: N passed, N failed"; exits non-zero on a failure.
set -u
cd "$(dirname "$0")/../.."
TOP=$PWD
DATA=$TOP/tests/data
DUMPS=$DATA/vmx-msr-dumps.json
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
BUILD=$TOP/tests/cli/build
# shellcheck source=tests/cli/tap.sh
. "$TOP/tests/cli/tap.sh"

mkdir -p "$BUILD"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# ---- build -------------------------------------------------------------
if ! make -s -C tools vmxcap-show vmxcap-show-san >"$WORK/build.log" 2>&1; then
	cat "$WORK/build.log"
	ok 1 "build tools/vmxcap-show (plain and ASan+UBSan)"
	echo "cli: $passed passed, $failed failed"
	exit 1
fi
ok 0 "build tools/vmxcap-show (plain and ASan+UBSan, -Wall -Wextra -Werror)"
# jq reads the --json output (an independent JSON parser).
command -v jq >/dev/null
ok $? "jq is installed (scripts/deps.sh tools)"

# ---- fixture facts, read with awk from the fixture file ------------------
# One line per entry: id<TAB>vendor<TAB>family_model_stepping<TAB>msr=value ...
awk '
	/^  "id": /		{ id = $0; sub(/^  "id": "/, "", id); sub(/",?$/, "", id) }
	/^  "vendor": /		{ v = $0; sub(/^  "vendor": "/, "", v); sub(/",?$/, "", v); sub(/ .*/, "", v) }
	/^  "family_model_stepping": / { f = $0; sub(/^  "family_model_stepping": "?/, "", f); sub(/[ "].*/, "", f) }
	/^  "msrs": \{/		{ inm = 1; m = ""; next }
	inm && /^  \}/		{ inm = 0; print id "\t" v "\t" f "\t" m; next }
	inm			{ k = $1; val = $2; gsub(/[":,]/, "", k); gsub(/[",]/, "", val); m = m " " k "=" val }
' "$DUMPS" >"$WORK/entries.tsv"
entries=$(wc -l <"$WORK/entries.tsv")
[ "$entries" -eq "$(grep -c '^  "id": ' "$DUMPS")" ]
ok $? "fixture file read: $entries entries"

refname() { echo "$1" | sed 's/[^A-Za-z0-9_.-]/_/g'; }
msr_of_entry() {	# msr_of_entry ID INDEX -> value or nothing
	awk -F'\t' -v id="$1" -v k="$2" '$1 == id {
		n = split($4, a, " ");
		for (i = 1; i <= n; i++) { split(a[i], kv, "="); if (kv[1] == k) print kv[2] } }' \
		"$WORK/entries.tsv"
}

# The synthetic sysfs tree: cpuN = fixture entry N (with VMX values), in the
# pinned format of vmxcap.ko's cpuN/msrs and cpuN/cpuid.
TREE=$WORK/tree/sys/kernel/vmxcap
mkdir -p "$TREE"
make_cpu() {	# make_cpu DIR VENDOR FMS "k=v ..." [HYPERVISOR]
	local dir=$1 fam mod step kv
	mkdir -p "$dir"
	case "$3" in [0-9A-Fa-f]*_*_*) IFS=_ read -r fam mod step <<<"$3" ;; *) fam=0 mod=0 step=0 ;; esac
	printf 'vendor=%s family=0x%x model=0x%x stepping=0x%x hypervisor=%s vmx=1\n' \
		"$2" "0x$fam" "0x$mod" "0x$step" "${5:-0}" >"$dir/cpuid"
	# Slot order is ascending MSR index (0x3a, 0x480-0x493).
	for kv in $4; do
		printf '0x%03x %s\n' "${kv%%=*}" "${kv#*=}"
	done | sort >"$dir/msrs"
}
cpu=0
declare -A CPU_OF SET_FILE
while IFS=$'\t' read -r id vendor fms msrs; do
	case " $msrs " in *" 0x480="*) ;; *) continue ;; esac
	make_cpu "$TREE/cpu$cpu" "$vendor" "$fms" "$msrs"
	CPU_OF[$id]=$cpu
	cpu=$((cpu + 1))
done <"$WORK/entries.tsv"
echo "0-$((cpu - 1))" >"$TREE/cpus"
diag "synthetic sysfs tree: $cpu CPUs under $WORK/tree"
# The same machine as vmxcap.ko 0.2 publishes it: one machine file
# (format 1 of the ABI), each distinct msrs file one set, written here
# from the per-CPU files above, not by the tool.
MTREE=$WORK/mtree/sys/kernel/vmxcap
mkdir -p "$MTREE"
{
	printf 'format 1\ngeneration 1\ncpus 0-%d\n' $((cpu - 1))
	declare -A SET_CPUS=()
	for ((c = 0; c < cpu; c++)); do
		h=$(md5sum <"$TREE/cpu$c/msrs" | cut -d' ' -f1)
		SET_CPUS[$h]="${SET_CPUS[$h]:+${SET_CPUS[$h]},}$c"
		SET_FILE[$h]=$TREE/cpu$c/msrs
	done
	id=0
	for h in "${!SET_CPUS[@]}"; do
		echo "set $id ${SET_CPUS[$h]}"
		cat "${SET_FILE[$h]}"
		id=$((id + 1))
	done
	for ((c = 0; c < cpu; c++)); do
		echo "identity $c $(cat "$TREE/cpu$c/cpuid")"
	done
} >"$MTREE/machine"
diag "the same as a machine file: $(grep -c '^set ' "$MTREE/machine") sets, $(wc -c <"$MTREE/machine") bytes"
# cpuN of the tree is the Nth fixture entry with VMX values.
VMX_ENTRIES=$(awk -F'\t' '$4 ~ / 0x480=/' "$WORK/entries.tsv")
# MSR names of the JSON output: the raw/ file names of
# Documentation/ABI/testing/sysfs-kernel-vmxcap.
# jq: a kernel CPU list ("0-2,5") expanded to its numbers.
JQ_EXPAND='def expand: split(",") | map(split("-") | map(tonumber) |
	if length == 2 then range(.[0]; .[1] + 1) else .[0] end) | .[];'
declare -A MSR_NAME
while read -r name idx; do MSR_NAME[$((idx))]=$name; done <<'EOF2'
feature_control 0x03a
basic 0x480
pinbased_ctls 0x481
procbased_ctls 0x482
exit_ctls 0x483
entry_ctls 0x484
misc 0x485
cr0_fixed0 0x486
cr0_fixed1 0x487
cr4_fixed0 0x488
cr4_fixed1 0x489
vmcs_enum 0x48a
procbased_ctls2 0x48b
ept_vpid_cap 0x48c
true_pinbased_ctls 0x48d
true_procbased_ctls 0x48e
true_exit_ctls 0x48f
true_entry_ctls 0x490
vmfunc 0x491
procbased_ctls3 0x492
exit_ctls2 0x493
EOF2

# vmxcap's section headings and the MSR each one decodes (QEMU's
# scripts/kvm/vmxcap): used to tell which reference lines are checkable.
section_msr() {
	case "$1" in
	"Basic VMX Information") echo 0x480 ;;
	"pin-based controls") echo 0x481 ;;
	"primary processor-based controls") echo 0x482 ;;
	"secondary processor-based controls") echo 0x48b ;;
	"tertiary processor-based controls") echo 0x492 ;;
	"VM-Exit controls") echo 0x483 ;;
	"secondary VM-Exit controls") echo 0x493 ;;
	"VM-Entry controls") echo 0x484 ;;
	"Miscellaneous data") echo 0x485 ;;
	"VPID and EPT capabilities") echo 0x48c ;;
	"VM Functions") echo 0x491 ;;
	*) echo unknown ;;
	esac
}

# The TRUE MSR of the sections that have one: with it, the decoder knows
# the states although the section's own MSR is absent from the dump.
section_true_msr() {
	case "$1" in
	"pin-based controls") echo 0x48d ;;
	"primary processor-based controls") echo 0x48e ;;
	"VM-Exit controls") echo 0x48f ;;
	"VM-Entry controls") echo 0x490 ;;
	*) echo none ;;
	esac
}

# compare_vmxcap ID OURS REF: every line equal, except lines of a section
# whose MSR is absent from the dump (vmxcap read it as 0), where the tool
# says "unknown" or knows the state from the TRUE MSR (test_decoder.c checks
# those states against KVM's own legacy MSRs); counted as skipped.
compare_vmxcap() {
	local id=$1 ours=$2 ref=$3 sec="" msr i=0 same=0 skip=0 bad=0 a b
	local -a A B
	mapfile -t A <"$ours"
	mapfile -t B <"$ref"
	if [ "${#A[@]}" -ne "${#B[@]}" ]; then
		diag "$id: ${#A[@]} lines, reference has ${#B[@]}"
		return 1
	fi
	for ((i = 0; i < ${#B[@]}; i++)); do
		a=${A[$i]} b=${B[$i]}
		[ "${b:0:1}" != " " ] && sec=$b
		if [ "$a" = "$b" ]; then
			same=$((same + 1))
			continue
		fi
		msr=$(section_msr "$sec")
		if [ "${a% *}" = "${b% *}" ] && [ -z "$(msr_of_entry "$id" "$msr")" ] &&
			{ [[ "$a" == *" unknown" ]] ||
			  [ -n "$(msr_of_entry "$id" "$(section_true_msr "$sec")")" ]; }; then
			skip=$((skip + 1))
			continue
		fi
		bad=$((bad + 1))
		diag "$id: line $((i + 1)): ours '$a' vmxcap '$b'"
	done
	CMP_SAME=$((CMP_SAME + same))
	CMP_SKIP=$((CMP_SKIP + skip))
	LAST_SUMMARY="$same lines equal, $skip skipped (MSR not in the dump)"
	[ "$bad" -eq 0 ]
}

# require_linux_flags BINARY ID FLAGS_FILE: --require of every name of
# Linux's vmx flags line for the fixture answers yes, and each flag only
# Linux defines (--list-features' vmx_flags group) that the line lacks is
# not offered (exit 1, or 2 where an MSR Linux reads was not recorded).  A
# dump without IA32_VMX_VMFUNC left flags of other MSRs unknown.
require_linux_flags() {
	local T=$1 id=$2 line n rc bad=0 no=0 unk=0
	line=$(grep '^cpu0 vmx flags' "$3" | sed 's/^[^:]*: //')
	if [ -n "$line" ] && ! "$T" --input "$DUMPS" --entry "$id" --require "${line// /,}" \
		>"$WORK/rq.txt" 2>&1; then
		diag "$id: $(cat "$WORK/rq.txt")"
		bad=1
	fi
	for n in $("$T" --list-features | awk '$2 == "vmx_flags" { print $1 }'); do
		case " $line " in *" $n "*) continue ;; esac
		"$T" --input "$DUMPS" --entry "$id" --require "$n" >/dev/null 2>&1
		rc=$?
		case $rc in
		1) no=$((no + 1)) ;;
		2) unk=$((unk + 1)) ;;
		*) diag "$id: --require $n: exit $rc, but Linux's line lacks it"; bad=1 ;;
		esac
	done
	LAST_SUMMARY="$(echo "$line" | wc -w) offered; absent: $no not offered, $unk unknown"
	return $bad
}

run_suite() {	# run_suite BINARY LABEL
	local T=$1 L=$2 id vendor fms msrs ref flags c out rc
	CMP_SAME=0 CMP_SKIP=0
	local fixtures=0 noref=0

	# -- every fixture with VMX values: --style=vmxcap and --flags, from the dump and from sysfs
	while IFS=$'\t' read -r id vendor fms msrs; do
		case " $msrs " in *" 0x480="*) ;; *) noref=$((noref + 1)); continue ;; esac
		fixtures=$((fixtures + 1))
		ref=$DATA/reference/vmxcap/$(refname "$id").txt
		flags=$DATA/reference/linux-vmx-flags/$(refname "$id").txt
		c=${CPU_OF[$id]}
		"$T" --input "$DUMPS" --entry "$id" --style=vmxcap >"$WORK/o.txt" 2>"$WORK/e.txt"
		rc=$?
		[ $rc -eq 0 ] && compare_vmxcap "$id" "$WORK/o.txt" "$ref"
		ok $? "$L: $id: --input --style=vmxcap equals QEMU vmxcap: $LAST_SUMMARY"
		"$T" --sysfs-root "$WORK/tree" --cpu "$c" --style=vmxcap >"$WORK/s.txt" 2>&1 &&
			compare_vmxcap "$id" "$WORK/s.txt" "$ref" >/dev/null && cmp -s "$WORK/s.txt" "$WORK/o.txt"
		ok $? "$L: $id: the same from a sysfs tree (cpu$c)"
		out=$("$T" --input "$DUMPS" --entry "$id" --flags)
		[ "${out/#cpu0 /}" = "$(grep '^cpu0 vmx flags' "$flags" | sed 's/^cpu0 //')" ]
		ok $? "$L: $id: --flags equals Linux's vmx flags line"
		out=$("$T" --sysfs-root "$WORK/tree" --cpu "$c" --flags)
		[ "${out/#cpu$c /}" = "$(grep '^cpu0 vmx flags' "$flags" | sed 's/^cpu0 //')" ]
		ok $? "$L: $id: sysfs --flags equals Linux's vmx flags line"
		require_linux_flags "$T" "$id" "$flags"
		ok $? "$L: $id: --require agrees with Linux's vmx flags line: $LAST_SUMMARY"
	done <"$WORK/entries.tsv"
	[ "$fixtures" -eq 57 ] && [ "$noref" -eq 2 ]
	ok $? "$L: $fixtures fixtures with VMX values compared ($noref without): $CMP_SAME vmxcap lines equal, $CMP_SKIP skipped"

	# -- the whole tree: one line per CPU for --flags, --json parses, --dump round trip
	out=$("$T" --sysfs-root "$WORK/tree" --flags | wc -l)
	[ "$out" -eq "$cpu" ]
	ok $? "$L: --flags prints one line per CPU of the tree ($out)"
	"$T" --sysfs-root "$WORK/tree" --json >"$WORK/all.json"
	rc=$?
	[ $rc -eq 0 ] && [ "$(jq -r .schema_version "$WORK/all.json")" = 3 ] &&
		[ "$(jq '.cpus | length' "$WORK/all.json")" -eq "$cpu" ]
	ok $? "$L: --json over the tree: schema_version 3, $cpu CPUs"
	# Schema 3: each CPU's raw values (its group's) are the fixture's (by
	# the ABI's MSR names), and its group is the one that lists it; the
	# groups are the distinct msrs files of the tree.
	jq -r '. as $d | .cpus[] | $d.groups[.group].raw as $r |
		"\(.cpu)\t\($r.msrs | to_entries | map("\(.key)=\(.value)") | join(" "))\t\($r.faulted | length)"' \
		"$WORK/all.json" >"$WORK/json-raw.tsv"
	local bad=0 c id want got
	while IFS=$'\t' read -r c got nf; do
		id=$(awk -F'\t' -v c="$c" 'NR == c + 1 { print $1 }' <<<"$VMX_ENTRIES")
		want=$(tr ' ' '\n' <<<"$(awk -F'\t' -v id="$id" '$1 == id { print $4 }' "$WORK/entries.tsv")" |
			sed -n 's/^\(0x[0-9a-f]*\)=/\1 /p' | while read -r k v; do
				printf '%s=0x%016x\n' "${MSR_NAME[$((k))]}" "$v"; done | sort | tr '\n' ' ')
		got=$(tr ' ' '\n' <<<"$got" | sed '/^$/d' | sort | tr '\n' ' ')
		if [ "$want" != "$got" ] || [ "$nf" -ne 0 ]; then
			bad=$((bad + 1))
			diag "cpu$c ($id): raw $got, fixture $want"
		fi
	done <"$WORK/json-raw.tsv"
	[ "$bad" -eq 0 ] && [ "$(wc -l <"$WORK/json-raw.tsv")" -eq "$cpu" ]
	ok $? "$L: --json: every CPU's raw.msrs equals its fixture's values ($cpu CPUs)"
	local distinct
	distinct=$(md5sum "$TREE"/cpu*/msrs | cut -d' ' -f1 | sort -u | wc -l)
	jq_true --argjson n "$distinct" '. as $doc | (.groups | length) == $n and
		(.groups | map(.id) == [range(0; $n)]) and
		all(.cpus[]; . as $c | $c.group < $n and
			($doc.groups[$c.group].cpus | split(",") | any(. as $r | ($r | split("-") | map(tonumber)) as $b |
				$c.cpu >= $b[0] and $c.cpu <= ($b[1] // $b[0])))) and
		all(.groups[]; .decode.controls.procbased2 != null)' "$WORK/all.json"
	ok $? "$L: --json: $distinct groups (the tree's distinct msrs files), each CPU in the group that lists it, one decode per group"
	"$T" --sysfs-root "$WORK/tree" --dump >"$WORK/d1.json" &&
		"$T" --input "$WORK/d1.json" --dump >"$WORK/d2.json" && cmp -s "$WORK/d1.json" "$WORK/d2.json" &&
		"$T" --input "$WORK/d1.json" --json | jq -S 'del(.source, .path)' >"$WORK/j2.json" &&
		jq -S 'del(.source, .path)' "$WORK/all.json" | cmp -s - "$WORK/j2.json" &&
		[ "$(jq -r .source "$WORK/j2.json")" = null ]
	ok $? "$L: --dump of the tree reads back exactly (same --dump, same --json but source and path)"
	# The machine file (set lines in no particular order, CPU lists that
	# are not ranges) reads to the same machine as the per-CPU files.
	"$T" --sysfs-root "$WORK/mtree" --json | jq -S 'del(.source, .path)' >"$WORK/m.json" &&
		jq -S 'del(.source, .path)' "$WORK/all.json" | cmp -s - "$WORK/m.json"
	ok $? "$L: a machine file (format 1) reads to the per-CPU files' --json ($cpu CPUs, $(grep -c '^set ' "$MTREE/machine") sets)"
	local MB=$WORK/mbad/sys/kernel/vmxcap what
	mkdir -p "$MB"
	for what in "format 2" "cpu 1 listed twice" "cpu 2 has no identity line" "cpu 8000 is not in 'cpus'" \
		"an MSR outside a set" "truncated (no newline)"; do
		case $what in
		"format 2") sed '1s/.*/format 2/' "$MTREE/machine" ;;
		"cpu 1 listed twice") sed 's/^\(set [0-9]* \)\(.*\)/\1\2,1/' "$MTREE/machine" | sed '0,/,1$/s/,1$//' ;;
		"cpu 2 has no identity line") grep -v '^identity 2 ' "$MTREE/machine" ;;
		"cpu 8000 is not in 'cpus'") sed '$s/^identity [0-9]*/identity 8000/' "$MTREE/machine" ;;
		"an MSR outside a set") sed '3a 0x480 0x0000000000000000' "$MTREE/machine" ;;
		"truncated (no newline)") head -c -1 "$MTREE/machine" ;;
		esac >"$MB/machine"
		"$T" --sysfs-root "$WORK/mbad" >/dev/null 2>"$WORK/mbad.err"
		rc=$?
		[ $rc -eq 2 ] && grep -qF "$what" "$WORK/mbad.err"
		ok $? "$L: machine file with $what: exit 2: $(cat "$WORK/mbad.err")"
	done
	# Dump version 2 stores each distinct raw set and identity once: as
	# many sets as the tree has distinct (msrs, cpuid) file pairs, and each
	# CPU of a set (its list expanded by jq, not by the tool) has exactly
	# its own msrs file's values.
	local pairs c f
	pairs=$(for c in "$TREE"/cpu[0-9]*; do cat "$c/msrs" "$c/cpuid" | md5sum; done | sort -u | wc -l)
	jq -r "$JQ_EXPAND"' .sets[] | (.cpus | expand) as $c |
		.msrs | to_entries[] | "\($c) \(.key) \(.value)"' "$WORK/d1.json" |
		while read -r c k v; do printf 'cpu%s 0x%03x %s\n' "$c" "$k" "$v"; done |
		sort >"$WORK/sets-msrs.txt"
	for f in "$TREE"/cpu[0-9]*/msrs; do
		c=${f%/msrs}; c=${c##*/}
		sed "s/^/$c /" "$f"
	done | sort >"$WORK/tree-msrs.txt"
	[ "$(jq -r .version "$WORK/d1.json")" = 2 ] && [ "$(jq '.sets | length' "$WORK/d1.json")" -eq "$pairs" ] &&
		cmp -s "$WORK/sets-msrs.txt" "$WORK/tree-msrs.txt"
	ok $? "$L: --dump version 2: $pairs sets (the tree's distinct msrs+cpuid pairs); every CPU of a set has its msrs file's values ($(wc -l <"$WORK/tree-msrs.txt") lines)"
	# Version 1 (one object per CPU, made from the version 2 dump by jq)
	# still reads, to the same machine.
	jq "$JQ_EXPAND"' {format, version: 1, cpus: [.sets[] as $s | ($s.cpus | expand) as $c |
		{cpu: $c} + ($s | del(.cpus))] | sort_by(.cpu)}' "$WORK/d1.json" >"$WORK/v1.json" &&
		[ "$(jq '.cpus | length' "$WORK/v1.json")" -eq "$cpu" ] &&
		"$T" --input "$WORK/v1.json" --dump | cmp -s - "$WORK/d1.json"
	ok $? "$L: --input reads a version 1 dump ($cpu CPU objects) to the same --dump"
	# A CPU that goes offline while the tree is read is left out; one the
	# tree still lists is an error.  The reader blocks on a FIFO as cpu0's
	# msrs; meanwhile the last CPU leaves (its folder and its place in cpus).
	local R=$WORK/race last rest
	for k in gone listed; do
		rm -rf "$R" && cp -r "$TREE" "$R"
		last=$(find "$R" -maxdepth 1 -name 'cpu[0-9]*' | sed 's/.*cpu//' | sort -n | tail -n 1)
		rest=$(( last - 1 ))
		echo "0-$last" >"$R/cpus"
		mv "$R/cpu0/msrs" "$R/msrs0" && mkfifo "$R/cpu0/msrs"
		timeout 60 "$T" --sysfs-root "$R" --flags >"$WORK/race.out" 2>"$WORK/race.err" &
		# Opening the FIFO returns once the tool has opened it: it has read cpus.
		# shellcheck disable=SC2016 # the inner script's own arguments
		timeout 30 bash -c 'exec 7>"$1/cpu0/msrs" && rm -r "$1/cpu$2" &&
			{ [ "$3" != gone ] || echo "0-$4" >"$1/cpus"; } && cat "$1/msrs0" >&7' \
			_ "$R" "$last" "$k" "$rest"
		wait $!
		rc=$?
		if [ $k = gone ]; then
			[ $rc -eq 0 ] && [ "$(wc -l <"$WORK/race.out")" -eq "$last" ] &&
				! grep -q "^cpu$last " "$WORK/race.out" && [ ! -s "$WORK/race.err" ]
			ok $? "$L: cpu$last going offline during the read is left out: exit 0, $last CPUs"
		else
			[ $rc -eq 2 ] && [ ! -s "$WORK/race.out" ] && grep -q "cpu$last/msrs: No such file" "$WORK/race.err"
			ok $? "$L: cpu$last missing but still listed: exit 2: $(cat "$WORK/race.err")"
		fi
	done
	# Hand-computed from the i7-6700K's raw values: IA32_VMX_BASIC
	# 0x00da040000000004 bits 44:32 = 0x400; IA32_VMX_MISC 0x7004c1e7 bits
	# 4:0 = 7; IA32_VMX_PROCBASED_CTLS2 0x001ffcff00000000 allowed-1 bit 1.
	local K6=vbox-cpudb:Intel_Core_i7_6700K b6 m6 p6
	b6=$(msr_of_entry $K6 0x480) m6=$(msr_of_entry $K6 0x485) p6=$(msr_of_entry $K6 0x48b)
	"$T" --input "$DUMPS" --entry $K6 --json >"$WORK/k.json"
	[ "$(jq -r '.groups[.cpus[0].group].decode | "\(.controls.procbased2.controls.ept) \(.basic.vmcs_size) \(.misc.preemption_timer_shift)"' "$WORK/k.json")" = \
		"$( (((p6 >> 33) & 1)) && echo yes || echo no) $(((b6 >> 32) & 0x1fff)) $((m6 & 0x1f))" ] &&
		[ "$(jq -r '.groups[.cpus[0].group].decode | "\(.controls.procbased2.controls.ept) \(.basic.vmcs_size) \(.misc.preemption_timer_shift)"' "$WORK/k.json")" = "yes 1024 7" ] &&
		[ "$(jq -r '.groups[.cpus[0].group].raw.msrs.basic' "$WORK/k.json")" = "$(printf '0x%016x' "$b6")" ] &&
		[ "$(jq -r '.cpus[0] | "\(.id) \(.identity.family) \(.identity.model)"' "$WORK/k.json")" = "$K6 6 94" ]
	ok $? "$L: --json i7-6700K: procbased2.ept yes, basic.vmcs_size 1024, misc.preemption_timer_shift 7 (from the raw values by hand), raw.basic $b6"
	"$T" --sysfs-root "$TREE" --cpu 0 --style=vmxcap | cmp -s - <("$T" --sysfs-root "$WORK/tree" --cpu 0 --style=vmxcap)
	ok $? "$L: --sysfs-root accepts the vmxcap folder itself"

	# -- --diff on the two Lakefield entries merged into one dump
	local LB=instlatx64:GenuineIntel00806A1_Lakefield_CPUID:big-core
	local LS=instlatx64:GenuineIntel00806A1_Lakefield_CPUID:small-cores
	"$T" --input "$DUMPS" --entry "$LB" --entry "$LS" --dump >"$WORK/lakefield.json"
	"$T" --input "$WORK/lakefield.json" --diff >"$WORK/diff.txt"
	rc=$?
	local pb ps
	pb=$(msr_of_entry "$LB" 0x48b) ps=$(msr_of_entry "$LS" 0x48b)
	[ $rc -eq 1 ] && grep -q "^2 groups of CPUs" "$WORK/diff.txt" &&
		grep -Eq "^raw\.procbased_ctls2 +$pb +$ps\$" "$WORK/diff.txt" &&
		grep -Eq "^procbased2\.bus_lock_detection +yes +no\$" "$WORK/diff.txt"
	ok $? "$L: --diff Lakefield big vs small: exit 1, 2 groups, PROCBASED_CTLS2 $pb vs $ps (bit 62 = allowed-1 bit 30, VMM bus-lock detection)"
	sed 's/^/#   /' "$WORK/diff.txt"
	"$T" --sysfs-root "$WORK/tree" --cpu 0 --diff >/dev/null
	ok $? "$L: --diff on one CPU: identical, exit 0"
	"$T" --input "$WORK/lakefield.json" --diff --json | grep -q '"vmxcap-diff"'
	ok $? "$L: --diff --json (libsmartcols JSON)"
	# Long CPU lists: columns "group A", "group B" on screen (the lists are
	# on the lines above), the lists themselves in JSON.
	jq '.sets[0].cpus = "0-2,4-6,8-10,12-14" | .sets[1].cpus = "3,7,11,15"' \
		"$WORK/lakefield.json" >"$WORK/lake16.json"
	"$T" --input "$WORK/lake16.json" --diff >"$WORK/diff16.txt"
	[ $? -eq 1 ] && grep -Eq '^ITEM +group A +group B$' "$WORK/diff16.txt" &&
		grep -q '^group A: cpu 0-2,4-6,8-10,12-14 (12 CPUs)' "$WORK/diff16.txt" &&
		"$T" --input "$WORK/lake16.json" --diff --json |
		jq_true '.groups | map(.cpus) == ["0-2,4-6,8-10,12-14", "3,7,11,15"]'
	ok $? "$L: --diff with long CPU lists: columns group A/B on screen, the lists in JSON"
	# Values are never cut: the identity of CPUs with no hypervisor bit.
	"$T" --input "$DUMPS" --diff | grep '^identity ' >"$WORK/ident.txt"
	grep -q 'hypervisor: unknown' "$WORK/ident.txt" && ! grep -Eq 'hypervisor: [a-z]*( |$)' <(sed 's/hypervisor: unknown//g' "$WORK/ident.txt")
	ok $? "$L: --diff over all fixtures: identity values whole ('hypervisor: unknown')"

	# -- --require (facts from the vmxcap references of the 6700K)
	local K=vbox-cpudb:Intel_Core_i7_6700K
	grep -Eq 'Enable EPT +yes' "$DATA/reference/vmxcap/$(refname $K).txt"
	"$T" --input "$DUMPS" --entry $K --require ept,vpid,unrestricted_guest >"$WORK/r.txt"
	rc=$?
	# One CPU (a single fixture entry) is "cpu 0", not "all 1 CPUs".
	[ $rc -eq 0 ] && grep -qx 'vmxcap-show: OK: cpu 0 offers ept, vpid, unrestricted_guest' "$WORK/r.txt"
	ok $? "$L: --require ept,vpid,unrestricted_guest on i7-6700K: exit 0: $(cat "$WORK/r.txt")"
	grep -Eq 'TSC scaling +no' "$DATA/reference/vmxcap/$(refname $K).txt"
	"$T" --input "$DUMPS" --entry $K --require ept,tsc_scaling >"$WORK/r.txt"
	rc=$?
	[ $rc -eq 1 ] && grep -q 'lacks tsc_scaling' "$WORK/r.txt"
	ok $? "$L: --require ept,tsc_scaling on i7-6700K: exit 1: $(cat "$WORK/r.txt")"
	"$T" --input "$WORK/lakefield.json" --require procbased2.bus_lock_detection >"$WORK/r.txt"
	rc=$?
	[ $rc -eq 1 ] && grep -q 'cpu 1 lacks procbased2.bus_lock_detection' "$WORK/r.txt"
	ok $? "$L: --require on Lakefield: exit 1 naming the small core: $(cat "$WORK/r.txt")"
	"$T" --input "$DUMPS" --entry $K --require flexpriority,ept_1gb,invept >/dev/null
	ok $? "$L: --require accepts synthetic Linux flags and capability bits"
	# Firmware locked VMX off (IA32_FEATURE_CONTROL = 1) under a hypervisor.
	local FW=$WORK/fw/vmxcap
	rm -rf "$FW"; mkdir -p "$FW"
	cp -r "$TREE/cpu${CPU_OF[$K]}" "$FW/cpu0"
	sed -i 's/^0x03a .*/0x03a 0x0000000000000001/' "$FW/cpu0/msrs"
	sed -i 's/hypervisor=0/hypervisor=1/' "$FW/cpu0/cpuid"
	"$T" --sysfs-root "$FW" --require ept >"$WORK/r.txt"
	rc=$?
	[ $rc -eq 1 ] && grep -q 'disabled by firmware' "$WORK/r.txt" && grep -q 'hypervisor' "$WORK/r.txt"
	ok $? "$L: --require with VMX locked off by firmware, under a hypervisor: exit 1: $(cat "$WORK/r.txt")"
	"$T" --sysfs-root "$FW" | grep -q '^VMX: disabled by firmware (cpu 0)' &&
		"$T" --sysfs-root "$FW" --long | grep -q '^VMX: disabled_by_firmware'
	ok $? "$L: default output and --long give the feature-control verdict"

	# -- adjust, against values computed by hand from the raw MSRs
	# i7-6700K IA32_VMX_PROCBASED_CTLS2 = 0x001ffcff00000000: allowed-1 0x001ffcff,
	# wanted ept(1)|vpid(5)|unrestricted_guest(7) = 0xa2, all allowed.
	out=$("$T" --input "$DUMPS" --entry $K adjust procbased2 ept,vpid,unrestricted_guest)
	grep -q 'program:    0x000000a2' <<<"$out" && grep -q 'dropped:    0x00000000' <<<"$out"
	ok $? "$L: adjust procbased2 ept,vpid,unrestricted_guest on i7-6700K = 0xa2"
	# CR0: FIXED0 0x80000021, FIXED1 0xffffffff: 0x30 -> 0x80000031 (PE, PG set);
	# with unrestricted guest PE and PG are waived: 0x30 stays 0x30.
	out=$("$T" --input "$DUMPS" --entry $K adjust cr0 0x30)
	grep -q 'program:    0x0000000080000031' <<<"$out" && grep -q '^  +pe' <<<"$out" && grep -q '^  +pg' <<<"$out"
	ok $? "$L: adjust cr0 0x30 on i7-6700K = 0x80000031 (+pe +pg)"
	out=$("$T" --input "$DUMPS" --entry $K adjust cr0 0x30 --unrestricted-guest)
	grep -q 'program:    0x0000000000000030' <<<"$out" && grep -q '^  =pe' <<<"$out"
	ok $? "$L: adjust cr0 0x30 --unrestricted-guest on i7-6700K stays 0x30 (PE, PG waived)"
	# Xeon X5482 IA32_VMX_PROCBASED_CTLS2 = 0x0000004100000000: allowed-1 0x41;
	# wanted 0x43 -> 0x41, EPT (bit 1) dropped.
	out=$("$T" --input "$DUMPS" --entry vbox-cpudb:Intel_Xeon_X5482_3_20GHz adjust procbased2 0x43)
	grep -q 'program:    0x00000041' <<<"$out" && grep -q 'dropped:    0x00000002  ept' <<<"$out"
	ok $? "$L: adjust procbased2 0x43 on Xeon X5482 = 0x41, ept dropped"
	# Core 2 X6800: no TRUE MSRs, IA32_VMX_PROCBASED_CTLS low half 0x0401e172 is forced.
	out=$("$T" --input "$DUMPS" --entry vbox-cpudb:Intel_Core2_X6800_2_93GHz adjust procbased 0)
	grep -q 'program:    0x0401e172' <<<"$out" && grep -q 'forced on:  0x0401e172' <<<"$out"
	ok $? "$L: adjust procbased 0 on Core 2 X6800 = 0x0401e172 (default1 bits forced)"
	"$T" --input "$DUMPS" --entry vbox-cpudb:Intel_Core2_X6800_2_93GHz adjust cr0 0x30 -u >/dev/null
	[ $? -eq 1 ]
	ok $? "$L: adjust cr0 -u on Core 2 X6800 (no secondary controls): exit 1"

	# -- output forms
	"$T" --input "$DUMPS" --entry $K --long >"$WORK/h.txt"
	grep -q '^Consistency checks: no problems' "$WORK/h.txt" && grep -q '^CR0 in VMX operation' "$WORK/h.txt" &&
		grep -q '^VMCS enumeration' "$WORK/h.txt" && grep -q 'hypervisor: unknown' "$WORK/h.txt" &&
		grep -q '^Bits with no name' "$WORK/h.txt" && ! grep -q $'\e\\[' "$WORK/h.txt"
	ok $? "$L: --long: all sections, no colour when not a terminal"
	"$T" --input "$DUMPS" --entry $K --color=always | grep -q $'\e\\['
	ok $? "$L: --color=always colours"
	"$T" --sysfs-root "$WORK/tree" --long | grep -q 'NOT identical' &&
		"$T" --sysfs-root "$WORK/tree" | grep -q '^The sets differ: vmxcap-show --diff says how'
	ok $? "$L: default output and --long say the CPUs are not identical"
	"$T" --version | grep -Eq '^vmxcap-show [0-9]'
	ok $? "$L: --version"
	"$T" --help | grep -q -- '--require'
	ok $? "$L: --help"

	# -- bad input: one line on stderr naming the problem, exit 2, nothing on stdout
	printf '{"msrs": {"0x480": }' >"$WORK/bad-malformed.json"
	head -c 300 "$WORK/lakefield.json" >"$WORK/bad-truncated.json"
	printf '{"msrs": {"0x480": 5}}' >"$WORK/bad-type.json"
	printf '{"msrs": {"0x999": "0x1"}}' >"$WORK/bad-msr.json"
	printf '{"msrs": {"0x480": "0x12345678901234567"}}' >"$WORK/bad-wide.json"
	: >"$WORK/bad-empty.json"
	printf '{"format": "vmxcap-dump", "version": 3, "sets": []}' >"$WORK/bad-version.json"
	local M='"msrs": {"0x480": "0x00da040000000004"}'
	printf '{"format": "vmxcap-dump", "version": 2, "sets": [{"cpus": "0-1", %s}, {"cpus": "1", %s}]}' \
		"$M" "$M" >"$WORK/bad-twice.json"
	printf '{"format": "vmxcap-dump", "version": 2, "sets": [{"cpus": "3-1", %s}]}' "$M" >"$WORK/bad-range.json"
	printf '{"format": "vmxcap-dump", "version": 2, "sets": [{"cpus": [0, 1], %s}]}' "$M" >"$WORK/bad-setcpus.json"
	printf '{"format": "vmxcap-dump", "version": 2, "cpus": [{"cpu": 0, %s}]}' "$M" >"$WORK/bad-nosets.json"
	head -c 4096 /dev/urandom >"$WORK/bad-binary.json"
	local G=$WORK/garbled
	rm -rf "$G"; mkdir -p "$G"
	cp -r "$TREE/cpu0" "$G/"
	mkdir -p "$G/a" "$G/b" "$G/c" "$G/d" "$G/e"
	cp -r "$TREE/cpu0" "$G/a/"; echo "0x480 garbage" >"$G/a/cpu0/msrs"
	cp -r "$TREE/cpu0" "$G/b/"; printf '0x480 0x00da04' >"$G/b/cpu0/msrs"
	cp -r "$TREE/cpu0" "$G/c/"; echo "vendor=GenuineIntel family=0x6" >"$G/c/cpu0/cpuid"
	cp -r "$TREE/cpu0" "$G/d/"; echo "0-3" >"$G/d/cpus"
	cp -r "$TREE/cpu0" "$G/e/"; head -n 1 "$G/e/cpu0/msrs" >>"$G/e/cpu0/msrs"
	local -a CASES=(
		"malformed JSON|--input $WORK/bad-malformed.json"
		"truncated dump|--input $WORK/bad-truncated.json"
		"MSR value not a string|--input $WORK/bad-type.json"
		"not a VMX MSR index|--input $WORK/bad-msr.json"
		"value wider than 64 bits|--input $WORK/bad-wide.json"
		"empty file|--input $WORK/bad-empty.json"
		"unsupported dump version|--input $WORK/bad-version.json"
		"dump v2: a CPU in two sets|--input $WORK/bad-twice.json"
		"dump v2: bad CPU range|--input $WORK/bad-range.json"
		"dump v2: cpus not a CPU list|--input $WORK/bad-setcpus.json"
		"dump v2 without sets|--input $WORK/bad-nosets.json"
		"binary garbage|--input $WORK/bad-binary.json"
		"nonexistent file|--input $WORK/nonexistent.json"
		"a directory without dumps (*.json)|--input $WORK/tree"
		"unknown --entry id|--input $DUMPS --entry no-such-cpu"
		"garbled sysfs msrs|--sysfs-root $G/a"
		"truncated sysfs msrs|--sysfs-root $G/b"
		"sysfs cpuid missing keys|--sysfs-root $G/c"
		"sysfs cpus lists missing CPUs|--sysfs-root $G/d"
		"sysfs MSR listed twice|--sysfs-root $G/e"
		"nonexistent --sysfs-root|--sysfs-root $WORK/none"
		"unknown feature|--input $DUMPS --entry $K --require ept,warp_drive"
		"ambiguous feature|--input $DUMPS --entry $K --require load_pat"
		"CPU out of range|--sysfs-root $WORK/tree --cpu 200"
		"bad CPU list|--sysfs-root $WORK/tree --cpu 3-1"
		"unknown adjust field|--input $DUMPS --entry $K adjust cr9 0x1"
		"unknown control in adjust|--input $DUMPS --entry $K adjust procbased2 ept,warp"
		"32-bit field value too wide|--input $DUMPS --entry $K adjust procbased2 0x100000000"
		"unknown option|--frobnicate"
		"option without its argument|--input"
		"two outputs at once|--json --flags --input $DUMPS"
	)
	local cs what args lines
	for cs in "${CASES[@]}"; do
		what=${cs%%|*} args=${cs#*|}
		# shellcheck disable=SC2086
		"$T" $args >"$WORK/bo.txt" 2>"$WORK/be.txt"
		rc=$?
		lines=$(wc -l <"$WORK/be.txt")
		[ $rc -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$WORK/bo.txt" ] &&
			! grep -Eq 'AddressSanitizer|runtime error' "$WORK/be.txt"
		ok $? "$L: bad input: $what -> exit $rc: $(head -n 1 "$WORK/be.txt")"
	done
	sources_cases "$T" "$L"
	answers_cases "$T" "$L"
	hv_cases "$T" "$L"
	hv_required_cases "$T" "$L"
	hosts_cases "$T" "$L"
	host_facts_cases "$T" "$L"
	fingerprint_cases "$T" "$L"
	output_cases "$T" "$L"
	facts_cases "$T" "$L"
	baseline_cases "$T" "$L"
	prometheus_cases "$T" "$L"
}

# shellcheck source=tests/cli/cases-sources.sh
. "$TOP/tests/cli/cases-sources.sh"
# shellcheck source=tests/cli/cases-answers.sh
. "$TOP/tests/cli/cases-answers.sh"
# shellcheck source=tests/cli/cases-hv.sh
. "$TOP/tests/cli/cases-hv.sh"
# shellcheck source=tests/cli/cases-fingerprint.sh
. "$TOP/tests/cli/cases-fingerprint.sh"
# shellcheck source=tests/cli/cases-output.sh
. "$TOP/tests/cli/cases-output.sh"
# shellcheck source=tests/cli/cases-hosts.sh
. "$TOP/tests/cli/cases-hosts.sh"
# shellcheck source=tests/cli/cases-facts.sh
. "$TOP/tests/cli/cases-facts.sh"
# shellcheck source=tests/cli/cases-baseline.sh
. "$TOP/tests/cli/cases-baseline.sh"
# shellcheck source=tests/cli/cases-prometheus.sh
. "$TOP/tests/cli/cases-prometheus.sh"

run_suite tools/vmxcap-show plain
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_suite tools/vmxcap-show-san asan+ubsan

# ---- make run on this machine (no VMX: an AMD VM): its answer, then the
# demo's cost, then the demo (here: a stand-in)
if ! grep -q '^flags.* vmx' /proc/cpuinfo; then
	VMXCAP_RUN_DEMO="echo DEMO-STARTS" tools/run-main.sh >"$WORK/run.txt" 2>&1
	rc=$?
	awk '/^VMX: / && !v { v = NR } /^demo: (downloads|nothing to download)/ && !c { c = NR }
		/^DEMO-STARTS$/ { d = NR } END { exit !(v && c && d && v < c && c < d) }' "$WORK/run.txt"
	ok $? "make run without VMX: this machine's answer, then what the demo downloads and takes, then the demo"
	grep -E '^(VMX|demo):' "$WORK/run.txt" | sed 's/^/#   /'
fi

# ---- the glossary and the bash completion (their own scripts) -------------
for t in check-glossary check-completion check-kvm-cites; do
	"$TOP/tests/cli/$t.sh" >"$WORK/$t.log" 2>&1
	rc=$?
	grep -v '^ok' "$WORK/$t.log" | sed 's/^/# /'
	ok $rc "$t.sh: $(tail -n 1 "$WORK/$t.log")"
done

# ---- the msr source against msr.ko's behaviour (tests/cli/test_msr.c) ------
MSR_SRCS="tools/msr.c tools/util.c tools/cpulist.c tools/machine.c tools/cpuid.c tools/sysfs.c tools/sysfs-machine.c"
MR=$WORK/msr-root
mkdir -p "$MR/dev/cpu/0" "$MR/sys/devices/system/cpu"
echo 0 >"$MR/sys/devices/system/cpu/online"
ln -s /dev/null "$MR/dev/cpu/0/msr"
printf '0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n0x00000001 0x00: eax=0x00050654 ebx=0 ecx=0x00000020 edx=0\n' \
	>"$MR/dev/cpu/0/cpuid"
for v in plain san; do
	extra=""
	[ $v = san ] && extra="-fsanitize=address,undefined -fno-sanitize-recover=all"
	# shellcheck disable=SC2086 # word lists on purpose
	if gcc -std=c11 -Wall -Wextra -Werror -O1 -g $extra -I"$TOP/include" -I"$TOP/tools" \
		-Wl,--wrap=pread,--wrap=pwrite,--wrap=write,--wrap=ioctl -o "$BUILD/test_msr-$v" \
		tests/cli/test_msr.c $MSR_SRCS include/vmxcap/decoder.c >"$WORK/tm.log" 2>&1; then
		"$BUILD/test_msr-$v" "$MR" >"$WORK/tm.out" 2>&1
		rc=$?
		grep -v '^ok' "$WORK/tm.out" | sed 's/^/# /'
		ok $rc "$v: the msr source against a device that acts as msr.ko: $(tail -n 1 "$WORK/tm.out")"
	else
		cat "$WORK/tm.log"
		ok 1 "$v: build tests/cli/test_msr.c"
	fi
done

# ---- CPU lists cut to fit: whole items only (tests/cli/test_cpulist.c) -----
for v in plain san; do
	extra=""
	[ $v = san ] && extra="-fsanitize=address,undefined -fno-sanitize-recover=all"
	# shellcheck disable=SC2086 # word lists on purpose
	if gcc -std=c11 -Wall -Wextra -Werror -O1 -g $extra -I"$TOP/include" -I"$TOP/tools" \
		-o "$BUILD/test_cpulist-$v" tests/cli/test_cpulist.c tools/cpulist.c tools/util.c \
		>"$WORK/tc.log" 2>&1; then
		"$BUILD/test_cpulist-$v" >"$WORK/tc.out" 2>&1
		rc=$?
		head -n 5 "$WORK/tc.out" | grep -v 'lists checked' | sed 's/^/# /'
		ok $rc "$v: CPU lists cut to fit end in whole items and ',...': $(tail -n 1 "$WORK/tc.out")"
	else
		cat "$WORK/tc.log"
		ok 1 "$v: build tests/cli/test_cpulist.c"
	fi
done

# ---- libFuzzer: the dump parser and the sysfs reader -----------------------
JSONC_LIBS=$(pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
JSONC_CFLAGS=$(pkg-config --cflags json-c 2>/dev/null)
# The readers the targets exercise, and what they need.
FUZZ_SRCS="tools/util.c tools/cpulist.c tools/machine.c tools/sysfs.c tools/sysfs-machine.c tools/dump.c tools/jsonw.c
	tools/fingerprint.c tools/sha256.c
	tools/suggest.c tools/cpuinfo.c tools/cpuid.c"
for f in fuzz_dump fuzz_sysfs fuzz_cpuinfo; do
	# shellcheck disable=SC2086
	if ! clang -std=c11 -Wall -Wextra -Werror -g -O1 -I"$TOP/include" -I"$TOP/tools" $JSONC_CFLAGS \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o "$BUILD/$f" "tests/cli/$f.c" $FUZZ_SRCS include/vmxcap/decoder.c \
		$JSONC_LIBS >"$WORK/fb.log" 2>&1; then
		cat "$WORK/fb.log"
		ok 1 "build $f (clang, libFuzzer, ASan+UBSan)"
		continue
	fi
	corpus=$WORK/corpus-$f
	mkdir -p "$corpus"
	# Seeds: real dumps, a real sysfs CPU, /proc/cpuinfo as Linux writes it.
	if [ $f = fuzz_cpuinfo ]; then
		cp "$WORK/roots/ok/proc/cpuinfo" "$corpus/seed1"
		cp "$WORK/roots/amd/proc/cpuinfo" "$corpus/seed2"
	elif [ $f = fuzz_dump ]; then
		cp "$WORK/lakefield.json" "$corpus/seed1"
		printf '{"msrs": {"0x480": "0x00da040000000004"}}' >"$corpus/seed2"
		cp "$WORK/v1.json" "$corpus/seed3"
		cp "$WORK/baseline/two.json" "$corpus/seed4"	# a baseline's: "baseline_of"
	else
		{ cat "$TREE/cpus"; printf '\0'; cat "$TREE/cpu0/msrs"; printf '\0'
		  cat "$TREE/cpu0/cpuid"; } >"$corpus/seed1"
		{ printf '\0\0\0\0\0'; head -c 4000 "$MTREE/machine"; } >"$corpus/seed2"
		cp "$MTREE/machine" "$corpus/seed3"
	fi
	"$BUILD/$f" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -artifact_prefix="$BUILD/$f-" \
		"$corpus" >"$WORK/f.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/f.log")
	[ $rc -eq 0 ] || tail -n 30 "$WORK/f.log"
	ok $rc "$f: ${runs:-?} executions in $FUZZ_SECONDS s, no crash, no UB"
done

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
