#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /sys/kernel/vmxcap matches Documentation/ABI/testing/sysfs-kernel-vmxcap:
# every file it documents exists (where its directory exists), no file or
# directory exists that it does not document, every link of a cpuN/ points
# into its set's directory, every file has mode 0444, is ASCII with one
# trailing newline (the machine file: vmxcap_sets.sh), and parses as
# documented.  Paths are "cpuN/..." and "sets/<id>/..." as the ABI has them.
#
# The documented names are read from the ABI file itself (VMXCAP_ABI_DOC):
# What: lines, and for <msr>, <field>, <bit> and <control> the tables and
# lists in their descriptions.  The parse rules per file are below.
. "$(dirname "$0")/vmxcap_lib.sh"

DOC=${VMXCAP_ABI_DOC:-$VMXCAP_DIR/../../Documentation/ABI/testing/sysfs-kernel-vmxcap}
[ -f "$DOC" ] || skip_all "no ABI description (set VMXCAP_ABI_DOC)"
require_vmx_module

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Documented files, relative to /sys/kernel/vmxcap with "cpuN", one per
# line: "PATH KIND", KIND "flag" for one-bit fields (the ABI: "yes" or
# "no"), else "-".
awk '
function flush(   i, w, dir, leaf, n, k) {
	for (i = 1; i <= nw; i++) {
		w = what[i]
		sub(/^\/sys\/kernel\/vmxcap\/?/, "", w)
		if (w == "" || w ~ /\/$/)
			continue
		if (w !~ /\/<[a-z]+>$/) { print w, "-"; continue }	# sets/<id>/x too
		dir = w; sub(/\/<[a-z]+>$/, "", dir)
		leaf = w; sub(/^.*\//, "", leaf)
		key = dir; sub(/^sets\/<id>/, "cpuN", key)	# the same directories
		if (leaf == "<msr>" || leaf == "<field>") {
			for (k = 1; k <= nrow; k++)
				print dir "/" row[k], rowkind[k]
		} else {
			n = split(names[key], a, " ")
			for (k = 1; k <= n; k++)
				print dir "/" a[k], "-"
		}
	}
	nw = 0; nrow = 0; intable = 0; cur = ""
	for (k in names) delete names[k]
}
/^What:/ { if (indesc) { flush(); indesc = 0 } what[++nw] = $2; next }
/^Description:/ { indesc = 1; next }
!indesc { next }
# Tables (rows between the first two ==== rules): first column is a name.
/^\t\t=+( +=+)+ *$/ { intable++; next }
intable == 1 && /^\t\t[a-z]/ {
	row[++nrow] = $1
	rowkind[nrow] = ($2 ~ /^[0-9]+$/) ? "flag" : "-"
	next
}
# CR bit lists: "cr0: pe (0), mp (1), ..." up to a blank line.
/^\t\tcr[0-9]+: / { cur = $1; sub(/:$/, "", cur) }
# Control lists: a "group (IA32_...):" heading, then "  N name (...)".
/^\t\t[a-z0-9]+ \(IA32_[A-Z0-9_]+\):/ { cur = $1; next }
/^[ \t]*$/ {
	if (cur ~ /^cr/) {
		s = crtext[cur]
		gsub(/[ \t]+/, " ", s)
		while (match(s, /[a-z0-9_]+ \([0-9]+\)/)) {
			t = substr(s, RSTART, RLENGTH); sub(/ .*/, "", t)
			names["cpuN/" cur] = names["cpuN/" cur] " " t
			s = substr(s, RSTART + RLENGTH)
		}
		delete crtext[cur]
		cur = ""
	}
	next
}
# An entry may wrap between a name and its "(N)": join the lines first.
cur ~ /^cr/ { crtext[cur] = crtext[cur] " " $0; next }
cur != "" && /^\t\t  [0-9]+ [a-z0-9_]+ \(/ { names["cpuN/" cur] = names["cpuN/" cur] " " $2 }
END { if (indesc) flush() }
' "$DOC" | sort -u >"$tmp/doc"

# Not following links: each file once, in cpuN/ or in sets/<id>/.
find "$VMXCAP_SYSFS" -type f | sort >"$tmp/files"
find "$VMXCAP_SYSFS" -mindepth 1 -type d | sort >"$tmp/dirs"
find "$VMXCAP_SYSFS" -type f -exec stat -c '%a %n' {} + >"$tmp/modes"
find "$VMXCAP_SYSFS" -type f ! -name machine -exec wc -l {} + | grep -v ' total$' >"$tmp/newlines"
find "$VMXCAP_SYSFS" -type f ! -name machine -exec awk '{ print FILENAME "\t" $0 }' {} + >"$tmp/content"
find "$VMXCAP_SYSFS" -mindepth 2 -maxdepth 2 -type l | sort >"$tmp/links"
# As the ABI names them.
norm() { sed "s|^$VMXCAP_SYSFS/||; s|cpu[0-9][0-9]*|cpuN|; s|^sets/[0-9][0-9]*|sets/<id>|"; }

ndoc=$(wc -l <"$tmp/doc")
nfiles=$(wc -l <"$tmp/files")
diag "$ndoc documented files per CPU and top level; $nfiles files present"

ktap_header 7
ktap_check "the ABI description names files ($ndoc)" test "$ndoc" -gt 50

# Present but undocumented (files and directories).
undoc=$(norm <"$tmp/files" |
	sort -u | while read -r f; do
		grep -q "^$f " "$tmp/doc" || echo "$f"
	done)
undoc="$undoc$(norm <"$tmp/dirs" |
	sort -u | while read -r d; do
		grep -q "^$d/" "$tmp/doc" || echo " $d/"
	done)"
[ -n "$undoc" ] && echo "$undoc" | head -n 20 | sed 's/^/# undocumented: /'
ktap_check "no undocumented file or directory" test -z "$undoc"

# Documented but missing: top-level files always; a CPU's or a set's own
# files always (problems and vmx_flags only with VMX); files in a
# subdirectory whenever that directory exists (which directories exist is
# vmxcap_decoded's job).  cpuN/'s subdirectories are read through its links.
missing=""
for f in $(awk '$1 !~ /^(cpuN|sets)\// { print $1 }' "$tmp/doc"); do
	[ -f "$VMXCAP_SYSFS/$f" ] || missing="$missing $f"
done
check_dir() {	# DIR DOC-PREFIX
	vmx=0
	[ "$(cat "$1/status")" != no_vmx ] && vmx=1
	for f in $(awk -v p="$2" 'index($1, p) == 1 { print substr($1, length(p) + 1) }' "$tmp/doc"); do
		case $f in
		raw/*) continue ;;	# one per MSR read: vmxcap_decoded checks
		problems|vmx_flags) [ $vmx = 1 ] || continue ;;
		set) [ -L "$1/set" ] || missing="$missing ${1#"$VMXCAP_SYSFS"/}/set"; continue ;;
		*/*) [ -d "$1/${f%/*}" ] || continue ;;
		esac
		[ -f "$1/$f" ] || missing="$missing ${1#"$VMXCAP_SYSFS"/}/$f"
	done
}
for c in $(published_cpus); do
	check_dir "$VMXCAP_SYSFS/cpu$c" cpuN/
