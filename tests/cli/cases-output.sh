# SPDX-License-Identifier: GPL-2.0
#
# --output FILE: the file holds exactly what standard output would have,
# is readable by others (0644 whatever the umask: node_exporter runs as
# another user), and is replaced only by a run that answered (exit 0 or
# 1); a failed run leaves the previous file and no temporary file.
# Sourced by run-cli.sh: output_cases BINARY LABEL.

output_cases() {
	local T=$1 L=$2 O=$WORK/out rc mode
	local one=bochs:corei7_skylake_x

	rm -rf "$O" && mkdir -p "$O"
	"$T" --input "$DUMPS" --entry $one --json >"$O/stdout.json"
	(umask 077 && "$T" --input "$DUMPS" --entry $one --json --output "$O/v.json")
	rc=$?
	mode=$(stat -c %a "$O/v.json" 2>/dev/null)
	[ $rc -eq 0 ] && cmp -s "$O/stdout.json" "$O/v.json" && [ "$mode" = 644 ] &&
		[ -z "$(find "$O" -name '.*' -type f)" ]
	ok $? "$L: --output FILE: standard output's bytes, mode 644 under umask 077 ($mode), no temporary file left"

	# a failed run (an input that does not exist): the previous file stays
	"$T" --input "$O/missing.json" --json --output "$O/v.json" 2>"$O/e.txt"
	rc=$?
	[ $rc -eq 2 ] && cmp -s "$O/stdout.json" "$O/v.json" && grep -q missing.json "$O/e.txt" &&
		[ -z "$(find "$O" -name '.*' -type f)" ]
	ok $? "$L: --output: a failed run (exit $rc) leaves the previous file and no temporary file"

	# exit 1 is an answer: a --require not met is written
	"$T" --input "$DUMPS" --entry vbox-cpudb:Intel_Core_Duo_T2600_2_16GHz --require ept \
		--output "$O/r.txt" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 1 ] && grep -q 'NO' "$O/r.txt"
	ok $? "$L: --output: exit 1 (a requirement not met, Core Duo lacks EPT) writes the answer"

	# nowhere to write: a directory that does not exist, a directory as FILE
	"$T" --input "$DUMPS" --entry $one --output "$O/nodir/x.prom" >/dev/null 2>"$O/e.txt"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$O/e.txt")" -eq 1 ] && grep -q 'nodir' "$O/e.txt"
	ok $? "$L: --output into a missing directory: exit $rc, one line naming it"
	"$T" --input "$DUMPS" --entry $one --output "$O" >/dev/null 2>"$O/e.txt"
	rc=$?
	[ $rc -eq 2 ] && grep -q 'not a regular file' "$O/e.txt"
	ok $? "$L: --output DIRECTORY: exit $rc, not a regular file"
}
