#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's own kvm_intel against vmxcap-show's prediction of it.  For each
# case (a set of kvm_intel parameters) vmxcap-show predicts first, with
# nothing of KVM loaded:
#   vmxcap-show --require kvm --json [--kvm-param P,...]
#       whether kvm_intel loads (verdict runs / refuses, exit 0 / 1), the
#       line it logs, and the value each parameter then has in sysfs;
#   vmxcap-show --nested-view --dump [--kvm-param P,...]
#       the VMX MSRs that KVM then offers nested guests;
# then kvm_intel is loaded with those parameters (kvm.ko, irqbypass.ko as
# modules.dep says, one finit_module() each: kvm_load in vmxcap_lib.sh),
# and what happened is compared with the prediction: the verdict, the log
# line (and errno when the prediction names one), every predicted
# /sys/module/kvm_intel/parameters/<p>, and, MSR by MSR, the
# nested MSRs that KVM_GET_MSRS on /dev/kvm returns (vmxcap_hwread kvmmsrs,
# the test's own reader) with the offline prediction and with
# vmxcap-show --source kvm --dump (and, in the default case, what
# vmxcap-show --source kvm --diff says nesting loses against the host).
# Then kvm_intel, kvm and irqbypass are
# unloaded: kvm.ko keeps enable_apicv (7.3: enable_ipiv) across kvm_intel
# reloads.
#
# Cases: the defaults; ept=0; enable_apicv=0 with vpid=0,
# unrestricted_guest=0, eptad=0 and flexpriority=0 (each its own nested
# bits; no emulated CPU here has APIC virtualization, so enable_apicv=0
# alone would be the defaults again, and every case reloads kvm.ko, the
# slow part: about 3 s of emulated time); nested=0 (KVM then lists no VMX
# MSR, and enable_shadow_vmcs reads Y whatever the CPU has).  Only the
# defaults where kvm_intel refuses to load (no VMX: QEMU; Linux without
# X86_FEATURE_VMX: clearcpuid=vmx).  VMXCAP_KVM_CASES="default ept=0 ..."
# (the harness: vmxcap_harness.kvm_cases=default;ept=0) replaces the list.
#
# Until vmxcap-show has these options (its --help does not mention
# --kvm-param, --nested-view, --source ... kvm), the comparisons are
# skipped: kvm_intel is still loaded in every case and what it did printed
# (parameters, kvmmsrs), its loading checked against /proc/cpuinfo's vmx
# flag, and the program exits 4 (SKIP) unless something failed.
# Where kvm is loaded already, it skips unless VMXCAP_KVM_RELOAD=1: it
# unloads kvm_intel, kvm and irqbypass, and leaves them unloaded.
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/vmxcap_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "must run as root"
rel=$(uname -r)
kvm_module_files >/dev/null ||
	skip_all "kvm-intel.ko is not in /lib/modules/$rel/modules.dep"
[ -x "$HWREAD" ] || skip_all "vmxcap_hwread is not built"
# It unloads KVM between cases: not on a machine that uses it, unless told.
if { kvm_loaded kvm_intel || kvm_loaded kvm; } && [ "${VMXCAP_KVM_RELOAD:-0}" != 1 ]; then
	skip_all "kvm is loaded: this test unloads and reloads it (VMXCAP_KVM_RELOAD=1 allows it)"
fi

