#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Capability sets (sets/<id>/, cpuN's links into them, the machine file)
# against what the module did not produce:
# - CPUs share a set exactly when msr.ko reads the same values of every VMX
#   MSR (0x3a, 0x480-0x493) on them;
# - each CPU's identity files are /proc/cpuinfo's vendor_id, cpu family,
#   model and stepping, and so are its machine file identity line's;
# - a decoded file read through cpuN/ is sets/<id>/'s (same inode);
# - the machine file lists the published CPUs and the sets as sets/ does,
#   and reads the same in 64-byte pieces as in one read;
# - a CPU costs at most 32 sysfs nodes (its directory, files and links).
. "$(dirname "$0")/vmxcap_lib.sh"

require_vmx_module

S=$VMXCAP_SYSFS
cpus=$(published_cpus)
ncpu=$(echo "$cpus" | wc -w)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ktap_header $((ncpu * 4 + 5))

# The oracle's partition: CPUs by their msr.ko values ("fault" included).
for c in $cpus; do
	v=""
	for idx in 0x3a 0x480 0x481 0x482 0x483 0x484 0x485 0x486 0x487 0x488 0x489 \
		0x48a 0x48b 0x48c 0x48d 0x48e 0x48f 0x490 0x491 0x492 0x493; do
		v="$v $("$HWREAD" msr "$c" "$idx")"
	done
	echo "$c$v"
done >"$tmp/hw"
# Each line: the CPU list of one class, ordered by lowest CPU.
awk '{ k = $0; sub(/^[0-9]+ /, "", k); if (!(k in cl)) o[++n] = k; cl[k] = cl[k] " " $1 }
	END { for (i = 1; i <= n; i++) print cl[o[i]] }' "$tmp/hw" |
	while read -r l; do echo "$l" | tr ' ' '\n' | cpulist; done >"$tmp/hw.classes"
for c in $cpus; do
	echo "$(set_of "$c") $c"
done >"$tmp/mod"
awk '{ if (!($1 in cl)) o[++n] = $1; cl[$1] = cl[$1] " " $2 }
	END { for (i = 1; i <= n; i++) print cl[o[i]] }' "$tmp/mod" |
	while read -r l; do echo "$l" | tr ' ' '\n' | cpulist; done >"$tmp/mod.classes"
diag "msr.ko classes: $(tr '\n' ' ' <"$tmp/hw.classes")"
diag "module sets:    $(tr '\n' ' ' <"$tmp/mod.classes")"
ktap_check "CPUs share a set exactly when msr.ko reads equal VMX MSRs" \
	cmp -s "$tmp/hw.classes" "$tmp/mod.classes"

# sets/: one directory per set, each listing its CPUs; groups lists them.
ok=1
for d in "$S"/sets/*; do
	[ -d "$d" ] || continue
	id=${d##*/}
	want=$(awk -v id="$id" '$1 == id { print $2 }' "$tmp/mod" | cpulist)
	[ "$(cat "$d/cpus")" = "$want" ] || { diag "sets/$id/cpus: '$(cat "$d/cpus")', links say '$want'"; ok=0; }
done
[ "$(ls "$S/sets" | wc -l)" = "$(wc -l <"$tmp/mod.classes")" ] || { diag "sets/: $(ls "$S/sets" | tr '\n' ' ')"; ok=0; }
ktap_check "sets/<id>/cpus lists the CPUs whose set link points to it" test $ok -eq 1
ktap_check "groups lists the sets ('$(cat "$S/groups")')" \
	test "$(cat "$S/groups")" = "$(tr '\n' ' ' <"$tmp/mod.classes" | sed 's/ $//')"

# The machine file: its cpus and set lines as sets/ has them.
cat "$S/machine" >"$tmp/machine"
ok=1
[ "$(sed -n 1p "$tmp/machine")" = "format 1" ] || { diag "line 1: $(sed -n 1p "$tmp/machine")"; ok=0; }
[ "$(sed -n 3p "$tmp/machine")" = "cpus $(cat "$S/cpus")" ] || { diag "line 3: $(sed -n 3p "$tmp/machine")"; ok=0; }
while read -r kw id list; do
	[ "$(cat "$S/sets/$id/cpus" 2>/dev/null)" = "$list" ] || { diag "set $id $list: sets/$id/cpus differs"; ok=0; }
