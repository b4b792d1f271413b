#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loading the module with one allocation failing, each allocation in turn:
# the Nth fault-injectable slab allocation (failslab through fail-nth,
# Documentation/fault-injection/fault-injection.rst) of
#   - the insmod task (the kernel's module loader, then vmxcap_init), and
#   - each CPU's hotplug thread cpuhp/N, which runs the module's online
#     callback for that CPU while the module loads,
# for N = 1, 2, ... until the load makes fewer than N.  Each load must fail
# with its error (or succeed, when the failure was one the kernel tolerates)
# and leave nothing: no module, no /sys/kernel/vmxcap, every CPU online.
# Afterwards kmemleak finds nothing and the module loads and unloads.
# Each failure's stack (failslab verbose=2) names its site; the sites and
# their outcomes are printed as a table.  Needs a kernel with FAILSLAB,
# FAULT_INJECTION_DEBUG_FS (and DEBUG_KMEMLEAK for the leak check): the
# debug kernel of tests/vm/machines-debug.  VMXCAP_FAULT_MAX bounds N;
# VMXCAP_FAULT_TASKS ("insmod cpuhp/1", default insmod and every CPU's
# cpuhp/N) chooses the tasks, so that two guests can share the sweep.
. "$(dirname "$0")/vmxcap_lib.sh"

D=/sys/kernel/debug
MAX=${VMXCAP_FAULT_MAX:-3000}
require_vmx_module
[ -d $D/failslab ] || mount -t debugfs none $D 2>/dev/null
[ -w $D/failslab/ignore-gfp-wait ] || skip_all "no failslab in debugfs (not a fault-injection kernel)"
[ -e /proc/thread-self/fail-nth ] || skip_all "no fail-nth (CONFIG_FAULT_INJECTION)"
# The test before may still hold a reference for a moment (seen once:
# EBUSY right after vmxcap_online_fault.sh); it is not what is tested here.
i=0
until module_unload 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 10 ] || { echo "# cannot unload the module"; lsmod | sed 's/^/# /'; exit "$KSFT_FAIL"; }
	sleep 1
done

tmp=$(mktemp -d)
# Each failure's stack goes to the log, not to the (slow, serial) console.
printk=$(cat /proc/sys/kernel/printk)
echo 1 >/proc/sys/kernel/printk
trap 'echo Y >$D/failslab/ignore-gfp-wait; echo "$printk" >/proc/sys/kernel/printk; rm -rf "$tmp"' EXIT
# GFP_KERNEL allocations may fail too; one line and a stack per failure.
echo N >$D/failslab/ignore-gfp-wait
echo 2 >$D/failslab/verbose
leakcheck=0
[ -w $D/kmemleak ] && echo clear >$D/kmemleak && leakcheck=1

online_all() { [ "$(cat /sys/devices/system/cpu/online)" = "$(cat /sys/devices/system/cpu/present)" ]; }

# The stack of the first failure logged after line $1 of the kernel log.
stack_since() {
	dmesg | tail -n +$(($1 + 1)) |
		awk '/FAULT_INJECTION/ { on = 1 } on { print } on && /<\/TASK>/ { exit }'
}

# The site of the failure whose stack (stack_since) is on standard input:
# the module's innermost frame and what it called ("vmxcap_set_add_dirs >
# sysfs_create_group"), or, with no frame of the module, the kernel's
# ("kernel: load_module > ...").
site_of_stack() {
	awk '
		/FAULT_INJECTION: forcing a failure/ { on = 1; n = 0; next }
		on && /<\/TASK>/ { exit }
		on && /^\[ *[0-9.]+\]  [a-z_0-9.]+\+0x/ {
			f = $0; sub(/^\[[^]]*\]  /, "", f); sub(/\+0x.*/, "", f)
			fr[++n] = f; mod[n] = ($0 ~ /\[vmxcap\]/)
		}
		END {
			for (i = 1; i <= n; i++) if (mod[i]) { print fr[i] " > " fr[i - 1]; exit }
			for (i = 1; i <= n; i++) if (fr[i] == "load_module") { print "kernel: load_module > " fr[i - 1]; exit }
			# Past the allocator: the first frame that is not dump_stack,
			# should_fail*, *alloc*, kstrdup* or kmalloc*.
			for (i = 1; i <= n; i++)
				if (fr[i] !~ /dump_stack|should_fail|alloc|kstrdup|kmalloc|kvasprintf|slab/) {
					print "kernel: " fr[i]; exit
				}
			print "?"
		}'
}

