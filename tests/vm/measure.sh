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
printf '%-22s %12s %12s %10s\n' "" "2 CPUs" "1 CPU" "per CPU"
for k in load_us slab_kb kernfs_nodes module_bytes; do
	a=$(get "$all" $k) b=$(get "$one" $k)
	printf '%-22s %12s %12s %10s\n' "$k" "$a" "$b" "$((a - b))"
done
n=$(get "$all" cpu_nodes) sz=$(get "$all" kernfs_node_bytes)
echo "per CPU: $n sysfs nodes x $sz-byte kernfs_node = $((n * sz)) bytes, plus one 512-byte"
echo "kmalloc object (struct vmxcap_cpu) and the nodes' names; slab deltas move by whole pages."
echo "measure: medians of $(get "$all" rounds) loads each; console log: $dir/console.txt"
