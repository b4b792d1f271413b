#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The decoder's bit positions and "vmx flags" names against a Linux
# kernel's own headers (arch/x86/include/asm/vmxfeatures.h and vmx.h): an
# oracle written by other people.  Every control bit Linux defines must be
# named at the same position, every EPT/VPID capability bit Linux defines
# must be a decoder field, and the flag names the decoder gives for that
# release must be exactly those /proc/cpuinfo would show.
# Usage: check-linux-bits.sh DUMP_TABLES HEADERS_DIR MAJOR.MINOR
set -u
dump=$1 hdr=$2 ver=$3
feat=$hdr/arch/x86/include/asm/vmxfeatures.h
vmx=$hdr/arch/x86/include/asm/vmx.h
passed=0 failed=0

result() {	# result OK|FAIL message
	if [ "$1" = OK ]; then
		passed=$((passed + 1)); echo "ok - $2"
	else
		failed=$((failed + 1)); echo "not ok - $2"
	fi
}

for f in "$feat" "$vmx"; do
	[ -r "$f" ] || { echo "not ok - $f not readable"; echo "0 passed, 1 failed"; exit 1; }
done
ours=$(mktemp)
"$dump" "${ver%%.*}" "${ver#*.}" >"$ours" || exit 1

# Linux's features: "word bit name" where name is "-" when not shown.
# 6.1 shows an unquoted feature by its lower-cased macro name and hides "";
# from 6.11 on only a quoted name is shown.
if grep -q '/\* ""' "$feat"; then style=old; else style=new; fi
linux=$(sed -nE 's@^#define VMX_FEATURE_([A-Z0-9_]+)[[:space:]]*\([[:space:]]*([0-9])\*32\+[[:space:]]*([0-9]+)\)[[:space:]]*/\*[[:space:]]*(.*)@\2 \3 \1 \4@p' "$feat" |
	awk -v style="$style" '{
		word = $1; bit = $2; macro = $3; rest = $0
		sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", rest)
		if (rest ~ /^"[^"]*"/) { match(rest, /^"[^"]*"/); name = substr(rest, 2, RLENGTH - 2) }
		else name = (style == "old") ? tolower(macro) : ""
		print word, bit, (name == "" ? "-" : name)
	}')
[ -n "$linux" ] || { echo "not ok - no VMX_FEATURE_ lines in $feat"; exit 1; }

# 1. Control bits: Linux words 1-4 and word 0 bits 0-15 are control bits.
missing=$(echo "$linux" | while read -r w b _; do
	case $w in
	0) [ "$b" -lt 16 ] || continue; g=pinbased; bit=$b ;;
	1) g=procbased; bit=$b ;;
	2) g=procbased2; bit=$b ;;
	3) g=procbased3; bit=$b ;;
	4) g=procbased3; bit=$((b + 32)) ;;
	esac
	grep -qx "ctl $g $bit" "$ours" || echo "$g:$bit"
done)
[ -z "$missing" ] && result OK "Linux $ver: every VMX_FEATURE control bit is named at its position" ||
	result FAIL "Linux $ver: control bits Linux defines that the decoder lacks: $missing"

# 2. VM-exit and VM-entry control masks of vmx.h.
missing=""
while read -r name value; do
	case $name in *ALWAYSON*) continue ;; esac
	v=$((value))
	[ $((v & (v - 1))) -eq 0 ] && [ "$v" -ne 0 ] || continue
	bit=0; while [ $((1 << bit)) -ne "$v" ]; do bit=$((bit + 1)); done
	case $name in VM_EXIT_*) g=exit ;; *) g=entry ;; esac
	grep -qx "ctl $g $bit" "$ours" || missing="$missing $name:$bit"
done < <(sed -nE 's/^#define (VM_(EXIT|ENTRY)_[A-Z0-9_]+)[[:space:]]+(0x[0-9a-fA-F]+).*/\1 \3/p' "$vmx")
[ -z "$missing" ] && result OK "Linux $ver: every VM_EXIT_/VM_ENTRY_ control bit is named" ||
	result FAIL "Linux $ver: exit/entry bits the decoder lacks:$missing"

# 3. EPT/VPID capability bits (IA32_VMX_EPT_VPID_CAP) that vmx.h defines.
missing="" n=0
while read -r name expr; do
	n=$((n + 1))
	bit=$(echo "$expr" | sed -nE 's/.*<<[[:space:]]*([0-9]+).*/\1/p')
	[ -n "$bit" ] || bit=0
	case $name in VMX_VPID_*) bit=$((bit + 32)) ;; esac
	awk -v b="$bit" '$1 == "field" && $2 == "ept_vpid" && $3 <= b && b <= $4 { f = 1 } END { exit !f }' "$ours" ||
		missing="$missing $name:$bit"
done < <(sed -nE 's/^#define (VMX_(EPT_(EXECUTE_ONLY|PAGE_WALK_[45]|2MB_PAGE|1GB_PAGE|INVEPT|AD|ADVANCED_VMEXIT_INFO|EXTENT_CONTEXT|EXTENT_GLOBAL)|EPTP_(UC|WB)|VPID_(INVVPID|EXTENT_[A-Z_]+))_BIT)[[:space:]]+(.*)/\1 \6/p' "$vmx")
[ -z "$missing" ] && [ "$n" -ge 10 ] && result OK "Linux $ver: every EPT/VPID capability bit of vmx.h ($n) is a decoder field" ||
	result FAIL "Linux $ver: EPT/VPID bits the decoder lacks:$missing"

# 4. The names /proc/cpuinfo shows, per (word, bit).
want=$(echo "$linux" | awk '$3 != "-" { print "flag", $1, $2, $3 }' | sort)
got=$(grep '^flag ' "$ours" | sort)
if [ "$want" = "$got" ]; then
	result OK "Linux $ver: the decoder's vmx flags names equal the kernel's ($(echo "$want" | wc -l) names)"
else
	result FAIL "Linux $ver: vmx flags names differ (< kernel, > decoder)"
	diff <(echo "$want") <(echo "$got") | grep '^[<>]'
fi
# 5. The default1 controls: Linux forces them on in its nested guests'
# legacy MSRs (*_ALWAYSON_WITHOUT_TRUE_MSR), as the SDM's A.2 classes say.
bad=""
for pair in pinbased:PIN_BASED procbased:CPU_BASED exit:VM_EXIT entry:VM_ENTRY; do
	g=${pair%%:*} macro=${pair#*:}_ALWAYSON_WITHOUT_TRUE_MSR
	theirs=$(sed -nE "s/^#define $macro[[:space:]]+(0x[0-9a-fA-F]+).*/\1/p" "$vmx")
	mine=$(awk -v g="$g" '$1 == "default1" && $2 == g { print $3 }' "$ours")
	if [ -z "$theirs" ] || [ $((theirs)) -ne $((mine)) ]; then
		bad="$bad $g:${mine:-none}/${theirs:-none}"
	fi
done
[ -z "$bad" ] && result OK "Linux $ver: default1 controls equal the *_ALWAYSON_WITHOUT_TRUE_MSR masks" ||
	result FAIL "Linux $ver: default1 masks differ (decoder/kernel):$bad"
rm -f "$ours"
echo "linux-bits: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
