# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers of the CLI test scripts (bash): source it, then call ok with
# a status and a description; passed, failed and n count them.
passed=${passed:-0} failed=${failed:-0} n=${n:-0}

ok() {		# ok STATUS MESSAGE
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
	fi
}

diag() { echo "# $*"; }

# jq_true JQ-ARGS...: whether jq's one output is true.  Not jq -e: jq 1.6
# exits 0 on empty input, so a test of a command that printed nothing
# would pass.
jq_true() { [ "$(jq "$@" 2>/dev/null)" = true ]; }