done
for d in "$VMXCAP_SYSFS"/sets/*; do
	[ -d "$d" ] && check_dir "$d" "sets/<id>/"
done
[ -n "$missing" ] && echo "$missing" | tr ' ' '\n' | grep . | head -n 20 | sed 's/^/# missing: /'
ktap_check "every documented file exists" test -z "$missing"

# cpuN/set points to ../sets/<id>, every other link of cpuN/ to the
# directory of the same name in that set, and each documents a directory.
badlink=$(while read -r l; do
	t=$(readlink "$l"); name=${l##*/}; cpu=${l%/*}
	set=$(readlink "$cpu/set")
	case $set in ../sets/[0-9]*) ;; *) echo "${cpu##*/}/set -> $set"; continue ;; esac
	[ "$name" = set ] && continue
	[ "$t" = "$set/$name" ] || echo "${l#"$VMXCAP_SYSFS"/} -> $t (want $set/$name)"
	grep -q "^cpuN/$name/" "$tmp/doc" || echo "${l#"$VMXCAP_SYSFS"/}: undocumented link"
done <"$tmp/links")
nlinks=$(wc -l <"$tmp/links")
[ -n "$badlink" ] && echo "$badlink" | head -n 10 | sed 's/^/# link: /'
ktap_check "every link of a cpuN/ points into its set ($nlinks links)" \
	test -z "$badlink" -a "$nlinks" -gt 0