done <<EOT
$(grep '^set ' "$tmp/machine")
EOT
[ "$(grep -c '^set ' "$tmp/machine")" = "$(ls "$S/sets" | wc -l)" ] || ok=0
ktap_check "machine: format 1, the published CPUs, every set with its CPUs" test $ok -eq 1
# Built anew per read(): pieces at offsets must join up to the same text.
dd if="$S/machine" bs=64 2>/dev/null >"$tmp/machine.64"
ktap_check "machine reads the same in 64-byte pieces ($(wc -c <"$tmp/machine") bytes)" \
	cmp -s "$tmp/machine" "$tmp/machine.64"

for c in $cpus; do
	# /proc/cpuinfo: the kernel's own view of the CPU's identity.
	eval "$(awk -v cpu="$c" -F': *' '
		/^processor/ { p = $2 }
		p == cpu && /^vendor_id/ { print "vendor=" $2 }
		p == cpu && /^cpu family/ { printf "family=0x%x\n", $2 }
		p == cpu && /^model[ \t]*:/ { printf "model=0x%x\n", $2 }
		p == cpu && /^stepping/ { printf "stepping=0x%x\n", $2 }' /proc/cpuinfo)"
	got="$(cat "$S/cpu$c/vendor") $(cat "$S/cpu$c/family") $(cat "$S/cpu$c/model") $(cat "$S/cpu$c/stepping")"
	ktap_check "cpu$c: identity files are /proc/cpuinfo's ($got)" \
		test "$got" = "$vendor $family $model $stepping"
	line=$(awk -v cpu="$c" '$1 == "identity" {
		n = split($2, r, ","); for (i = 1; i <= n; i++) {
			if (split(r[i], ab, "-") == 1) ab[2] = ab[1]
			if (cpu + 0 >= ab[1] + 0 && cpu + 0 <= ab[2] + 0) print }
		}' "$tmp/machine")
	want="vendor=$vendor family=$family model=$model stepping=$stepping hypervisor=$(cat "$S/cpu$c/hypervisor")"
	case $line in
	*" $want vmx=1"*) ok=1 ;;
	*) ok=0; diag "cpu$c: machine says '$line', want '... $want vmx=1'" ;;
	esac
	ktap_check "cpu$c: its one machine identity line is /proc/cpuinfo's" \
		test $ok -eq 1 -a "$(echo "$line" | grep -c .)" -eq 1

	# The same file through the CPU's link and in its set.
	id=$(set_of "$c")
	a=$(stat -L -c %i "$S/cpu$c/basic/vmcs_size")
	b=$(stat -c %i "$S/sets/$id/basic/vmcs_size")
	ktap_check "cpu$c/basic/vmcs_size is sets/$id/basic/vmcs_size (inode $a, $b)" \
		test -n "$a" -a "$a" = "$b"

	# Nodes: the directory and what is in it, links not followed.
	n=$(find "$S/cpu$c" | wc -l)
	diag "cpu$c: $n sysfs nodes ($(find "$S/cpu$c" -mindepth 1 -type l | wc -l) links)"
	ktap_check "cpu$c: at most 32 sysfs nodes ($n)" test "$n" -le 32
done
# For people reading the log: the CPUs' directories, their set, and one
# file read through each CPU's link and in the set.
first=$(echo "$cpus" | head -n 1)
id=$(set_of "$first")
for c in $cpus; do ls -l "$S/cpu$c"; done 2>&1 | sed 's/^/# /'
ls -l "$S/sets/$id" 2>&1 | sed 's/^/# /'
for c in $cpus; do
	diag "cat cpu$c/basic/vmcs_size: $(cat "$S/cpu$c/basic/vmcs_size" 2>&1)"
done
diag "cat sets/$id/basic/vmcs_size: $(cat "$S/sets/$id/basic/vmcs_size" 2>&1)"
ktap_finish
