#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The glossary (tools/glossary.c) against the decoder: tests/cli/
# test_glossary.c walks the decoder's tables and checks both directions,
# the order, the texts and the kvm column.  It is built and run twice: with
# -std=c11 -Wall -Wextra -Werror, and with ASan+UBSan.  The kvm values are
# checked against the kvm_intel module parameters of Debian's Linux 6.1
# source when the linux-source-6.1 package is installed, plus the few newer
# ones listed below; otherwise that check is a TAP "# SKIP".
#
# Usage: tests/cli/check-glossary.sh   (CC, LINUX_SOURCE_TARBALL optional)
# Ends with "glossary: N passed, N failed"; exits non-zero on a failure.
set -u
cd "$(dirname "$0")/../.."
CC=${CC:-gcc}
TARBALL=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
CFLAGS="-std=c11 -Wall -Wextra -Werror -I include -I tools"
SRCS="tests/cli/test_glossary.c tools/glossary.c include/vmxcap/decoder.c"
FILES="tools/glossary.h tools/glossary.c tests/cli/test_glossary.c tests/cli/check-glossary.sh"

# kvm_intel parameters newer than 6.1 that the glossary uses.  Read from
# arch/x86/kvm/vmx/vmx.c of Debian linux-source-7.3 7.3.4-1~bpo13+1, as
# recorded in shared/notes/hypervisor-requirements.md section 1.4 (mbec:
# mode-based execute control for EPT; cet: the CET entry/exit controls).
NEWER_PARAMS="mbec cet"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli/tap.sh
. tests/cli/tap.sh

comment() {	# prints file $1 as TAP comments
	sed 's/^/# /' "$1"
}

# Numbers the "ok - " / "not ok - " lines test_glossary prints.
relay() {	# relay OUTPUT_FILE
	local line
	while IFS= read -r line; do
		case $line in
		"ok - "*)
			n=$((n + 1)) passed=$((passed + 1))
			echo "ok $n - ${line#ok - }" ;;
		"not ok - "*)
			n=$((n + 1)) failed=$((failed + 1))
			echo "not ok $n - ${line#not ok - }" ;;
		*)
			echo "$line" ;;
		esac
	done < "$1"
}

# The kvm_intel parameters: module_param() and module_param_named() in the
# files that make up kvm-intel.ko and declare parameters.
params=
if [ -r "$TARBALL" ]; then
	top=$(basename "$TARBALL" .tar.xz)
	if tar -xJOf "$TARBALL" "$top/arch/x86/kvm/vmx/vmx.c" \
		"$top/arch/x86/kvm/vmx/nested.c" "$top/arch/x86/kvm/vmx/sgx.c" \
		> "$tmp/kvm-intel.c" 2> "$tmp/tar.err"; then
		grep -ohE 'module_param(_named)?\( *[A-Za-z0-9_]+' "$tmp/kvm-intel.c" |
			sed 's/.*( *//' > "$tmp/params"
		for p in $NEWER_PARAMS; do
			echo "$p" >> "$tmp/params"
		done
		params=$tmp/params
		echo "# kvm_intel parameters from $TARBALL and the newer list: $(sort -u "$params" | tr '\n' ' ')"
	else
		ok 1 "kvm_intel parameters extracted from $TARBALL"
		comment "$tmp/tar.err"
	fi
fi

# 1. Plain build, then every check of test_glossary.
if $CC $CFLAGS -o "$tmp/test_glossary" $SRCS > "$tmp/cc.out" 2>&1; then
	"$tmp/test_glossary" ${params:+"$params"} > "$tmp/out" 2> "$tmp/err"
	status=$?
	relay "$tmp/out"
	if [ "$status" -ne 0 ] && ! grep -q '^not ok - ' "$tmp/out"; then
		ok 1 "test_glossary exited with status $status"
		comment "$tmp/err"
	fi
else
	ok 1 "test_glossary builds with $CFLAGS"
	comment "$tmp/cc.out"
fi

# 2. The same checks under ASan and UBSan: any report or failure fails.
if $CC $CFLAGS -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -o "$tmp/test_glossary-san" $SRCS > "$tmp/cc-san.out" 2>&1; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		"$tmp/test_glossary-san" ${params:+"$params"} > "$tmp/out-san" 2> "$tmp/err-san"
	status=$?
	checks=$(grep -c -E '^(not )?ok - ' "$tmp/out-san")
	if [ "$status" -eq 0 ] && [ ! -s "$tmp/err-san" ]; then
		ok 0 "ASan+UBSan build: all $checks checks pass, no sanitizer report"
	else
		ok 1 "ASan+UBSan build: status $status"
		grep '^not ok - ' "$tmp/out-san" | sed 's/^/# /'
		comment "$tmp/err-san"
	fi
else
	ok 1 "test_glossary builds with $CFLAGS -fsanitize=address,undefined"
	comment "$tmp/cc-san.out"
fi

# 3. glossary.c must stay linkable with the decoder alone.
bad=$(grep -E '^[[:space:]]*#[[:space:]]*include' tools/glossary.c |
	grep -vE '#include (<stddef\.h>|<string\.h>|"glossary\.h")$')
ok "$([ -z "$bad" ]; echo $?)" "tools/glossary.c includes only <stddef.h>, <string.h> and glossary.h"
[ -n "$bad" ] && echo "$bad" | sed 's/^/# /'

# 4. The SPDX line: first in C files, second (after #!) in the script.
bad=
for f in $FILES; do
	case $f in
	*.sh) line=$(sed -n 2p "$f") want='# SPDX-License-Identifier: GPL-2.0' ;;
	*.h) line=$(sed -n 1p "$f") want='/* SPDX-License-Identifier: GPL-2.0 */' ;;
	*) line=$(sed -n 1p "$f") want='// SPDX-License-Identifier: GPL-2.0' ;;
	esac
	[ "$line" = "$want" ] || bad="$bad $f"
done
ok "$([ -z "$bad" ]; echo $?)" "SPDX identifier in place in the glossary's four files"
[ -n "$bad" ] && echo "# wrong or missing in:$bad"

echo "glossary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
