#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What vmxcap.ko costs: boots Debian's kernel in Bochs (an Intel CPU with
# VMX, 2 CPUs), loads and unloads the module with both CPUs online and
# then with cpu1 offline (tests/vm/guest-measure), and prints the load time
# and the memory each setting added; the difference between the two is the
# cost of one published CPU.  Load time is emulated time between the
# kernel's own log timestamps (insmod to the module's summary line), so it
# is comparable between runs, not with real hardware.
#
#   tests/vm/measure.sh [MODEL [KERNEL]]     default: corei7_skylake_x 6.1
set -u
. "$(dirname "$0")/lib.sh"

MODEL=${1:-corei7_skylake_x}
KERNEL=${2:-6.1}
TIMEOUT=${VMXCAP_MEASURE_TIMEOUT:-1500}

"$ROOT/scripts/deps.sh" build vm || exit 2
mkdir -p "$VMDIR" && exec 8>"$VMDIR/run.lock" && flock 8 || exit 2
kill_stray
trap 'kill_stray' EXIT
trap 'exit 130' INT TERM
dir=$VMDIR/demo-measure	# demo* : kill_stray knows it
rm -rf "$dir" && mkdir -p "$dir" || exit 2

d=$(prepare_oneoff "$dir" "$KERNEL" "$MODEL" measure) || { echo "measure: cannot prepare the boot"; exit 1; }
echo "measure: Debian $(cat "$d/release") in Bochs ($MODEL, 2 CPUs); about 10 minutes"
why=$(boot_bochs "$dir" "$dir/boot.iso" "$MODEL" 2 "$TIMEOUT")
tr -d '\r' <"$dir/serial.txt" >"$dir/console.txt" 2>/dev/null
grep -E '^MEASURE' "$dir/console.txt"
all=$(grep '^MEASURE all-cpus' "$dir/console.txt")
one=$(grep '^MEASURE cpu1-offline' "$dir/console.txt")
if [ "$why" != end ] || [ -z "$all" ] || [ -z "$one" ]; then
	echo "measure: no result ($why); console log: $dir/console.txt"
	exit 1
fi
get() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
printf '%-34s %12s %12s %10s\n' "" "2 CPUs" "1 CPU" "per CPU"
for k in load_us tree_nodes tree_name_bytes module_bytes; do
	a=$(get "$all" $k) b=$(get "$one" $k)
	printf '%-34s %12s %12s %10s\n' "$k" "$a" "$b" "$((a - b))"
done
n=$(( $(get "$all" tree_nodes) - $(get "$one" tree_nodes) ))
nb=$(( $(get "$all" tree_name_bytes) - $(get "$one" tree_name_bytes) ))
sz=$(get "$all" kernfs_node_bytes)
echo "per CPU: $n sysfs nodes (counted: every node of /sys/kernel/vmxcap, links not followed)"
echo "cpu0/ holds $(get "$all" cpu_nodes) of them ($(get "$all" cpu_name_bytes) bytes of names)"
# Computed from the counts: nodes x kernfs_node size + their names.  Left
# out: kernfs's inode-number IDR (about 9 bytes a node), the CPU's kobject
# (kmalloc-64) and the module's struct vmxcap_cpu (kmalloc-32 since 0.2).
per=$((n * sz + nb))
echo "computed per CPU: $n x $sz-byte kernfs_node + $nb bytes of names = $per bytes"
awk -v p="$per" -v b="$(get "$one" tree_nodes)" -v sz="$sz" -v bn="$(get "$one" tree_name_bytes)" 'BEGIN {
	for (i = 0; i < 2; i++) { c = i ? 4096 : 1024
		printf "computed for %d identical CPUs: %.1f MB (%.1f KB for the first, one set, + %d x %d bytes)\n",
			c, ((b * sz + bn) + (c - 1) * p) / 1e6, (b * sz + bn) / 1e3, c - 1, p }
}'
echo "measure: medians of $(get "$all" rounds) loads each; console log: $dir/console.txt"
