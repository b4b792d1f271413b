#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test suite: runs each stage of `make check`, keeps going when
# one fails, and adds up the "N passed, N failed" line each stage ends with.
#
# check-debug runs in the background from the start (VMXCAP_BG_STAGES, by
# default check-debug; empty: none), beside the stages that only use the
# CPU; its output is printed whole when it ends, before check-vm, which
# waits for it (both take tests/vm's lock, and Bochs wants whole host
# cores).  The debug kernel's build, which its guests wait for, runs
# first: at nice 0 while the other stages yield to it at nice 10.
# Measured 2026-12-04 on 2 cores, cold cache: the whole make check with it
# 2332 s (the kernel's build 235 s, its guests 1532 s beside the other
# stages, then check-vm alone 605 s).  VMXCAP_STAGES (a list of stages)
# runs no background stage unless VMXCAP_BG_STAGES names one.
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
status=0

# count STAGE LOG RC: adds the stage's result line to the totals.
count() {
	local line p f
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
	if [ -z "$line" ]; then
		echo "=== $1: no result line (exit $3): counted as 1 failure"
		failed=$((failed + 1))
		status=1
		return
	fi
	p=$(echo "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2/')
	f=$(echo "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\3/')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "=== $1 exited $3 with no failed test: counted as 1 failure"
		failed=$((failed + 1))
	fi
	[ "$3" -ne 0 ] && status=1
}

# The background stages' logs and PIDs; finish_background prints and counts them.
if [ -n "${VMXCAP_BG_STAGES+set}" ]; then
	bg_stages=$VMXCAP_BG_STAGES
elif [ -n "${VMXCAP_STAGES:-}" ]; then
	bg_stages=
else
	bg_stages=check-debug
fi
declare -A bg_log bg_pid
finish_background() {
	local stage rc
	for stage in $bg_stages; do
		[ -n "${bg_pid[$stage]:-}" ] || continue
		wait "${bg_pid[$stage]}"
		rc=$(cat "${bg_log[$stage]}.rc" 2>/dev/null || echo 1)
		echo "=== make $stage (ran in the background; exit $rc)"
		cat "${bg_log[$stage]}"
		count "$stage" "${bg_log[$stage]}" "$rc"
		rm -f "${bg_log[$stage]}" "${bg_log[$stage]}.rc"
		unset "bg_pid[$stage]"
	done
}

if [ -n "$bg_stages" ]; then
	# Every package first, at once: stages installing in parallel would
	# meet on dpkg's lock.
	echo "=== scripts/deps.sh (every stage's packages, before the stages run side by side)"
	scripts/deps.sh unit build vm tools clitest fleet packages ||
		echo "=== deps.sh failed: the stages will say what is missing"
	for stage in $bg_stages; do
		bg_log[$stage]=$(mktemp)
		echo "=== make $stage: started in the background (log printed when it ends)"
		( VMXCAP_BUILD_NICE=0 make --no-print-directory "$stage" >"${bg_log[$stage]}" 2>&1
		  echo $? >"${bg_log[$stage]}.rc" ) &
		bg_pid[$stage]=$!
	done
fi

# Stages join this list as they land.  While a background stage runs, the
# others yield to it (see above).
for stage in ${VMXCAP_STAGES:-check-unit check-cli check-fleet check-build check-packages check-vm}; do
	case $stage in check-vm*) finish_background ;; esac
	yield=
	[ -n "${bg_pid[*]:-}" ] && yield="nice -n 10"
	log=$(mktemp)
	echo "=== make $stage${yield:+ (yielding to the background: $yield)}"
	$yield make --no-print-directory "$stage" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	count "$stage" "$log" "$rc"
	rm -f "$log"
done
finish_background
[ "$failed" -ne 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
