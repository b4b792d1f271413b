#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show's three sources on a live kernel with VMX, each checked
# against what the tool did not produce (msr.ko and cpuid.ko reads through
# vmxcap_hwread, /proc/cpuinfo, /proc/cmdline, /proc/modules):
# - the module not loaded, as root: the answer comes from msr.ko, its
#   verdict is IA32_FEATURE_CONTROL's, its --dump holds msr.ko's values and
#   equals the module's --dump once it is loaded (all but "source");
# - as an unprivileged user: /proc/cpuinfo and CPUID, the verdict inferred
#   from Linux's flags (unknown, naming clearcpuid, when the kernel was
#   booted with clearcpuid=vmx), --require from Linux's vmx flags or exit 2
#   where they cannot tell; the --dump's vmx flags are /proc/cpuinfo's;
# - --source sysfs without the module: one line, exit 2.
# Leaves the module loaded.
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/vmxcap_lib.sh"

require_show_and_installed_module

OUT=/tmp/vmxcap_sources.out
ERR=/tmp/vmxcap_sources.err
T=/tmp/vmxcap_sources

clear=0
clearcpuid_vmx && clear=1
ktap_header $((21 + clear))

# ---- what the oracles say -----------------------------------------------
diag "kernel command line: $(cat /proc/cmdline)"
cpuinfo_view >$T.view
sed 's/^/# \/proc\/cpuinfo: /' $T.view
fcv=$(for c in $(online_cpus); do fc_verdict "$c"; done | sort -u)
diag "IA32_FEATURE_CONTROL (msr.ko): $(for c in $(online_cpus); do echo "cpu$c $("$HWREAD" msr "$c" 0x3a)"; done | tr '\n' ' ')-> $fcv"
root_line=$(verdict_line "$fcv")
# Linux's view: vmx in every CPU's flags (it keeps it unless firmware locked
# VMX off); else clearcpuid=vmx hid it, or firmware did.
if ! awk '$6 != "true" { exit 1 }' $T.view; then
	if [ $clear -eq 1 ]; then lv=unknown; else lv="disabled by firmware"; fi
else
	lv=usable
fi
linux_line=$(verdict_line "$lv")
# --require ept from Linux's vmx flags: 0 when every CPU's line has ept, 1
# when a line lacks it, 2 (cannot tell) when a CPU has no line at all.
ept_want=0
while read -r _ _ _ _ _ _ vf; do
	case " $vf " in
	" null ") ept_want=2; break ;;
	*" ept "*) ;;
	*) ept_want=1 ;;
	esac
done <$T.view
[ "$lv" = "disabled by firmware" ] && ept_want=1	# the verdict alone says no
diag "expected: as root \"$root_line\"; as nobody \"$linux_line\", --require ept exit $ept_want"

# The EPT and VPID rows of the summary's feature table (one set of CPUs).
row() {	# FILE LABEL: the cell of the first set
	awk -v l="$2" '$1 == l { print $2; exit }' "$1"
}
linux_has() {	# FLAG: yes when every CPU's vmx flags have it, else no
	if awk -v f="$1" '{ n = 0; for (i = 7; i <= NF; i++) n += $i == f; if (!n) exit 1 }' $T.view
	then echo yes; else echo no; fi
}
rows_ok() {	# FILE: its EPT and VPID cells are what /proc/cpuinfo says
	[ "$(row "$1" EPT)" = "$(linux_has ept)" ] && [ "$(row "$1" VPID)" = "$(linux_has vpid)" ]
}

# ---- not loaded, as root: msr.ko ----------------------------------------
module_unload || { diag "cannot unload vmxcap"; exit "$KSFT_FAIL"; }
[ ! -e "$VMXCAP_SYSFS" ] || { diag "$VMXCAP_SYSFS is left after rmmod"; exit "$KSFT_FAIL"; }
diag "vmxcap unloaded; installed as $installed"

show -n 10
cp "$OUT" $T.root
ok=0
[ $rc -eq 0 ] && ! [ -s "$ERR" ] && says $T.root "Source: msr.ko, /dev/cpu, as root" && ok=1
ktap_check "root, no module: exit 0, the source is msr.ko, nothing on stderr" test $ok -eq 1
ok=0
[ "$(head -n 1 $T.root)" = "$root_line" ] && ok=1
[ "$fcv" = usable ] && ! says $T.root "IA32_FEATURE_CONTROL is locked with VMX enabled outside SMX" && ok=0
ktap_check "root, no module: the verdict is IA32_FEATURE_CONTROL's ($fcv)" test $ok -eq 1
ok=0
says $T.root "not used: vmxcap.ko is installed ($installed) but not loaded" &&
	says $T.root "modprobe vmxcap" && says $T.root "vmxcap-show --load" && ok=1
