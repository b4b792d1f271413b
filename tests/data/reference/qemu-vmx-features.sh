#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU's own names for the VMX capability bits, taken from its source:
# feature_word_info[FEAT_VMX_*].feat_names in target/i386/cpu.c of
# Debian's qemu source packages (bookworm and trixie), fetched through a
# private apt configuration (the system's sources are not touched) and
# cached in $VMXCAP_CACHE/qemu-src.  Writes qemu-VERSION-vmx-features.txt
# beside this script, one line per named bit:
#   WORD BIT NAME      e.g. FEAT_VMX_SECONDARY_CTLS 1 vmx-ept
# BIT counts from 0 in the feature word (64-bit words: the MSR's bit).
# tests/cli/run-cli.sh checks vmxcap-show's aliases against these files.
#
# Usage: tests/data/reference/qemu-vmx-features.sh     (network: Debian's archive)
set -eu
cd "$(dirname "$0")"
HERE=$PWD
CACHE=${VMXCAP_CACHE:-/var/cache/vmxcap}/qemu-src
mkdir -p "$CACHE/lists/partial" "$CACHE/cache/archives/partial" "$CACHE/etc"
printf 'deb-src http://deb.debian.org/debian %s main\n' bookworm trixie >"$CACHE/etc/sources.list"
APT=(-o "Dir::Etc::SourceList=$CACHE/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$CACHE/lists" -o "Dir::Cache=$CACHE/cache")
apt-get "${APT[@]}" update -q >/dev/null

apt-cache "${APT[@]}" showsrc qemu | sed -n 's/^Version: //p' | sort -u | while read -r ver; do
	upstream=${ver#*:}
	upstream=${upstream%%+*}
	dir=$CACHE/qemu-$ver
	if [ ! -f "$dir/cpu.c" ]; then
		mkdir -p "$dir"
		(cd "$dir" && apt-get "${APT[@]}" source --download-only "qemu=$ver" >/dev/null)
		tar -xJOf "$(ls "$dir"/qemu_*.orig.tar.xz)" --wildcards '*/target/i386/cpu.c' >"$dir/cpu.c"
	fi
	out=$HERE/qemu-$upstream-vmx-features.txt
	{
		echo "# QEMU's VMX feature names: Debian source package qemu $ver,"
		echo "# target/i386/cpu.c, feature_word_info[FEAT_VMX_*].feat_names (WORD BIT NAME)"
		echo "# written by tests/data/reference/qemu-vmx-features.sh"
		# Positional lists (NULL or "name", four a line) and [N] = "name" forms.
		awk '
		/^    \[FEAT_VMX_[A-Z_]+\] = \{/ {
			word = $1; gsub(/[\[\]]/, "", word); inword = 1; bit = 0; next
		}
		inword && /\.feat_names = \{/ { innames = 1; next }
		innames && /^ *\},/ { innames = 0; inword = 0; next }
		innames {
			line = $0
			sub(/\/\*.*\*\//, "", line)
			if (match(line, /^ *\[[0-9]+\] = /)) {
				n = line; sub(/^ *\[/, "", n); sub(/\].*/, "", n)
				name = line; sub(/^[^"]*"/, "", name); sub(/".*/, "", name)
				print word, n, name
				next
			}
			k = split(line, items, ",")
			for (i = 1; i <= k; i++) {
				item = items[i]
				gsub(/^[ \t]+|[ \t]+$/, "", item)
				if (item == "") continue
				if (item ~ /^"/) { gsub(/"/, "", item); print word, bit, item }
				bit++
			}
		}' "$dir/cpu.c"
	} >"$out"
	echo "$out: $(grep -vc '^#' "$out") names"
done
