#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per readiness profile and version: how many fixture entries it runs on,
# refuses, or cannot tell (vmxcap-show --require PROFILE --json), and with
# -v the reason of each that does not run.  Each fixture entry is one CPU.
#
# Usage: tests/cli/hv-counts.sh [-v] [PROFILE...]   (default: all of them)
set -u
cd "$(dirname "$0")/../.." || exit 2
T=${T:-tools/vmxcap-show}
DUMPS=tests/data/vmx-msr-dumps.json
verbose=0
[ "${1:-}" = -v ] && { verbose=1; shift; }
make -s -C tools vmxcap-show >/dev/null || exit 2
# shellcheck disable=SC2046 # the profile ids are words
[ $# -gt 0 ] || set -- $("$T" --complete profiles | awk '{ print $1 }')
mapfile -t ids < <(jq -r '.[].id' "$DUMPS")
for p in "$@"; do
	versions=$("$T" --complete profiles | awk -v p="$p" '$1 == p { $1 = ""; print }')
	case $p in
	kvm) opt=--kernel ;;
	xen) opt=--hypervisor-version ;;
	*) opt= ;;
	esac
	for v in $versions; do
		declare -A n=([runs]=0 [refuses]=0 [unknown]=0)
		for id in "${ids[@]}"; do
			# shellcheck disable=SC2086 # $opt is one option or none
			out=$("$T" --input "$DUMPS" --entry "$id" --require "$p" ${opt:+$opt "$v"} --json 2>/dev/null)
			verdict=$(jq -r .verdict <<<"$out")
			n[$verdict]=$((${n[$verdict]:-0} + 1))
			if [ $verbose -eq 1 ] && [ "$verdict" != runs ]; then
				echo "  $p $v $verdict $id: $(jq -r '[.missing[] | (.group // "") + "." + (.id // .requirement)] | join(", ")' <<<"$out") $(jq -r '.reasons[0] // ""' <<<"$out")"
			fi
		done
		printf '%-10s %-5s runs %2d  refuses %2d  unknown %2d  (of %d entries)\n' "$p" "$v" \
			"${n[runs]}" "${n[refuses]}" "${n[unknown]}" "${#ids[@]}"
		unset n
	done
done
