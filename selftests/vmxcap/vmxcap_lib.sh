# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the vmxcap shell selftests (POSIX sh: they also run under
# busybox in the harness's initramfs).  Source it; it prints KTAP.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

VMXCAP_SYSFS=${VMXCAP_SYSFS:-/sys/kernel/vmxcap}
VMXCAP_DIR=${VMXCAP_DIR:-$(cd "$(dirname "$0")" && pwd)}
HWREAD="$VMXCAP_DIR/vmxcap_hwread"

ktap_n=0
ktap_pass=0
ktap_fail=0
ktap_skip=0

ktap_header() {	# PLAN
	echo "TAP version 13"
	echo "1..$1"
}

ktap_ok() {
	ktap_n=$((ktap_n + 1)); ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_n $*"
}

ktap_not_ok() {
	ktap_n=$((ktap_n + 1)); ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_n $*"
}

ktap_skip() {
	ktap_n=$((ktap_n + 1)); ktap_skip=$((ktap_skip + 1))
	echo "ok $ktap_n # SKIP $*"
}

ktap_check() {	# DESCRIPTION COMMAND...: ok when COMMAND succeeds
	desc=$1
	shift
	if "$@"; then ktap_ok "$desc"; else ktap_not_ok "$desc"; fi
}

diag() {
	echo "# $*"
}

ktap_finish() {
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skip error:0"
	[ "$ktap_fail" -eq 0 ] || exit $KSFT_FAIL
	[ "$ktap_pass" -eq 0 ] && [ "$ktap_skip" -gt 0 ] && exit $KSFT_SKIP
	exit $KSFT_PASS
}

skip_all() {	# REASON: the whole program is skipped (kselftest exit 4)
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# /dev/cpu/N/{msr,cpuid} come from Debian's msr.ko and cpuid.ko.
vmxcap_oracle_devices() {
	[ -e /dev/cpu/0/msr ] || modprobe msr 2>/dev/null
	[ -e /dev/cpu/0/cpuid ] || modprobe cpuid 2>/dev/null
	[ -e /dev/cpu/0/msr ] && [ -e /dev/cpu/0/cpuid ]
}

online_cpus() {	# one CPU number per line
	for d in /sys/devices/system/cpu/cpu[0-9]*; do
		n=${d##*/cpu}
		if [ -f "$d/online" ] && [ "$(cat "$d/online")" = 0 ]; then
			continue
		fi
		echo "$n"
	done | sort -n
}

# VMX as CPUID.1:ECX[5] says on any online CPU: the module's own rule, and
# independent of Linux's X86_FEATURE_VMX (cleared when firmware locks VMX off).
cpu_has_vmx() {
	vmxcap_oracle_devices || return 2
	for c in $(online_cpus); do
		"$HWREAD" hasvmx "$c" && return 0
	done
	return 1
}

# How to load the module: VMXCAP_MODULE=/path/vmxcap.ko, else modprobe.
module_available() {
	if [ -n "${VMXCAP_MODULE:-}" ]; then
		[ -f "$VMXCAP_MODULE" ]
	else
		find "/lib/modules/$(uname -r)" -name 'vmxcap.ko*' 2>/dev/null | grep -q .
	fi
}

module_loaded() {
	grep -q '^vmxcap ' /proc/modules
}

module_load() {	# errors on stderr, as insmod / modprobe print them
	if [ -n "${VMXCAP_MODULE:-}" ]; then
		"$HWREAD" insmod "$VMXCAP_MODULE"
	else
		modprobe vmxcap
	fi
}

module_unload() {
	rmmod vmxcap
}

module_ensure_loaded() {
	module_loaded || module_load
}

# Skips the calling program unless the module can be loaded on a VMX CPU.
require_vmx_module() {
	[ "$(id -u)" = 0 ] || skip_all "must run as root"
	module_available || skip_all "vmxcap.ko not available (set VMXCAP_MODULE)"
	cpu_has_vmx
	case $? in
	1) skip_all "no online CPU has VMX in CPUID" ;;
	2) skip_all "msr.ko / cpuid.ko not available" ;;
	esac
	module_ensure_loaded || { echo "# module failed to load"; exit $KSFT_FAIL; }
}

# CPU directories the module publishes: cpu0 cpu1 ...
published_cpus() {
	for d in "$VMXCAP_SYSFS"/cpu[0-9]*; do
		[ -d "$d" ] && echo "${d##*/cpu}"
	done | sort -n
}

# Prints "INDEX VALUE" lines of a CPU's msrs file (the tools' fast path,
# "0x480 0x00d810000000002b" or "0x493 faulted"), indexes lower-case.
msrs_of() {
	tr 'A-F' 'a-f' <"$VMXCAP_SYSFS/cpu$1/msrs"
}

# Canonical 64-bit hex of a number: 0x%016x, lower case.
hex64() {
	printf '0x%016x\n' "$1"
}

# A snapshot of every file under a directory, "path: value" per line, for
# comparing trees before and after (one awk, not a process per file).
tree_dump() {
	(cd "$1" && find . -type f -exec awk '{ print FILENAME ": " $0 }' {} + | sort)
}

# Starts a background reader that reads every file of the tree (as listed
# now) again and again until STOPFILE exists; adds its PID to $readers.  Shell builtins
# only: a process per read would slow an emulated machine to a crawl.
# Files that vanish (CPU offline, module unloaded) just fail to open.
start_reader() {	# STOPFILE
	files=$(find "$VMXCAP_SYSFS" -type f)
	# After its first pass it creates STOPFILE.ready.<its PID>.
	( pid=$(exec sh -c 'echo $PPID')
	  while [ ! -e "$1" ]; do
		for f in $files; do
			{ read -r v || :; } 2>/dev/null <"$f"
		done
		[ -e "$1.ready.$pid" ] || : >"$1.ready.$pid"
	  done ) >/dev/null 2>&1 &
	readers="${readers:-} $!"
}
