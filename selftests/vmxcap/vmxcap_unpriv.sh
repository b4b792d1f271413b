#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# An unprivileged user (nobody, uid/gid 65534) reads every file under
# /sys/kernel/vmxcap and can write none; every file is mode 0444 (the
# permission check root bypasses, so the write test needs a real user).
. "$(dirname "$0")/vmxcap_lib.sh"

require_vmx_module
as_nobody() {
	"$HWREAD" runas 65534 "$@"
}

ktap_header 4
files=$(find "$VMXCAP_SYSFS" -type f | sort)
n=$(echo "$files" | wc -l)
diag "$n files"

bad=0
for f in $files; do
	m=$(stat -c %a "$f")
	[ "$m" = 444 ] || { bad=$((bad + 1)); [ $bad -le 10 ] && diag "$f: mode $m"; }
done
ktap_check "all $n files have mode 0444" test $bad -eq 0

# One shell per user, reading and opening with builtins only: a fork per
# file would cost minutes in an emulator.
read_all='for f; do { read -r v || [ -n "$v" ]; } 2>/dev/null <"$f" || echo "$f"; done'
write_all='for f; do if { : >"$f"; } 2>/dev/null; then echo "$f"; fi; done'

bad=$(as_nobody sh -c "$read_all" sh $files)
[ -n "$bad" ] && echo "$bad" | head -n 10 | sed 's/^/# nobody cannot read: /'
ktap_check "nobody reads all $n files" test -z "$bad"

bad=$(as_nobody sh -c "$write_all" sh $files)
[ -n "$bad" ] && echo "$bad" | head -n 10 | sed 's/^/# nobody opened for writing: /'
ktap_check "nobody can open none of the $n files for writing" test -z "$bad"

# Root bypasses the mode bits; sysfs must still refuse: no store().
bad=$(sh -c "$write_all" sh $files)
[ -n "$bad" ] && echo "$bad" | head -n 10 | sed 's/^/# root opened for writing: /'
ktap_check "root can open none of the $n files for writing" test -z "$bad"
ktap_finish