# try LABEL N [PID]: the load with the Nth allocation failing; appends a
# row "LABEL<TAB>N<TAB>site<TAB>outcome" and sets $site, or returns 1 when
# the load made fewer than N allocations.
try() {
	before=$(dmesg | wc -l)
	if [ -n "${3:-}" ]; then
		echo "$2" >"/proc/$3/task/$3/fail-nth"
		out=$("$HWREAD" insmod "$VMXCAP_MODULE" ${VMXCAP_MODULE_PARAMS:-} 2>&1)
		rc=$?
		left=$(cat "/proc/$3/task/$3/fail-nth")
		echo 0 >"/proc/$3/task/$3/fail-nth"
		[ "$left" = 0 ] || out="fail-nth: not reached"
	else
		out=$(VMXCAP_FAIL_NTH=$2 "$HWREAD" insmod "$VMXCAP_MODULE" ${VMXCAP_MODULE_PARAMS:-} 2>&1)
		rc=$?
	fi
	case $out in
	*"fail-nth: not reached"*)
		[ $rc -eq 0 ] && module_unload
		return 1 ;;
	esac
	stack=$(stack_since "$before")
	site=$(echo "$stack" | site_of_stack)
	# failslab prints no stack for a __GFP_NOWARN allocation (should_fail_ex()
	# with FAULT_NOWARN, mm/failslab.c): callers that expect to fail, such
	# as kvmalloc's first try.
	[ -n "$stack" ] || site="(no stack: a __GFP_NOWARN allocation)"
	if [ $rc -eq 0 ]; then
		result="loaded"
		[ -d "$VMXCAP_SYSFS/cpu0" ] || { result="loaded, no tree"; bad=$((bad + 1)); }
		module_unload || { result="$result, rmmod failed"; bad=$((bad + 1)); }
	else
		result="errno $rc"
		if module_loaded || [ -e "$VMXCAP_SYSFS" ]; then
			result="$result, LEFT BEHIND"; bad=$((bad + 1))
		fi
	fi
	online_all || { result="$result, A CPU WENT OFFLINE"; bad=$((bad + 1)); }
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$site" "$result" >>"$tmp/rows"
	tried=$((tried + 1))
	return 0
}

# The first N of the insmod task whose failure is in do_init_module (the
# kernel's code around vmxcap_init) or in the module: the hundreds of
# allocations before it are the module loader's own (copying and laying
# out the module), bisected past.  The stacks of the allocations before
# init have load_module but not do_init_module.
init_start() {	# TOTAL
	lo=1 hi=$1
	while [ $lo -lt "$hi" ]; do
		mid=$(( (lo + hi) / 2 ))
		try insmod $mid || { hi=$mid; continue; }
		case $stack in
		*do_init_module*|*"[vmxcap]"*) hi=$mid ;;
		*) lo=$((mid + 1)) ;;
		esac
	done
	first=$lo
}

# The number of fault-injectable allocations of a load with nothing failing.
count_insmod() {
	out=$(VMXCAP_FAIL_NTH=1000000 "$HWREAD" insmod "$VMXCAP_MODULE" ${VMXCAP_MODULE_PARAMS:-} 2>&1)
	module_unload
	# What is left of the count says how many were made.
	left=$(echo "$out" | sed -n 's/^fail-nth: not reached (\([0-9]*\) left)$/\1/p')
	[ -n "$left" ] && echo $((1000000 - left))
}