T=/tmp/vmxcap_kvm
mkdir -p "$T"
OUT=$T/out
ERR=$T/err
kver=$(echo "$rel" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')

# ---- what vmxcap-show offers ----------------------------------------------
SHOW=$(command -v vmxcap-show)
cli_require=0
cli_nested=0
cli_source=0
why_no_cli="vmxcap-show is not installed (make tools)"
if [ -n "$SHOW" ]; then
	"$SHOW" --help >"$T/help" 2>&1
	grep -q -- '--kvm-param' "$T/help" && cli_require=1
	grep -q -- '--nested-view' "$T/help" && cli_nested=1
	# The --source option's description, up to the next option.
	awk '/^ *(-[a-zA-Z], )?--source/ { on = 1; print; next }
		on && /^ *-/ { exit } on' "$T/help" | grep -qw kvm && cli_source=1
	why_no_cli="vmxcap-show's --help does not mention"
	[ $cli_require = 1 ] || why_no_cli="$why_no_cli --kvm-param"
	[ $cli_nested = 1 ] || why_no_cli="$why_no_cli --nested-view"
	[ $cli_source = 1 ] || why_no_cli="$why_no_cli --source kvm"
	why_no_cli="$why_no_cli (issue 10's CLI side)"
fi
# The reasons of one skipped check, short (the long one is said once).
no_require="vmxcap-show has no --require kvm --kvm-param"
no_nested="vmxcap-show has no --nested-view"
no_source="vmxcap-show has no --source kvm"
[ -n "$SHOW" ] || { no_require="no vmxcap-show"; no_nested=$no_require; no_source=$no_require; }
cli_all=0
[ $cli_require = 1 ] && [ $cli_nested = 1 ] && [ $cli_source = 1 ] && cli_all=1

# ---- the machine ------------------------------------------------------------
model=$(sed -n 's/^model name[ \t]*: //p' /proc/cpuinfo | head -n 1)
ncpu=$(online_cpus | wc -l)
diag "machine: $model, $ncpu CPU(s), kernel $rel (KVM version $kver)"
linux_vmx=0
grep -qE '^flags[[:space:]]*:(.* )?vmx( |$)' /proc/cpuinfo && linux_vmx=1
cpuid_vmx=0
vmxcap_oracle_devices && cpu_has_vmx && cpuid_vmx=1
diag "VMX: CPUID $cpuid_vmx, Linux's flags (X86_FEATURE_VMX) $linux_vmx"
# The TSC frequency the kernel found (the preemption timer's rate depends on
# it; vmxcap-show reads it itself on a live machine).
dmesg | sed -n 's/^\[[^]]*\] //p' | grep -E '^tsc: (Detected|Refined)' | sed 's/^/# kernel: /'
diag "bogomips: $(sed -n 's/^bogomips[ \t]*: //p' /proc/cpuinfo | tr '\n' ' ')cpu MHz: $(sed -n 's/^cpu MHz[ \t]*: //p' /proc/cpuinfo | tr '\n' ' ')"
[ $cli_all = 1 ] || diag "comparisons skipped: $why_no_cli"

# ---- helpers ------------------------------------------------------------------

# The errno number of a name vmxcap-show may give.
errno_of() {
	case $1 in
	EPERM) echo 1 ;; ENOENT) echo 2 ;; EIO) echo 5 ;; ENOMEM) echo 12 ;;
	EBUSY) echo 16 ;; EEXIST) echo 17 ;; ENODEV) echo 19 ;; EINVAL) echo 22 ;;
	EOPNOTSUPP|ENOTSUP) echo 95 ;; *) echo "$1" ;;
	esac
}

# "CPU 1" and "CPU1" as "CPU N": which CPU runs the check depends on where
# modprobe ran.
cpu_any() {
	sed 's/CPU \{0,1\}[0-9][0-9]*/CPU N/g'
}

# Every /sys/module/kvm_intel/parameters/<p> as "p=value" on one line.
sysfs_params() {
	for f in /sys/module/kvm_intel/parameters/*; do
		read -r v <"$f" 2>/dev/null || v="?"
		printf '%s=%s ' "${f##*/}" "$(echo "$v" | tr ' ' '_')"
	done
	echo
}

