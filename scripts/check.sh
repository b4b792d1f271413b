#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test suite: runs each stage of `make check`, keeps going when
# one fails, and adds up the "N passed, N failed" line each stage ends with.
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
status=0
# Stages join this list as they land.
for stage in ${VMXCAP_STAGES:-check-unit check-cli check-build check-packages check-vm}; do
	log=$(mktemp)
	echo "=== make $stage"
	make --no-print-directory "$stage" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$line" ]; then
		echo "=== $stage: no result line (exit $rc): counted as 1 failure"
		failed=$((failed + 1))
		status=1
		continue
	fi
	p=$(echo "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2/')
	f=$(echo "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\3/')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "=== $stage exited $rc with no failed test: counted as 1 failure"
		failed=$((failed + 1))
	fi
	[ "$rc" -ne 0 ] && status=1
done
[ "$failed" -ne 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