# sweep LABEL [PID [FIRST]]: PID's fail-nth (a cpuhp thread), else the
# insmod's own, from N = FIRST (default 1).  Every failed load waits
# seconds for the module loader's kobject release (DEBUG_KOBJECT_RELEASE),
# and creating a set makes hundreds of allocations from a few sites (a node
# and a name per file): N goes up by 1 while new sites appear, then by 32
# once 8 in a row were sites already seen; a new site after a jump rescans
# the skipped ones, and so does the end.
sweep() {
	bad=0; tried=0; prev=$((${3:-1} - 1)); step=1; old=0
	: >"$tmp/seen"
	while [ $prev -lt "$MAX" ]; do
		n=$((prev + step))
		if ! try "$1" $n "${2:-}"; then
			[ $step -eq 1 ] && break
			step=1; continue	# the end is in the gap: scan it
		fi
		if grep -qxF "$site" "$tmp/seen"; then
			old=$((old + 1))
		else
			echo "$site" >>"$tmp/seen"
			old=0
			if [ $step -gt 1 ]; then
				m=$((prev + 1))
				while [ $m -lt $n ]; do
					try "$1" $m "${2:-}" && { grep -qxF "$site" "$tmp/seen" || echo "$site" >>"$tmp/seen"; }
					m=$((m + 1))
				done
			fi
		fi
		prev=$n
		step=1
		[ $old -ge 8 ] && step=32
	done
	[ $prev -lt "$MAX" ] || { diag "$1: still reaching allocations at N=$MAX"; bad=$((bad + 1)); }
	diag "$1: the load makes $prev fault-injectable allocations; $tried failed in turn, $(wc -l <"$tmp/seen") sites, $bad unclean"
	[ $bad -eq 0 ] && [ $tried -gt 0 ]
}

pid_of() { for p in /proc/[0-9]*; do [ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}" && return; done; }

tasks=${VMXCAP_FAULT_TASKS:-insmod $(for c in $(online_cpus); do echo "cpuhp/$c"; done)}
ktap_header $(( $(echo "$tasks" | wc -w) + 2 ))
sweep_insmod() {
	total=$(count_insmod)
	[ -n "$total" ] || { diag "insmod: cannot count its allocations"; return 1; }
	bad=0; tried=0
	init_start "$total"
	probe_bad=$bad
	diag "insmod: the load makes $total fault-injectable allocations; do_init_module's begin at N=$first"
	sweep insmod "" "$first" && [ "$probe_bad" -eq 0 ]
}
for task in $tasks; do
	case $task in
	insmod)
		ktap_check "insmod task (do_init_module, vmxcap_init): every failure clean" sweep_insmod ;;
	cpuhp/*)
		pid=$(pid_of "$task")
		if [ -z "$pid" ]; then ktap_skip "$task: no such thread"; continue; fi
		ktap_check "$task (the online callback at load): every failure clean" sweep "$task" "$pid" ;;
	*)
		ktap_check "VMXCAP_FAULT_TASKS: $task is neither insmod nor cpuhp/N" false ;;
	esac
done
echo Y >$D/failslab/ignore-gfp-wait

# The table: per task and site, the outcomes, how often, the first N.
diag "task | site (innermost module frame > the kernel function it called) | outcome | times | first N"
awk -F'\t' '{ k = $1 "\t" $3 "\t" $4; if (!(k in c)) { o[++n] = k; f[k] = $2 } c[k]++ }
	END { for (i = 1; i <= n; i++) print "#   " o[i] "\t" c[o[i]] "x\t" f[o[i]] }' "$tmp/rows" | tr '\t' '|'

if [ $leakcheck = 1 ]; then
	# kmemleak reports objects at least 5 s old, found by a scan.
	sleep 6
	echo scan >$D/kmemleak
	leaks=$(grep -c 'unreferenced object' $D/kmemleak)
	[ "$leaks" -eq 0 ] || head -n 40 $D/kmemleak | sed 's/^/# kmemleak: /'
	ktap_check "kmemleak: no leak after the sweeps ($leaks)" test "$leaks" -eq 0
else
	ktap_skip "no kmemleak"
fi
ok=0
module_load && [ -d "$VMXCAP_SYSFS/cpu0" ] && module_unload && module_load && ok=1
ktap_check "then the module loads, unloads and loads normally" test $ok -eq 1
ktap_finish
