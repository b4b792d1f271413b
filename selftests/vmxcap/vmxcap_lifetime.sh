#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module's lifetime against the kernel's own checkers, meant for a
# debug kernel (DEBUG_KOBJECT_RELEASE delays every kobject release by 1-4 s,
# KASAN, kmemleak; tests/vm's 6.1-debug machines): load and unload again and
# again while VMXCAP_READERS (4) readers loop over every file of the tree.
#   - When rmmod returns, /sys/kernel/vmxcap is gone: a directory left
#     behind serves files whose data the exit path freed (a use-after-free
#     KASAN reports), and an immediate reload then fails with "sysfs: cannot
#     create duplicate filename '/kernel/vmxcap'".
#   - Every immediate reload succeeds, and the kernel never logs that line.
#   - kmemleak, scanned at the end, reports nothing that was allocated after
#     the test started (older reports are cleared first).
# The kernel log's KASAN, lockdep and kobject reports are vmxcap_dmesg.sh's.
# On a kernel without DEBUG_KOBJECT_RELEASE the same checks must hold, but
# only a debug kernel can make them fail.
. "$(dirname "$0")/vmxcap_lib.sh"

CYCLES=${VMXCAP_LIFETIME_CYCLES:-3}
READERS=${VMXCAP_READERS:-4}
KMEMLEAK=/sys/kernel/debug/kmemleak
require_vmx_module

[ -e /sys/kernel/debug/kmemleak ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
has_kmemleak=0
[ -w "$KMEMLEAK" ] && has_kmemleak=1
[ $has_kmemleak = 1 ] && echo clear >"$KMEMLEAK"
dmesg_before=$(dmesg | wc -l)

ktap_header 4
diag "$CYCLES cycles, $READERS readers; kernel $(uname -r); DEBUG_KOBJECT_RELEASE: $(
	zcat /proc/config.gz 2>/dev/null | grep -c '^CONFIG_DEBUG_KOBJECT_RELEASE=y' || echo '?')"
stop=/tmp/vmxcap_lifetime.stop
unloaded=0; gone=0; reloaded=0
# Where a cycle's time goes (hundredths of a second, summed over cycles).
t_pass=0; t_rmmod=0; t_load=0; t_all=$(uptime_cs)
i=0
while [ $i -lt "$CYCLES" ]; do
	i=$((i + 1))
	module_ensure_loaded || { diag "cycle $i: load failed"; break; }
	rm -f "$stop" "$stop".ready.*
	readers=""
	t0=$(uptime_cs)
	start_readers "$READERS" "$stop"
	wait_readers_ready "$stop"
	t1=$(uptime_cs)
	if module_unload; then
		unloaded=$((unloaded + 1))
		# At once, while the readers still run: the directory must be gone.
		if [ -e "$VMXCAP_SYSFS" ]; then
			diag "cycle $i: $VMXCAP_SYSFS still there after rmmod returned: $(ls "$VMXCAP_SYSFS" 2>&1 | tr '\n' ' ')"
		else
			gone=$((gone + 1))
		fi
	else
		diag "cycle $i: rmmod failed"
	fi
	t2=$(uptime_cs)
	touch "$stop"
	for p in $readers; do wait "$p"; done
	t3=$(uptime_cs)
	# At once again: no waiting for delayed releases.
	if module_load 2>/tmp/vmxcap_lifetime.err; then
		reloaded=$((reloaded + 1))
	else
		diag "cycle $i: immediate reload failed: $(cat /tmp/vmxcap_lifetime.err)"
		module_ensure_loaded 2>/dev/null
	fi
	t4=$(uptime_cs)
	t_pass=$((t_pass + t1 - t0)); t_rmmod=$((t_rmmod + t2 - t1)); t_load=$((t_load + t4 - t3))
done
t_all=$(($(uptime_cs) - t_all))
[ $i -gt 0 ] && diag "mean of $i cycles: $((t_all / i / 100)).$((t_all / i % 100 / 10)) s: readers' first pass $((t_pass / i / 100)).$((t_pass / i % 100 / 10)) s, rmmod $((t_rmmod / i / 100)).$((t_rmmod / i % 100 / 10)) s, reload $((t_load / i / 100)).$((t_load / i % 100 / 10)) s"
rm -f "$stop" "$stop".ready.*
dup=$(dmesg | tail -n +$((dmesg_before + 1)) | grep -c "cannot create duplicate filename '/kernel/vmxcap'")

ktap_check "rmmod with $READERS readers succeeds ($unloaded/$CYCLES)" test $unloaded -eq "$CYCLES"
ktap_check "when rmmod returns, $VMXCAP_SYSFS is gone ($gone/$unloaded)" test $gone -eq "$CYCLES"
ktap_check "every immediate reload succeeds ($reloaded/$CYCLES), no duplicate-filename warning ($dup)" \
	test $reloaded -eq "$CYCLES" -a "$dup" -eq 0
if [ $has_kmemleak = 1 ]; then
	# kmemleak reports only objects older than about 5 s.
	sleep 6
	echo scan >"$KMEMLEAK"
	leaks=$(grep -c '^unreferenced object' "$KMEMLEAK")
	[ "$leaks" -eq 0 ] || head -n 40 "$KMEMLEAK" | sed 's/^/# kmemleak: /'
	ktap_check "kmemleak: no leak after the cycles ($leaks reported)" test "$leaks" -eq 0
else
	ktap_skip "kmemleak: not in this kernel"
fi
ktap_finish
