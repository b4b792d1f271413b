#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show on a live kernel with VMX, the paths a machine without VMX
# cannot reach: with the module installed (modules.dep) but not loaded, as
# root it answers from msr.ko and says the module is installed, not loaded,
# and how to load it; --load as an unprivileged user fails with one line
# asking for root; --load as root loads it through libkmod and shows the
# capabilities; --load when it is loaded just shows them.  Then, with the
# tree: --flags equals the kernel's own "vmx flags" lines, --require agrees
# with them, and --dump round-trips and equals msr.ko's reads.  (Each source
# on its own, unprivileged included: vmxcap_sources.sh.)
# Exit codes are tools/README.md's: 0 success, 1 a negative answer (a
# requirement not met), 2 an error (one line on stderr).
# Leaves the module loaded, as the tests after it expect.
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/vmxcap_lib.sh"

require_show_and_installed_module

OUT=/tmp/vmxcap_cli.out
ERR=/tmp/vmxcap_cli.err

# Names Linux prints in "vmx flags" since 5.x (Bochs Skylake-X's line on
# 6.1, tests/vm): when /proc/cpuinfo lacks one, --require must say no.
REF_FLAGS="vnmi preemption_timer invvpid ept_x_only ept_ad ept_1gb flexpriority tsc_offset
vtpr vapic ept vpid unrestricted_guest vapic_reg vid ple shadow_vmcs pml tsc_scaling"

ncpus=$(cpuinfo_flags | wc -l)
ktap_header $((22 + ncpus))

# What the CPUs say, through msr.ko and /proc/cpuinfo: the verdict of
# IA32_FEATURE_CONTROL (the same on every CPU, or the summary splits it)
# and whether every CPU's vmx flags have ept.
fcv=$(for c in $(online_cpus); do fc_verdict "$c"; done | sort -u)
diag "IA32_FEATURE_CONTROL (msr.ko): $fcv on every online CPU"
[ "$(echo "$fcv" | wc -l)" -eq 1 ] || diag "the CPUs' IA32_FEATURE_CONTROL verdicts differ"
want_line=$(verdict_line "$fcv")
ept_want=0
cpuinfo_flags | while read -r c f; do
	case " $f " in *" ept "*) ;; *) exit 1 ;; esac
done || ept_want=1
[ "$ncpus" -gt 0 ] || ept_want=1

# ---- installed, not loaded ----------------------------------------------
module_unload || { diag "cannot unload vmxcap"; exit "$KSFT_FAIL"; }
[ ! -e "$VMXCAP_SYSFS" ] || { diag "$VMXCAP_SYSFS is left after rmmod"; exit "$KSFT_FAIL"; }
diag "unloaded; installed as $installed"

# As root it answers from msr.ko, and says why not from the module.
show -n 12
ok=0
[ $rc -eq 0 ] && ! [ -s "$ERR" ] && says "$OUT" "Source: msr.ko, /dev/cpu, as root" && ok=1
ktap_check "not loaded (root): exit 0, answers from msr.ko, nothing on stderr" test $ok -eq 1
ok=0
[ "$(head -n 1 "$OUT")" = "$want_line" ] && ok=1
[ $ok -eq 1 ] || diag "expected: $want_line"
ktap_check "not loaded (root): the verdict is IA32_FEATURE_CONTROL's as msr.ko reads it" test $ok -eq 1
ktap_check "not loaded (root): a note says $installed is installed but not loaded" \
	says "$OUT" "not used: vmxcap.ko is installed ($installed) but not loaded"
ok=0
says "$OUT" "modprobe vmxcap" && says "$OUT" "vmxcap-show --load" && ok=1
ktap_check "not loaded (root): the note tells to run modprobe vmxcap or vmxcap-show --load" \
	test $ok -eq 1

# --require answers from msr.ko too: as /proc/cpuinfo's vmx flags say.
show --require ept
ok=0
[ $rc -eq $ept_want ] && ! [ -s "$ERR" ] && ok=1
ktap_check "not loaded (root): --require ept exits $ept_want as /proc/cpuinfo's vmx flags say" \
	test $ok -eq 1