badmode=$(grep -v '^444 ' "$tmp/modes")
[ -n "$badmode" ] && echo "$badmode" | head -n 10 | sed 's/^/# mode: /'
ktap_check "every file has mode 0444" test -z "$badmode"

# One line ending in a newline (msrs: one line per MSR, possibly none).
badnl=$(awk -v sys="$VMXCAP_SYSFS/" '
	NR == FNR { n[$2] = $1; next }
	{ f = $0; sub(/\t.*/, "", f); recs[f]++ }
	END {
		for (f in n) {
			r = recs[f] + 0
			if (n[f] != 1 || r != 1) print f " (" n[f] " newlines, " r " lines)"
		}
	}' "$tmp/newlines" "$tmp/content")
nonascii=$(cut -f2- "$tmp/content" | grep -c '[^ -~]')
[ -n "$badnl" ] && echo "$badnl" | head -n 10 | sed 's/^/# format: /'
[ "$nonascii" -ne 0 ] && diag "$nonascii lines with non-ASCII or control characters"
ktap_check "every file is ASCII, one value, one trailing newline" \
	test -z "$badnl" -a "$nonascii" -eq 0

# Each value parses as its ABI entry says.
badval=$(awk -v sys="$VMXCAP_SYSFS/" '
	# No {n} intervals: not every awk has them.
	function rep(s, n,   r) { r = ""; while (n-- > 0) r = r s; return r }
	BEGIN { h3 = rep("[0-9a-f]", 3); h16 = rep("[0-9a-f]", 16); v12 = rep("[!-~]", 12) }
	NR == FNR { kind[$1] = $2; next }
	{
		f = $0; sub(/\t.*/, "", f); v = substr($0, length(f) + 2)
		# A set'"'"'s directories are documented as cpuN'"'"'s, read through links.
		r = f; sub("^" sys, "", r); gsub(/cpu[0-9]+/, "cpuN", r)
		sub(/^sets\/[0-9]+/, "cpuN", r)
		leaf = r; sub(/^.*\//, "", leaf)
		dir = r; sub(/\/[^\/]*$/, "", dir)
		cpulist = "[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*"
		if (r == "decoder_version") re = "^[0-9]+$"
		else if (r == "cpus" || r == "cpuN/cpus") re = "^" cpulist "$"
		else if (r == "groups") re = "^" cpulist "( " cpulist ")*$"
		else if (r == "identical" || leaf == "hypervisor") re = "^[01]$"
		else if (r == "cpuN/status") re = "^(usable|disabled_by_firmware|smx_only|unlocked|unknown|no_vmx)$"
		else if (r == "cpuN/vendor") re = "^" v12 "$"
		else if (r ~ /^cpuN\/(family|model|stepping)$/) re = "^0x[0-9a-f]+$"
		else if (r == "cpuN/problems") re = "^$|^[a-z0-9_]+:[a-z0-9_?]+(:[0-9]+)?( [a-z0-9_]+:[a-z0-9_?]+(:[0-9]+)?)*( [+][0-9]+)?$"
		else if (r == "cpuN/vmx_flags") re = "^$|^[a-z0-9_]+( [a-z0-9_]+)*$"
		else if (dir == "cpuN/raw") re = "^(0x" h16 "|faulted)$"
		else if (leaf == "unknown_bits") re = "^0x" h16 "$"
		else if (leaf == "unnamed_allowed") re = "^$|^[0-9]+( [0-9]+)*$"
		else if (dir ~ /^cpuN\/cr[04]$/) re = "^(forced|no|yes|inconsistent)$"
		else if (dir ~ /^cpuN\/(pinbased|procbased|procbased2|procbased3|exit|exit2|entry|vmfunc)$/)
			re = "^(yes|no|forced|default|inconsistent|unknown)$"
		else if (r == "cpuN/basic/vmcs_memory_type") re = "^(UC|WB|reserved)$"
		else if (r == "cpuN/vmcs_enum/highest_index") re = "^0x[0-9a-f]+$"
		else if (kind[r] == "flag") re = "^(yes|no)$"
		else if (r in kind) re = "^[0-9]+$"
		else re = "."
		if (v !~ re) print r " (" f "): \"" v "\" does not match " re
	}' "$tmp/doc" "$tmp/content")
[ -n "$badval" ] && echo "$badval" | head -n 20 | sed 's/^/# parse: /'
ktap_check "every value parses as documented" test -z "$badval"
ktap_finish
