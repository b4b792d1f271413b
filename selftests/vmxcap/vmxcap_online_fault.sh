#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A failure inside vmxcap never keeps a CPU offline.  With the module
# loaded, publishing cpu1 is made to fail (-ENOMEM) once, through the test
# build's parameter test_fail_publish (the shipped module has none):
#   - `echo 1 > cpu1/online` succeeds and cpu1 is online (cpuhp rolls a CPU
#     back to offline when a callback fails);
#   - cpu1 is not published, and the module says so in one log line;
#   - without the fault, the next offline/online publishes it again.
. "$(dirname "$0")/vmxcap_lib.sh"

CPU=/sys/devices/system/cpu/cpu1/online
FAIL=/sys/module/vmxcap/parameters/test_fail_publish
require_vmx_module
[ -w "$CPU" ] || skip_all "no hot-pluggable cpu1"
[ -w "$FAIL" ] || skip_all "the module has no test_fail_publish (not a test build)"
[ "$(cat $CPU)" = 1 ] || echo 1 >"$CPU"

ktap_header 4
echo 0 >"$CPU" || { diag "cpu1 does not go offline"; exit "$KSFT_FAIL"; }
before=$(dmesg | wc -l)
echo 1 >"$FAIL"
echo 1 >"$CPU" 2>/tmp/vmxcap_online.err
orc=$?
echo 0 >"$FAIL"
log=$(dmesg | tail -n +$((before + 1)))
echo "$log" | grep -E 'vmxcap|cpu1|CPU1' | sed 's/^/# kernel: /'
ktap_check "cpu1 comes online although publishing it failed (echo: exit $orc $(cat /tmp/vmxcap_online.err))" \
	test $orc -eq 0 -a "$(cat $CPU)" = 1
ktap_check "cpu1 is not published" test ! -e "$VMXCAP_SYSFS/cpu1"
ktap_check "one log line says cpu1 is not published" \
	test "$(echo "$log" | grep -c 'vmxcap: cpu1: not published')" -eq 1
[ "$(cat $CPU)" = 1 ] && echo 0 >"$CPU"
echo 1 >"$CPU"
ktap_check "without the fault cpu1 is published again" test -d "$VMXCAP_SYSFS/cpu1"
ktap_finish
