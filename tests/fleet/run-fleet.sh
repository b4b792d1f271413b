#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-fleet: vmxcap-show's fleet outputs read by the real engines
# that platform teams run, installed from Debian's archive (scripts/deps.sh
# fleet): each tests/fleet/test-*.sh is one engine's end-to-end test.  Each
# is given the built tool and a scratch directory, prints TAP lines and
# ends with "NAME: N passed, N failed"; this adds them up.  Every server a
# test starts, it stops by its PID, and each bounds its own time; a test
# that prints no result line or outlives FLEET_TIMEOUT seconds (default
# 300) counts as one failure.
# Usage: tests/fleet/run-fleet.sh [TEST...]   (names without test- and .sh)
set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
# shellcheck source=tests/cli/tap.sh
. "$TOP/tests/cli/tap.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if ! make -s -C tools vmxcap-show >"$WORK/build.log" 2>&1; then
	cat "$WORK/build.log"
	ok 1 "build tools/vmxcap-show"
	echo "fleet: $passed passed, $failed failed"
	exit 1
fi

tests=()
if [ $# -gt 0 ]; then
	for t in "$@"; do tests+=("tests/fleet/test-$t.sh"); done
else
	for t in tests/fleet/test-*.sh; do [ -e "$t" ] && tests+=("$t"); done
fi
for t in "${tests[@]}"; do
	name=${t##*/test-}
	name=${name%.sh}
	mkdir -p "$WORK/$name"
	start=$(date +%s)
	timeout -k 10 "${FLEET_TIMEOUT:-300}" bash "$t" "$TOP/tools/vmxcap-show" "$WORK/$name" \
		>"$WORK/$name.log" 2>&1
	rc=$?
	# The test's own lines, renumbered as ours; its result line is added up.
	sed -n 's/^\(not ok\|ok\) [0-9]* - /\1 - /p; /^#/p' "$WORK/$name.log" |
		sed "s/^/[$name] /"
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" "$WORK/$name.log" | tail -n 1)
	if [ -z "$line" ]; then
		tail -n 20 "$WORK/$name.log" | sed 's/^/# /'
		ok 1 "$name: no result line (exit $rc$([ $rc -eq 124 ] && echo ", killed after ${FLEET_TIMEOUT:-300} s"))"
		continue
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && ok 1 "$name exited $rc with no failed test"
	echo "# $name: $p passed, $f failed in $(( $(date +%s) - start )) s"
done
echo "fleet: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