ktap_check "root, no module: a note names $installed, modprobe vmxcap and --load" test $ok -eq 1
diag "EPT row: $(row $T.root EPT), VPID row: $(row $T.root VPID); /proc/cpuinfo: ept $(linux_has ept), vpid $(linux_has vpid)"
ktap_check "root, no module: the EPT and VPID rows agree with /proc/cpuinfo's vmx flags" rows_ok $T.root

# --dump from msr.ko: msr.ko's own values, /proc/cpuinfo's identities,
# cpuid.ko's VMX and hypervisor bits.
show -n 5 --source msr --dump
cp "$OUT" $T.msr.dump
ok=0
[ $rc -eq 0 ] && ! [ -s "$ERR" ] && grep -q '"source": "msr"' $T.msr.dump && ok=1
ktap_check "--source msr --dump: exit 0, \"source\": \"msr\"" test $ok -eq 1
dump_lines $T.msr.dump >$T.msr.dl
dump_vs_msr $T.msr.dl
diag "msr.ko dump: $(grep -c '^cpu ' $T.msr.dl) CPUs, $dump_n MSR values, $dump_bad differ from vmxcap_hwread's reads"
ktap_check "--source msr --dump: all $dump_n MSR values equal msr.ko's reads" \
	test $dump_bad -eq 0 -a $dump_n -gt 0
expect=$(cpuinfo_id_lines)
got=$(grep '^id ' $T.msr.dl | sort)
bad=0
[ "$got" = "$expect" ] || { bad=1; diag "dump identity: $got"; diag "/proc/cpuinfo: $expect"; }
for c in $(online_cpus); do
	"$HWREAD" hasvmx "$c"; v=$(( $? == 0 ))
	ecx=$("$HWREAD" cpuid "$c" 1 | awk '{ print $3 }')
	h=$(( (0x$ecx >> 31) & 1 ))
	[ $v -eq 1 ] && vb=true || vb=false
	[ $h -eq 1 ] && hb=true || hb=false
	if ! grep -qx "flag $c vmx $vb" $T.msr.dl || ! grep -qx "flag $c hypervisor $hb" $T.msr.dl; then
		bad=1
		diag "cpu$c: cpuid.ko says vmx $vb, hypervisor $hb; dump: $(grep "^flag $c " $T.msr.dl | tr '\n' ' ')"
	fi
done
ktap_check "--source msr --dump: identities are /proc/cpuinfo's, vmx and hypervisor cpuid.ko's" \
	test $bad -eq 0

show --source sysfs
ok=0
[ $rc -eq 2 ] && one_line "$ERR" && ! [ -s "$OUT" ] && has "$ERR" "not loaded" && ok=1
ktap_check "--source sysfs, no module: exit 2, one stderr line (not loaded), nothing on stdout" \
	test $ok -eq 1

# ---- not loaded, unprivileged: /proc/cpuinfo and CPUID -------------------
show -n 12 as-nobody
cp "$OUT" $T.nobody
ok=0
[ $rc -eq 0 ] && ! [ -s "$ERR" ] && says $T.nobody "Source: /proc/cpuinfo and CPUID, as any user" && ok=1
ktap_check "nobody, no module: exit 0, the source is /proc/cpuinfo and CPUID" test $ok -eq 1
ok=0
[ "$(head -n 1 $T.nobody)" = "$linux_line" ] && ok=1
case $lv in
usable) says $T.nobody "Linux kept vmx in its flags" || ok=0 ;;
unknown) says $T.nobody "booted with clearcpuid=vmx" || ok=0 ;;
esac
ktap_check "nobody, no module: the verdict is $lv, as Linux's flags and /proc/cmdline say" test $ok -eq 1
ok=0
says $T.nobody "not used: msr.ko: /dev/cpu/0/msr: Permission denied: run as root" &&
	says $T.nobody "not used: vmxcap.ko is installed ($installed) but not loaded" && ok=1
ktap_check "nobody, no module: notes say msr.ko needs root and vmxcap.ko is not loaded" test $ok -eq 1
if [ "$lv" = usable ]; then
	diag "EPT row: $(row $T.nobody EPT), VPID row: $(row $T.nobody VPID)"
	ok=0
	rows_ok $T.nobody && says $T.nobody "yes/no: as Linux's vmx flags say" && ok=1
	ktap_check "nobody, no module: the EPT and VPID rows are /proc/cpuinfo's, and say so" test $ok -eq 1
else
	ok=0
	says $T.nobody "not known from this source" && ! grep -q '^FEATURE' $T.nobody && ok=1
	ktap_check "nobody, no module: no feature table, it says they are not known from this source" \
		test $ok -eq 1
fi

show as-nobody --require ept
ok=0
if [ $ept_want -eq 2 ]; then
	[ $rc -eq 2 ] && one_line "$ERR" && ! [ -s "$OUT" ] && has "$ERR" "cannot tell" &&
		has "$ERR" "run as root" && ok=1