# KVMMSRS (vmxcap_hwread kvmmsrs output) against the MSRs of DUMP (a
# --dump: every CPU set's "msrs"), MSR by MSR: sets cmp_n (compared) and
# cmp_bad (differences, each printed "# LABEL: 0x48b predicted ... actual
# ..."); an MSR on one side only is a difference, and so is one that two
# CPU sets of the dump give different values.
msrs_vs_kvm() {	# DUMP KVMMSRS LABEL
	dump_lines "$1" | awk '$1 == "msr" { print $3, $4 }' | while read -r i v; do
		printf '0x%x %s\n' "$i" "$(hex64 "$v")"
	done | sort -u >"$T/cmp.pred"
	while read -r i v; do
		if [ "$v" = failed ]; then echo "$i failed"; else printf '0x%x %s\n' "$i" "$(hex64 "$v")"; fi
	done <"$2" | sort -u >"$T/cmp.act"
	awk -v lbl="$3" 'FILENAME == ARGV[1] {
			if (($1 in p) && p[$1] != $2) conflict[$1] = conflict[$1] " " $2
			else p[$1] = $2
			all[$1] = 1; next
		}
		{ a[$1] = $2; all[$1] = 1 }
		END {
			n = 0; bad = 0
			for (i in all) {
				n++
				pv = (i in p) ? p[i] : "(none)"
				av = (i in a) ? a[i] : "(not listed)"
				if (i in conflict) {
					bad++
					printf "# %s: %s predicted %s%s (the dump'"'"'s CPUs differ) actual %s\n", lbl, i, pv, conflict[i], av
				} else if (pv != av) {
					bad++
					printf "# %s: %s predicted %s actual %s\n", lbl, i, pv, av
				}
			}
			print "@ " n " " bad
		}' "$T/cmp.pred" "$T/cmp.act" | sort >"$T/cmp.out"
	grep -v '^@ ' "$T/cmp.out"
	cmp_n=$(sed -n 's/^@ \([0-9]*\) .*/\1/p' "$T/cmp.out")
	cmp_bad=$(sed -n 's/^@ [0-9]* //p' "$T/cmp.out")
}

# The number of MSR values in DUMP.
dump_msr_count() {
	dump_lines "$1" | grep -c '^msr '
}

# ---- the cases ----------------------------------------------------------------
if [ -n "${VMXCAP_KVM_CASES:-}" ]; then
	cases=$VMXCAP_KVM_CASES
else
	cases="default ept=0 enable_apicv=0,vpid=0,unrestricted_guest=0,eptad=0,flexpriority=0 nested=0"
fi
# Where kvm_intel cannot load, the other parameters change nothing: the
# defaults alone.  (If it loads all the same, that case fails and says so.)
if [ $linux_vmx = 0 ] && [ -z "${VMXCAP_KVM_CASES:-}" ]; then
	cases=default
fi
PER_CASE=8
# The default case also shows --source kvm and --source kvm --diff (the host against KVM's view).
extra=0
case " $cases " in *" default "*) extra=2 ;; esac
ktap_header $(($(echo "$cases" | wc -w) * PER_CASE + extra))

kvm_unload || { diag "cannot unload kvm_intel / kvm before the first case"; exit "$KSFT_FAIL"; }
: >"$T/summary"
: >"$T/kvmmsrs.default"