# ---- --load without privilege ------------------------------------------
show as-nobody --load
ktap_check "unprivileged --load: exit 2" test $rc -eq 2
ok=0
one_line "$ERR" && ! [ -s "$OUT" ] && { has "$ERR" root || has "$ERR" CAP_SYS_MODULE; } && ok=1
ktap_check "unprivileged --load: one stderr line asking for root, nothing on stdout" test $ok -eq 1
ktap_check "unprivileged --load: the module is still not loaded" \
	sh -c "! grep -q '^vmxcap ' /proc/modules && test ! -e '$VMXCAP_SYSFS'"

# ---- --load as root ----------------------------------------------------
show --load
cp "$OUT" /tmp/vmxcap_cli.load
load_rc=$rc
ktap_check "--load as root: exit 0, nothing on stderr" sh -c "test $rc -eq 0 && test ! -s '$ERR'"
diag "/proc/modules: $(grep '^vmxcap ' /proc/modules)"
ok=0
module_loaded && [ -d "$VMXCAP_SYSFS/cpu0" ] && ok=1
ktap_check "--load as root: vmxcap in /proc/modules and $VMXCAP_SYSFS exists" test $ok -eq 1
module_loaded || module_load	# the rest needs the tree whatever happened

# What it shows is the machine's capabilities from the tree: the verdict
# IA32_FEATURE_CONTROL gives through msr.ko, the identities /proc/cpuinfo
# gives, and the same text as a plain run on the loaded module; --long
# still starts with cpu0's identity.
show -n 12
cp "$OUT" /tmp/vmxcap_cli.plain
ok=0
[ "$load_rc" -eq 0 ] && [ "$(head -n 1 /tmp/vmxcap_cli.load)" = "$want_line" ] &&
	says /tmp/vmxcap_cli.load "Source: vmxcap.ko, $VMXCAP_SYSFS" && ok=1
for id in $(cpuinfo_idents | sort -u | tr ' ' '@'); do
	id=$(echo "$id" | tr '@' ' ')
	grep -q -e "^CPU: $id\$" -e "^set [A-Z]*: cpu .*: $id\$" /tmp/vmxcap_cli.load ||
		{ ok=0; diag "no CPU line for $id"; }
done
cmp -s /tmp/vmxcap_cli.load /tmp/vmxcap_cli.plain || { ok=0; diag "--load and plain outputs differ"; }
ktap_check "--load as root: the tree's verdict, source and CPUs (as a plain run shows them)" \
	test $ok -eq 1
ident="cpu0: $(cpuinfo_idents | head -n 1)"
show --long
ok=0
case $(head -n 1 "$OUT") in "$ident"*) [ $rc -eq 0 ] && ok=1 ;; esac
[ $ok -eq 1 ] || diag "expected first line: $ident"
ktap_check "--long: starts with cpu0's identity as /proc/cpuinfo gives it" test $ok -eq 1

# ---- --load when loaded ------------------------------------------------
show --load
ktap_check "--load when loaded (root): exit 0, the same output" \
	sh -c "test $rc -eq 0 && test ! -s '$ERR' && cmp -s '$OUT' /tmp/vmxcap_cli.plain"
show as-nobody --load
ktap_check "--load when loaded (unprivileged): exit 0, the same output" \
	sh -c "test $rc -eq 0 && test ! -s '$ERR' && cmp -s '$OUT' /tmp/vmxcap_cli.plain"

# ---- the tree against the kernel ----------------------------------------
show -n 0 --flags
cp "$OUT" /tmp/vmxcap_cli.flags
flags_rc=$rc
while read -r c kernel; do
	mine=$(sed -n "s/^cpu$c vmx flags	: //p" /tmp/vmxcap_cli.flags)
	diag "cpu$c /proc/cpuinfo: $kernel"
	[ "$mine" = "$kernel" ] || diag "cpu$c --flags:        $mine"
	ok=0
	[ "$mine" = "$kernel" ] && [ "$flags_rc" -eq 0 ] && ok=1
	ktap_check "cpu$c: --flags equals /proc/cpuinfo's vmx flags" test $ok -eq 1
