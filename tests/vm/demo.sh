#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: what a user of an Intel machine with VMX sees, on any host.
# Boots Debian's kernel in Bochs emulating an Intel CPU with VMX, loads
# vmxcap.ko, and prints the kernel's log lines, the /sys/kernel/vmxcap
# tree with every value, and vmxcap-show's output when tools/vmxcap-show
# exists (statically linked).  About 2 minutes.
#
#   tests/vm/demo.sh [MODEL [KERNEL [CPUS]]]
#   default: corei7_skylake_x 6.1 1   (models: bochs --help cpu;
#   corei7_skylake_x gets noxsave, see tests/vm/machines)
set -u
. "$(dirname "$0")/lib.sh"

MODEL=${1:-corei7_skylake_x}
KERNEL=${2:-6.1}
CPUS=${3:-1}
TIMEOUT=${VMXCAP_DEMO_TIMEOUT:-900}

# vm: emulators, busybox, ISO tools; build: compiler, kbuild deps, linux-source.
[ -x "$ROOT/scripts/deps.sh" ] && { "$ROOT/scripts/deps.sh" build vm || exit 2; }
mkdir -p "$VMDIR" && exec 8>"$VMDIR/run.lock" && flock 8 || exit 2
kill_stray
trap 'kill_stray' EXIT
trap 'exit 130' INT TERM
dir=$VMDIR/demo
rm -rf "$dir" && mkdir -p "$dir" || exit 2

d=$(prepare_oneoff "$dir" "$KERNEL" "$MODEL" demo) || { echo "demo: cannot prepare the boot"; exit 1; }
echo "demo: booting Debian $(cat "$d/release") in Bochs ($MODEL, $CPUS CPU); this takes a few minutes"
t0=$(date +%s)
why=$(boot_bochs "$dir" "$dir/boot.iso" "$MODEL" "$CPUS" "$TIMEOUT")
tr -d '\r' <"$dir/serial.txt" >"$dir/console.txt" 2>/dev/null
# The guest's output from its first line to the kernel-log dump.
sed -n '/^VMXCAP-BEGIN/,/^VMXCAP-DMESG-BEGIN/p' "$dir/console.txt" | sed '$d'
echo "demo: $why after $(( $(date +%s) - t0 )) s; full console log: $dir/console.txt"
[ "$why" = end ]