else
	[ $rc -eq $ept_want ] && ! [ -s "$ERR" ] && has "$OUT" "as Linux's vmx flags say" && ok=1
fi
if [ $ept_want -eq 2 ]; then
	what="exits 2: no vmx flags line in /proc/cpuinfo, it cannot tell; run as root"
else
	what="exits $ept_want as /proc/cpuinfo's vmx flags say, and says so"
fi
ktap_check "nobody, no module: --require ept $what" test $ok -eq 1
show as-nobody --require exit.load_pat
ok=0
[ $rc -eq 2 ] && one_line "$ERR" && ! [ -s "$OUT" ] && has "$ERR" "run as root" && ok=1
ktap_check "nobody, no module: --require exit.load_pat (not in vmx flags) exits 2, run as root" \
	test $ok -eq 1

show -n 5 as-nobody --source cpuinfo --dump
cp "$OUT" $T.ci.dump
ok=0
[ $rc -eq 0 ] && ! [ -s "$ERR" ] && grep -q '"source": "cpuinfo"' $T.ci.dump && ok=1
ktap_check "nobody: --source cpuinfo --dump: exit 0, \"source\": \"cpuinfo\"" test $ok -eq 1
dump_lines $T.ci.dump >$T.ci.dl
sets=$(grep -c '"cpus": ' $T.ci.dump)
want=$(cut -d' ' -f2- $T.view | sort -u | wc -l)
diag "cpuinfo dump: $sets sets; /proc/cpuinfo: $want distinct identity + vmx flags"
ktap_check "--source cpuinfo --dump: one set per distinct vmx flags line ($want)" test "$sets" -eq "$want"
bad=0
while read -r c _ _ _ _ fv vf; do
	got=$(sed -n "s/^linux $c //p" $T.ci.dl)
	[ "$got" = "$fv $vf" ] || { bad=1; diag "cpu$c: dump \"$got\", /proc/cpuinfo \"$fv $vf\""; }
done <$T.view
ktap_check "--source cpuinfo --dump: each CPU's flags_vmx and vmx_flags are /proc/cpuinfo's" \
	test $bad -eq 0

if [ $clear -eq 1 ]; then
	# The machine is what it claims: the kernel took clearcpuid=vmx.
	bad=0
	for c in $(online_cpus); do
		"$HWREAD" hasvmx "$c" || { bad=1; diag "cpu$c: no VMX in CPUID"; }
	done
	awk '$6 == "true" || $7 != "null" { exit 1 }' $T.view || { bad=1; diag "Linux still shows vmx"; }
	diag "dmesg: $(dmesg | grep -m1 'Clearing CPUID bits')"
	ktap_check "clearcpuid=vmx: CPUID has VMX, Linux's flags have no vmx and no vmx flags line" \
		test $bad -eq 0
fi

# ---- the module's dump equals msr.ko's ----------------------------------
module_load || diag "vmxcap failed to load"
show -n 5 --dump
cp "$OUT" $T.sysfs.dump
ok=0
[ $rc -eq 0 ] && ! [ -s "$ERR" ] && grep -q '"source": "sysfs"' $T.sysfs.dump && ok=1
ktap_check "module loaded: --dump: exit 0, \"source\": \"sysfs\"" test $ok -eq 1
# Line by line but for "source": the tool fills what the module does not
# publish (the hypervisor signature, AMD-V's CPUID bit) from CPUID, as
# msr.ko's reader does, so any other difference fails.
# "taken" is when each dump was read: seconds apart.
grep -Ev '^  "(source|taken)": ' $T.msr.dump >$T.a
grep -Ev '^  "(source|taken)": ' $T.sysfs.dump >$T.b
diag "compared: $(wc -l <$T.a) lines of --source msr --dump, $(wc -l <$T.b) of --dump (sysfs), \"source\" and \"taken\" left out"
diff $T.a $T.b >$T.diff
ok=$?
sed 's/^/#   diff: /' $T.diff | head -n 20
ktap_check "--source msr --dump (no module) equals --dump from the module" test $ok -eq 0
dump_lines $T.sysfs.dump >$T.sysfs.dl
want=$(online_cpus | tr '\n' ' ')
ok=0
[ "$(sed -n 's/^cpu //p' $T.msr.dl | sort -n | tr '\n' ' ')" = "$want" ] &&
	[ "$(sed -n 's/^cpu //p' $T.sysfs.dl | sort -n | tr '\n' ' ')" = "$want" ] && ok=1
ktap_check "both dumps hold every online CPU ($(online_cpus | cpulist)) once" test $ok -eq 1

ktap_check "the module is left loaded" sh -c "grep -q '^vmxcap ' /proc/modules && test -d '$VMXCAP_SYSFS'"
ktap_finish