done <<EOT
$(cpuinfo_flags)
EOT
nflag=$(grep -c ' vmx flags' /tmp/vmxcap_cli.flags)
ktap_check "--flags has one line per CPU ($nflag, /proc/cpuinfo $ncpus)" test "$nflag" -eq "$ncpus"

# Flags every CPU has, as the kernel says.
common=$(cpuinfo_flags | awk '{ for (i = 2; i <= NF; i++) n[$i]++ }
	END { for (f in n) if (n[f] == NR) print f }' | sort | tr '\n' ' ')
want=1
case " $common " in *" ept "*) case " $common " in *" vpid "*) want=0 ;; esac ;; esac
show --require ept,vpid
ktap_check "--require ept,vpid exits $want as /proc/cpuinfo says" test $rc -eq $want

bad=""
for f in $common; do
	show -n 0 --require "$f" >/dev/null
	[ $rc -eq 0 ] || { bad="$bad $f"; diag "--require $f: exit $rc: $(cat "$OUT" "$ERR")"; }
done
diag "in every CPU's vmx flags: $common"
ktap_check "--require of each vmx flag in /proc/cpuinfo exits 0" test -z "$bad"

bad=""
absent=""
for f in $REF_FLAGS; do
	case " $common " in *" $f "*) continue ;; esac
	absent="$absent $f"
	show -n 0 --require "$f" >/dev/null
	[ $rc -eq 1 ] || { bad="$bad $f"; diag "--require $f: exit $rc: $(cat "$OUT" "$ERR")"; }
done
diag "absent from /proc/cpuinfo:${absent:- none}"
ktap_check "--require of each flag absent from /proc/cpuinfo exits 1" test -z "$bad"

# --dump | --input - --dump is the identity on the live tree.
show -n 0 --dump
cp "$OUT" /tmp/vmxcap_cli.dump
dump_rc=$rc
"$SHOW" --dump | "$SHOW" --input - --dump >/tmp/vmxcap_cli.dump2 2>"$ERR"
rc=$?
diag "vmxcap-show --dump | vmxcap-show --input - --dump: exit $rc, $(wc -c </tmp/vmxcap_cli.dump2) bytes (dump $(wc -c </tmp/vmxcap_cli.dump) bytes)"
ktap_check "--dump | --input - --dump equals --dump" \
	sh -c "test $dump_rc -eq 0 && test $rc -eq 0 && test -s /tmp/vmxcap_cli.dump && cmp -s /tmp/vmxcap_cli.dump /tmp/vmxcap_cli.dump2"

# The dump's values and identities against msr.ko and /proc/cpuinfo
# (dump_lines: "cpu N", "msr N IDX VALUE", "id N KEY VALUE" lines).
dump_lines /tmp/vmxcap_cli.dump >/tmp/vmxcap_cli.dl
dump_vs_msr /tmp/vmxcap_cli.dl
diag "dump: $(grep -c '^cpu ' /tmp/vmxcap_cli.dl) CPUs, $dump_n MSR values"
ktap_check "--dump: all $dump_n MSR values equal msr.ko's reads" test $dump_bad -eq 0 -a $dump_n -gt 0

expect=$(cpuinfo_id_lines)
got=$(grep '^id ' /tmp/vmxcap_cli.dl | sort)
[ "$got" = "$expect" ] || { diag "dump identity: $got"; diag "/proc/cpuinfo: $expect"; }
ktap_check "--dump: vendor, family, model, stepping of each CPU equal /proc/cpuinfo" \
	test "$got" = "$expect"

ktap_check "the module is left loaded" sh -c "grep -q '^vmxcap ' /proc/modules && test -d '$VMXCAP_SYSFS'"
ktap_finish
