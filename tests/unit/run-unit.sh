#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs every unit test binary (plain and sanitized) and the fuzzer, then
# adds their "name: N passed, N failed" lines into one.
# Usage: run-unit.sh BUILD_DIR DATA_DIR FUZZ_SECONDS
set -u
build=$1 data=$2 fuzz_seconds=$3
passed=0 failed=0

count() {	# adds the counts of the closing line in file $1
	local line p f
	line=$(grep -E '^[A-Za-z-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo "not ok - $2 printed no result line"
		failed=$((failed + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^[^:]+: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
}

for t in test_decoder test_fixtures; do
	for variant in "" -san; do
		log=$(mktemp)
		echo "=== $t$variant"
		"$build/$t$variant" "$data" >"$log" 2>&1
		rc=$?
		grep -E '^(not ok|#)' "$log" | head -n 200
		tail -n 1 "$log"
		count "$log" "$t$variant"
		if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; then
			echo "not ok - $t$variant exited $rc"
			failed=$((failed + 1))
		fi
		rm -f "$log"
	done
done

# Bit positions and flag names against the installed 6.1 kernel headers.
echo "=== check-linux-bits"
hdr=$(ls -d /usr/src/linux-headers-6.1.*-common 2>/dev/null | sort -V | tail -n 1)
log=$(mktemp)
if [ -n "$hdr" ]; then
	"$(dirname "$0")/check-linux-bits.sh" "$build/dump_tables" "$hdr" 6.1 >"$log" 2>&1
else
	echo "not ok - no /usr/src/linux-headers-6.1.*-common (package linux-headers-amd64)" >"$log"
	echo "linux-bits: 0 passed, 1 failed" >>"$log"
fi
cat "$log"
count "$log" check-linux-bits
rm -f "$log"

# The fuzzer: arbitrary raw MSR sets, invariants asserted inside.
echo "=== fuzz_decoder ($fuzz_seconds s)"
corpus=$(mktemp -d)
log=$(mktemp)
"$build/fuzz_decoder" -max_total_time="$fuzz_seconds" -print_final_stats=1 \
	"$corpus" >"$log" 2>&1
rc=$?
grep -E 'stat::number_of_executed_units|Done [0-9]+ runs|ERROR|SUMMARY' "$log"
if [ $rc -eq 0 ]; then
	echo "ok - fuzz_decoder: no crash, no UB, invariants held"
	passed=$((passed + 1))
else
	tail -n 40 "$log"
	echo "not ok - fuzz_decoder failed (exit $rc)"
	failed=$((failed + 1))
fi
rm -rf "$corpus" "$log"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