for case in $cases; do
	params=""
	[ "$case" = default ] || params=$case
	kparams=$(echo "$params" | tr ',' ' ')
	nested=1
	case ",$params," in *,nested=0,*|*,nested=N,*|*,nested=n,*) nested=0 ;; esac
	kp=""
	[ -n "$params" ] && kp="--kvm-param $params"
	diag "---- case $case"

	# 1. The prediction, before anything of KVM is loaded.
	pred=""
	plog_kind=""
	if [ $cli_require = 1 ]; then
		# shellcheck disable=SC2086
		show -n 0 --require kvm --json $kp
		prc=$rc
		cp "$OUT" "$T/pred.json"
		json_flat "$T/pred.json" >"$T/pred.flat"
		pred=$(json_get "$T/pred.flat" verdict)
		plog=$(json_get "$T/pred.flat" log)
		plog_kind=$(json_kind "$T/pred.flat" log)
		perrno=$(json_get "$T/pred.flat" errno)
		diag "predicted: verdict ${pred:-?} (exit $prc), profile $(json_get "$T/pred.flat" profile), version $(json_get "$T/pred.flat" version)"
		awk -F '\t' '$1 ~ /^(missing|reasons|conditions)\./ || $1 == "version_chosen_by" { print "#   " $1 ": " $3 }' "$T/pred.flat"
		diag "  log: ${plog_kind:-absent}${plog:+: $plog}${perrno:+, errno $perrno}"
		ok=1
		grep -q '^!error' "$T/pred.flat" && { ok=0; diag "the output is not JSON"; }
		[ "$(json_get "$T/pred.flat" profile)" = kvm ] || { ok=0; diag "profile is not \"kvm\""; }
		[ "$(json_get "$T/pred.flat" version)" = "$kver" ] || { ok=0; diag "version is not $kver (the running kernel's)"; }
		case $pred:$prc in
		runs:0|refuses:1) ;;
		*) ok=0; diag "verdict \"$pred\" with exit $prc: a guest has every input (runs/0 or refuses/1)" ;;
		esac
		ktap_check "$case: prediction (--require kvm --json): profile kvm, version $kver, verdict runs or refuses" test $ok -eq 1
	else
		ktap_skip "$case: prediction: $no_require"
	fi
	if [ $cli_nested = 1 ]; then
		# shellcheck disable=SC2086
		show -n 0 --nested-view --dump $kp
		nvrc=$rc
		cp "$OUT" "$T/nested.json"
		cp "$ERR" "$T/nested.err"
	fi

	# 2. kvm_intel itself.
	before=$(dmesg | wc -l)
	t0=$(uptime_cs)
	# shellcheck disable=SC2086
	kvm_load $kparams 2>"$T/load.err"
	lrc=$?
	t1=$(uptime_cs)
	dmesg | tail -n +$((before + 1)) | sed 's/^\[[^]]*\] //' >"$T/load.log"
	load_cs=$((t1 - t0))
	if [ $lrc -eq 0 ]; then actual=runs; else actual=refuses; fi
	diag "kvm_intel${kparams:+ $kparams}: $actual$( [ $lrc -ne 0 ] && echo " (errno $lrc: $(sed 's/.*: //' "$T/load.err" | head -n 1))") after $((load_cs / 100)).$(printf '%02d' $((load_cs % 100))) s (emulated: $kvm_load_times)"
	sed 's/^/#   kernel: /' "$T/load.log"
	if [ -n "$pred" ]; then
		ktap_check "$case: kvm_intel $actual, as predicted ($pred)" test "$pred" = "$actual"
	elif [ $cli_require = 1 ]; then
		ktap_not_ok "$case: kvm_intel $actual, no verdict predicted"
	else
		want=refuses
		[ $linux_vmx = 1 ] && want=runs
		ktap_check "$case: kvm_intel $actual, as Linux's vmx flag says ($want; no prediction: $no_require)" \
			test "$want" = "$actual"
	fi

	# 3. The log line (and errno).
	if [ $cli_require = 1 ] && [ -n "$plog_kind" ]; then
		ok=1
		kvm_lines=$(grep -E '^kvm(_intel)?: ' "$T/load.log" | grep -v 'tainting kernel')
		if [ "$plog_kind" = null ]; then
			if [ -n "$kvm_lines" ]; then
				ok=0
				diag "predicted no log line; kvm_intel printed: $kvm_lines"
			fi
		else
			want=$(echo "$plog" | cpu_any)
			cpu_any <"$T/load.log" | grep -qxF -- "$want" ||
				{ ok=0; diag "predicted log line not in the kernel log: $plog"; }
		fi
		if [ -n "$perrno" ]; then
			if [ $lrc -ne "$(errno_of "$perrno")" ]; then
				ok=0
				diag "predicted errno $perrno, got $lrc"
			fi
		elif [ $lrc -ne 0 ]; then
			diag "the prediction names no errno; the load failed with $lrc"
		fi
		ktap_check "$case: kvm_intel's log line${perrno:+ and errno} as predicted" test $ok -eq 1
	elif [ $cli_require = 1 ]; then
		ktap_not_ok "$case: kvm_intel's log line as predicted (no \"log\" in the prediction)"
	else
		ktap_skip "$case: log line: $no_require"
	fi

	# 4. The parameters.
	pn=0
	pbad=0
	if [ $lrc -eq 0 ]; then
		diag "sysfs kvm_intel: $(sysfs_params)"
		kvm_loaded kvm_intel || diag "kvm_intel loaded but not in /proc/modules"
	fi
	if [ $cli_require = 1 ] && [ $lrc -eq 0 ] && [ -n "$pred" ]; then
		line=""
		tab=$(printf '\t')
		while IFS=$tab read -r path kind val; do
			p=${path#parameters.}
			[ "$p" != "$path" ] || continue
			case $p in *.*) continue ;; esac
			pn=$((pn + 1))
			case $kind in
			bool) [ "$val" = true ] && want=Y || want=N ;;
			null) want="(null)" ;;
			*) want=$val ;;
			esac
			f=/sys/module/kvm_intel/parameters/$p
			if [ -f "$f" ]; then read -r got <"$f"; else got="(absent)"; fi
			if [ "$kind" != null ] && [ "$want" = "$got" ]; then
				line="$line $p=$got"
			else
				pbad=$((pbad + 1))
				line="$line $p:predicted=$want,sysfs=$got"
			fi
		done <"$T/pred.flat"
		diag "parameters (predicted = sysfs, or both):$line"
		ok=0
		[ $pn -gt 0 ] && [ $pbad -eq 0 ] && ok=1
		ktap_check "$case: every predicted parameter equals sysfs ($pn compared, $pbad differ; null counts as differing)" \
			test $ok -eq 1
	elif [ $cli_require = 1 ] && [ $lrc -eq 0 ]; then
		ktap_not_ok "$case: parameters: no prediction"
	elif [ $cli_require = 1 ]; then
		ktap_skip "$case: parameters: kvm_intel did not load"
	else
		ktap_skip "$case: parameters: $no_require"
	fi

	# 5. What KVM offers nested guests, as the test reads it.
	kn=0
	if [ $lrc -eq 0 ]; then
		"$HWREAD" kvmmsrs >"$T/kvmmsrs" 2>"$T/kvmmsrs.err"
		krc=$?
		kn=$(grep -c '^0x' "$T/kvmmsrs")
		sed 's/^/#   /' "$T/kvmmsrs.err"
		if [ "$case" = default ] || [ ! -s "$T/kvmmsrs.default" ]; then
			sed 's/^/#   kvmmsrs: /' "$T/kvmmsrs"
			[ "$case" = default ] && cp "$T/kvmmsrs" "$T/kvmmsrs.default"
		elif [ $krc -eq 0 ]; then
			d=$(grep -vxF -f "$T/kvmmsrs.default" "$T/kvmmsrs" | tr '\n' ' ')
			diag "kvmmsrs: $kn MSRs; differing from the defaults' values: ${d:-none}"
		fi
		if [ $nested = 1 ]; then
			ok=0
			[ $krc -eq 0 ] && [ "$kn" -eq 18 ] && ok=1
			ktap_check "$case: kvmmsrs: KVM lists and reads all 18 VMX MSRs 0x480-0x491 (exit $krc, $kn read)" test $ok -eq 1
		else
			ok=0
			[ $krc -eq 3 ] && [ "$kn" -eq 0 ] && ok=1
			ktap_check "$case: kvmmsrs: with nested=0 KVM lists no VMX MSR (exit $krc, $kn read)" test $ok -eq 1
		fi
	else
		ktap_skip "$case: kvmmsrs: kvm_intel did not load"
	fi

	# 6. The offline prediction of those MSRs.
	nvn=0
	nvbad=0
	if [ $cli_nested = 0 ]; then
		ktap_skip "$case: --nested-view: $no_nested"
	elif [ $lrc -ne 0 ]; then
		ktap_skip "$case: --nested-view: kvm_intel did not load"
	elif [ $nested = 1 ]; then
		diag "--nested-view --dump $kp: exit $nvrc, $(dump_msr_count "$T/nested.json") MSR values"
		sed 's/^/#   stderr: /' "$T/nested.err"
		msrs_vs_kvm "$T/nested.json" "$T/kvmmsrs" "nested-view"
		nvn=$cmp_n
		nvbad=$cmp_bad
		ok=0
		[ "$nvrc" -eq 0 ] && [ "$nvn" -gt 0 ] && [ "$nvbad" -eq 0 ] && ok=1
		ktap_check "$case: --nested-view --dump equals KVM's MSRs ($nvn compared, $nvbad differ)" test $ok -eq 1
	else
		c=$(dump_msr_count "$T/nested.json")
		diag "--nested-view --dump $kp: exit $nvrc, $c MSR values"
		sed 's/^/#   stderr: /' "$T/nested.err"
		ktap_check "$case: --nested-view --dump offers no VMX MSR with nested=0 ($c values)" test "$c" -eq 0
	fi

	# 7. What vmxcap-show reads from KVM.
	skn=0
	skbad=0
	if [ $cli_source = 0 ]; then
		ktap_skip "$case: --source kvm: $no_source"
	elif [ $lrc -ne 0 ]; then
		ktap_skip "$case: --source kvm: kvm_intel did not load"
	else
		show -n 0 --source kvm --dump
		cp "$OUT" "$T/source.json"
		if [ $nested = 1 ]; then
			msrs_vs_kvm "$T/source.json" "$T/kvmmsrs" "source kvm"
			skn=$cmp_n
			skbad=$cmp_bad
			ok=0
			[ $rc -eq 0 ] && [ "$skn" -gt 0 ] && [ "$skbad" -eq 0 ] && ok=1
			ktap_check "$case: --source kvm --dump equals KVM's MSRs as kvmmsrs reads them ($skn compared, $skbad differ)" test $ok -eq 1
		else
			c=$(dump_msr_count "$T/source.json")
			ktap_check "$case: --source kvm --dump has no VMX MSR with nested=0 ($c values, exit $rc)" test "$c" -eq 0
		fi
	fi

	# 7b. The host against what KVM offers: what nesting loses (default case).
	if [ "$case" != default ]; then
		:
	elif [ $cli_source = 0 ]; then
		ktap_skip "default: --source kvm (human): $no_source"
		ktap_skip "default: --source kvm --diff: $no_source"
	elif [ $lrc -ne 0 ]; then
		ktap_skip "default: --source kvm (human): kvm_intel did not load"
		ktap_skip "default: --source kvm --diff: kvm_intel did not load"
	else
		show -n 40 --source kvm
		ok=0
		[ $rc -eq 0 ] && says "$OUT" "Source: KVM, /dev/kvm: the VMX MSRs it offers its nested guests" && ok=1
		ktap_check "default: --source kvm: exit 0, the source named as KVM's nested view" test $ok -eq 1
		show -n 30 --source kvm --diff
		ok=0
		[ $rc -eq 1 ] && has "$OUT" "KVM's nested view (/dev/kvm)" && has "$OUT" "raw.basic" && ok=1
		ktap_check "default: --source kvm --diff: host and KVM's view differ (exit 1, raw.basic among the items)" \
			test $ok -eq 1
	fi

	# 8. Unload, kvm.ko included.
	t2=$(uptime_cs)
	kvm_unload 2>"$T/unload.err"
	urc=$?
	t3=$(uptime_cs)
	sed 's/^/#   /' "$T/unload.err"
	ktap_check "$case: kvm_intel, kvm and irqbypass unloaded" test $urc -eq 0
	[ $urc -eq 0 ] || { diag "/proc/modules: $(grep -E '^(kvm|kvm_intel|irqbypass) ' /proc/modules | tr '\n' ' ')"; }

	echo "$case ${pred:--} $actual $pn $pbad $kn $nvn $nvbad $skn $skbad $load_cs $((t3 - t2))" >>"$T/summary"
done

# The table of the closing note: one line per case.
diag "---- summary ($model, kernel $rel): case | predicted | actual | parameters compared/differ | kvmmsrs | nested-view compared/differ | source kvm compared/differ | load, unload (emulated s)"
while read -r c p a pn pb kn nvn nvb skn skb lcs ucs; do
	printf '# %s | %s | %s | %s/%s | %s | %s/%s | %s/%s | %d.%02d, %d.%02d\n' "$c" "$p" "$a" "$pn" "$pb" \
		"$kn" "$nvn" "$nvb" "$skn" "$skb" $((lcs / 100)) $((lcs % 100)) $((ucs / 100)) $((ucs % 100))
done <"$T/summary"

if [ $cli_all = 0 ] && [ "$ktap_fail" -eq 0 ]; then
	echo "# Totals: pass:$ktap_pass fail:0 xfail:0 xpass:0 skip:$ktap_skip error:0"
	echo "# SKIP the comparisons: $why_no_cli"
	exit "$KSFT_SKIP"
fi
ktap_finish
