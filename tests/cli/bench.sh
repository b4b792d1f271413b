#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show speed on a 1024-CPU machine: builds a synthetic sysfs tree
# (cpuN/msrs + cpuN/cpuid in vmxcap.ko's pinned format, values of a real
# Skylake-X with every 4th CPU's secondary controls differing, as a hybrid
# part would) and a 1024-CPU dump of it, then times --json and --diff over
# all CPUs against the floor: merely reading the same 2048 files (one cat).
# Uses hyperfine when installed, else a loop of RUNS runs (median).
#
# Usage: tests/cli/bench.sh [NCPUS]     (RUNS=30 by default)
# Goal: at most 50 ms and at most 2x the floor.
set -eu
cd "$(dirname "$0")/../.."
NCPUS=${1:-1024}
RUNS=${RUNS:-30}
T=$PWD/tools/vmxcap-show
make -s -C tools vmxcap-show
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TREE=$WORK/sys/kernel/vmxcap
mkdir -p "$TREE"

# Skylake-X values (Bochs corei7_skylake_x entry of tests/data), in slot order.
"$T" --input tests/data/vmx-msr-dumps.json --entry bochs:corei7_skylake_x --dump |
	sed -n 's/^ *"0x\([0-9a-f]*\)": "\(0x[0-9a-f]*\)",*$/\1 \2/p' |
	while read -r k v; do printf '0x%03x %s\n' "0x$k" "$v"; done >"$WORK/msrs"
sort -o "$WORK/msrs" "$WORK/msrs"
sed 's/^\(0x48b 0x\)0/\11/' "$WORK/msrs" >"$WORK/msrs-b"	# allowed-1 bit 28 differs
for ((i = 0; i < NCPUS; i++)); do
	mkdir "$TREE/cpu$i"
	if ((i % 4 == 3)); then cp "$WORK/msrs-b" "$TREE/cpu$i/msrs"; else cp "$WORK/msrs" "$TREE/cpu$i/msrs"; fi
	echo "vendor=GenuineIntel family=0x6 model=0x55 stepping=0x4 hypervisor=0 vmx=1" >"$TREE/cpu$i/cpuid"
done
echo "0-$((NCPUS - 1))" >"$TREE/cpus"
"$T" --sysfs-root "$WORK" --dump >"$WORK/dump.json"
echo "synthetic machine: $NCPUS CPUs, $(wc -l <"$WORK/msrs") MSRs each; dump $(wc -c <"$WORK/dump.json") bytes"
echo "output sizes: --json $("$T" --sysfs-root "$WORK" --json | wc -c) bytes, --diff $("$T" --sysfs-root "$WORK" --diff | wc -l) lines"

# Warm the page cache, then time.
cat "$TREE"/cpu*/msrs "$TREE"/cpu*/cpuid >/dev/null
floor_cmd="cat $TREE/cpu*/msrs $TREE/cpu*/cpuid"

declare -A RESULT CPU
measure() {	# measure NAME COMMAND: median wall time in ms into RESULT[NAME]
	local name=$1 cmd=$2 i t0 t1 ms
	if command -v hyperfine >/dev/null; then
		hyperfine -N -i --warmup 3 --runs "$RUNS" --export-json "$WORK/h.json" "$cmd" >/dev/null 2>&1 ||
			hyperfine -i --warmup 3 --runs "$RUNS" --export-json "$WORK/h.json" "$cmd" >/dev/null
		ms=$(sed -n 's/.*"median": *\([0-9.e-]*\).*/\1/p' "$WORK/h.json" | head -n 1)
		RESULT[$name]=$(awk -v s="$ms" 'BEGIN { printf "%.1f", s * 1000 }')
		# CPU time (user + system) is steadier than wall time on a busy machine.
		CPU[$name]=$(awk -F'[:,]' '/"user":/ { u = $2 } /"system":/ { s = $2 } END { printf "%.1f", (u + s) * 1000 }' "$WORK/h.json")
		return
	fi
	: >"$WORK/times"
	for ((i = 0; i < RUNS + 3; i++)); do
		t0=$(date +%s%N)
		bash -c "$cmd" >/dev/null || true	# --diff exits 1: CPUs differ
		t1=$(date +%s%N)
		((i >= 3)) && echo $(((t1 - t0) / 1000)) >>"$WORK/times"
	done
	RESULT[$name]=$(sort -n "$WORK/times" | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }')
}

# The empty command: what starting a process costs in this measurement.
measure start "true"
measure floor "$floor_cmd"
measure json_sysfs "$T --sysfs-root $WORK --json"
measure diff_sysfs "$T --sysfs-root $WORK --diff"
measure json_dump "$T --input $WORK/dump.json --json"
measure diff_dump "$T --input $WORK/dump.json --diff"

echo "timer: $(command -v hyperfine >/dev/null && echo hyperfine || echo "shell loop (bash -c)"), median of $RUNS runs, ms"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (other jobs on this machine inflate wall times)"
printf '  %-40s %8s ms  cpu %s ms\n' "process start (true)" "${RESULT[start]}" "${CPU[start]:--}"
printf '  %-40s %8s ms  cpu %s ms\n' "floor: cat of the $((2 * NCPUS)) files" "${RESULT[floor]}" "${CPU[floor]:--}"
fail=0
for k in json_sysfs diff_sysfs json_dump diff_dump; do
	ratio=$(awk -v a="${RESULT[$k]}" -v f="${RESULT[floor]}" 'BEGIN { printf "%.2f", a / f }')
	verdict=$(awk -v a="${RESULT[$k]}" -v r="$ratio" 'BEGIN { print (a <= 50 && r <= 2) ? "ok" : "over goal" }')
	[ "$verdict" = ok ] || fail=1
	printf '  %-40s %8s ms  cpu %s ms  %5sx floor  %s\n' "${k/_/ --} ($NCPUS CPUs)" "${RESULT[$k]}" \
		"${CPU[$k]:--}" "$ratio" "$verdict"
done
echo "goal: <= 50 ms and <= 2x floor for each; $([ $fail -eq 0 ] && echo met || echo NOT met)"
