#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-vm: the vmxcap kselftests inside Debian's kernels, booted in
# QEMU (TCG: no VMX) and Bochs (emulated Intel CPUs with VMX).
#
#   tests/vm/run.sh [SELECTOR...]     (make check-vm VM="SELECTOR...")
#
# A SELECTOR is a machine name of tests/vm/machines (e.g. penryn-6.1), a
# kernel (6.1, 7.3) or an emulator (qemu, bochs); none means every machine.
# Two machines run at a time (Bochs uses one host core per emulated CPU).
# Prints TAP lines, a table per machine and "N passed, N failed, N skipped";
# exits 1 on a failed test, a missing result, a guest that did not reach
# the end, or a WARNING / BUG / Oops / lockdep line in a kernel log.
# Logs stay in $VMXCAP_CACHE/vm/run/<machine>/ (console.txt, bochs.log).
#
# Environment: VMXCAP_CACHE (default /var/cache/vmxcap), VMXCAP_VM_JOBS
# (default 2), VMXCAP_VM_NO_MODULE=1 to boot without vmxcap.ko,
# VMXCAP_VM_TESTS=a.sh,b.sh to run only those selftests (on every machine,
# instead of a machine's own list), VMXCAP_VM_KVM_CASES="default;ept=0" to
# run only those cases of vmxcap_kvm.sh (";" between cases, "," between
# one case's kvm_intel parameters), VMXCAP_VM_CLI=FILE to put that
# vmxcap-show into the guests instead of building tools/vmxcap-show,
# VMXCAP_VM_MACHINES=FILE to read the machines from FILE (same format as
# tests/vm/machines) instead, e.g. to try a machine before adding it.
# `set -- $m` splits a machine's line into its fields on purpose.
# shellcheck disable=SC2086 source-path=SCRIPTDIR
set -u
. "$(dirname "$0")/lib.sh"

JOBS=${VMXCAP_VM_JOBS:-2}
RUN=$VMDIR/run
HTAP=$RUN/harness.tap	# the harness's own results (builds)
KLOG_BAD=$(sed -n "s/^KLOG_BAD='\\(.*\\)'$/\\1/p" "$ROOT/selftests/vmxcap/vmxcap_klog.sh")
declare -A KDIR INITRD

hres() { echo "$*" | tee -a "$HTAP"; }

# Prints the lines of tests/vm/machines that the selectors choose.
select_machines() {
	local name emu kernel model cpus timeout append want sel
	while read -r name emu kernel model cpus timeout append; do
		case $name in ''|'#'*) continue ;; esac
		want=0
		[ $# -eq 0 ] && want=1
		for sel in "$@"; do
			case $sel in "$name"|"$kernel"|"$emu"|all) want=1 ;; esac
		done
		[ $want -eq 1 ] && echo "$name $emu $kernel $model $cpus $timeout $append"
	done <"${VMXCAP_VM_MACHINES:-$ROOT/tests/vm/machines}"
}

# Kernel, vmxcap.ko and initramfs of KERNEL, shared by its machines.
prepare_kernel() {
	local k=$1 d ko=""
	if ! d=$(kernel_dir "$k") || [ ! -f "$d/release" ]; then
		hres "not ok - kernel $k: fetched"
		KDIR[$k]=none
		return
	fi
	KDIR[$k]=$d
	if [ "${VMXCAP_VM_NO_MODULE:-0}" = 1 ]; then
		hres "ok - kernel $k: vmxcap.ko # SKIP VMXCAP_VM_NO_MODULE=1"
	elif ko=$(build_module "$k" "$d"); then
		hres "ok - kernel $k ($(cat "$d/release")): vmxcap.ko built"
	else
		hres "not ok - kernel $k ($(cat "$d/release")): vmxcap.ko built"
		ko=""
	fi
	if build_initrd "$d" "$ko" "$RUN/selftests" "$RUN/initrd-$k.gz"; then
		INITRD[$k]=$RUN/initrd-$k.gz
	else
		hres "not ok - kernel $k: initramfs built"
	fi
}

# Boots one machine; writes DIR/console.txt, DIR/tap (TAP lines) and
# DIR/summary ("name release model cpus passed failed skipped seconds").
run_machine() {
	local name=$1 emu=$2 k=$3 model=$4 cpus=$5 timeout=$6 extra=$7
	local dir=$RUN/$name d=${KDIR[$k]} initrd=${INITRD[$k]:-} why t0 secs
	local append=$GUEST_CMDLINE w kept=""
	[ "$extra" != - ] || extra=""
	# The machines file's one token: "|" between parameters.
	extra=${extra//|/ }
	# VMXCAP_VM_TESTS=a.sh,b.sh: run only these selftests (for iterating),
	# instead of the machine's own vmxcap_harness.tests=; the same for
	# VMXCAP_VM_KVM_CASES and vmxcap_harness.kvm_cases=.
	for w in $extra; do
		case $w in
		vmxcap_harness.tests=*) [ -n "${VMXCAP_VM_TESTS:-}" ] || kept="$kept $w" ;;
		vmxcap_harness.kvm_cases=*) [ -n "${VMXCAP_VM_KVM_CASES:-}" ] || kept="$kept $w" ;;
		*) kept="$kept $w" ;;
		esac
	done
	extra=${kept# }
	[ -z "${VMXCAP_VM_TESTS:-}" ] || extra="$extra vmxcap_harness.tests=$VMXCAP_VM_TESTS"
	[ -z "${VMXCAP_VM_KVM_CASES:-}" ] ||
		extra="$extra vmxcap_harness.kvm_cases=$VMXCAP_VM_KVM_CASES"
	extra=${extra# }
	append="$append $extra"
	mkdir -p "$dir"
	t0=$(date +%s)
	if [ "$d" = none ] || [ -z "$initrd" ]; then
		why=nokernel
	elif [ "$emu" = qemu ]; then
		why=$(boot_qemu "$dir" "$(readlink -f "$d/vmlinuz")" "$initrd" "$cpus" "$timeout" "$extra")
	elif build_iso "$(readlink -f "$d/vmlinuz")" "$initrd" "$append" "$dir/boot.iso"; then
		why=$(boot_bochs "$dir" "$dir/boot.iso" "$model" "$cpus" "$timeout")
	else
		why=noiso
	fi
	secs=$(( $(date +%s) - t0 ))
	tr -d '\r' <"$dir/serial.txt" >"$dir/console.txt" 2>/dev/null
	awk -v m="$name" -v why="$why" -v bad="$KLOG_BAD" -v sumf="$dir/summary" \
		-v secs="$secs" -v k="$k" -v model="$model" -v cpus="$cpus" '
	/^VMXCAP-BEGIN/ { begun = 1; rel = $3; sub(/,$/, "", rel) }
	/^VMXCAP-BOOTLOG / { sub(/^VMXCAP-BOOTLOG /, ""); print "# " m ": boot log (not counted): " $0; next }
	/^VMXCAP-DMESG-BEGIN/ { indmesg = 1; sawdmesg = 1; next }
	/^VMXCAP-DMESG-END/ { indmesg = 0; next }
	# The kernel log: the guest'"'"'s dump of it, and console lines that are
	# not test output (with "quiet", errors and worse reach the console).
	(indmesg || $0 !~ /^(# |ok |not ok )/) && $0 ~ bad { klog[++nk] = $0 }
	indmesg { next }
	begun && /^1\.\.[0-9]+/ && !plan { plan = substr($1, 4) + 0 }
	begun && /^# selftests: vmxcap: / { cur = $4; out[cur] = "" }
	begun && /^# / && cur != "" { out[cur] = out[cur] "\n#   " substr($0, 3) }
	begun && /^(not )?ok [0-9]+ selftests: vmxcap: / {
		notok = ($1 == "not")
		t = notok ? $6 : $5
		d = $0; sub(/^[^#]*/, "", d)
		n++
		if (notok) {
			fail++
			print "not ok - " m ": " t " " d out[t]
		} else if (d ~ /# SKIP/) {
			skip++
			print "ok - " m ": " t " # SKIP"
		} else {
			pass++
			print "ok - " m ": " t
		}
		cur = ""
	}
	END {
		# Every boot stopped before /init (lib.sh boot_qemu): no vmxcap
		# code ran, so nothing was tested: a skip, said loudly, not a pass.
		if (why == "boothang") {
			skip++
			print "ok - " m ": # SKIP every boot stopped before /init ran, so no vmxcap code ran (as the debug kernel did in its RCU-tasks self-test under TCG)"
			printf "%s %s %s %s %d %d %d %d\n", m, k, model, cpus, pass, fail, skip, secs >sumf
			exit
		}
		if (why == "end") { pass++; print "ok - " m ": guest reached the end" }
		else { fail++; print "not ok - " m ": guest reached the end (" why ")" }
		if (plan > 0 && n == plan) { pass++; print "ok - " m ": all " plan " results" }
		else { fail++; print "not ok - " m ": all results (" n " of plan " plan ")" }
		if (nk == 0 && sawdmesg) { pass++; print "ok - " m ": kernel log clean" }
		else {
			fail++
			print "not ok - " m ": kernel log clean" (sawdmesg ? "" : " (no dmesg dump)")
			for (i = 1; i <= nk && i <= 20; i++) print "#   " klog[i]
		}
		if (rel == "") rel = k
		printf "%s %s %s %s %d %d %d %d\n", m, rel, model, cpus, pass, fail, skip, secs >sumf
	}' "$dir/console.txt" >"$dir/tap"
	[ -f "$dir/boot-retries" ] && sed "s/^/# $name: retried: /" "$dir/boot-retries" >>"$dir/tap"
	# Wall time of the boot and of each selftest (for the timeouts above).
	awk -v m="$name" '{ t = $1; l = substr($0, length($1) + 2) }
	function close_test() { if (cur != "") out = out ", " cur " " (t - prev); cur = "" }
	l ~ /^VMXCAP-BEGIN/ { out = "boot " t; prev = t }
	l ~ /^# selftests: vmxcap: / { close_test(); n = split(l, w, " "); cur = w[n]; prev = t }
	l ~ /^VMXCAP-DMESG-BEGIN/ { close_test() }
	l ~ /^VMXCAP-END/ { last = t }
	END {
		if (out == "") exit
		close_test()
		print "# " m ": wall seconds: " out (last != "" ? "; the end at " last : "")
	}' "$dir/times" >>"$dir/tap" 2>/dev/null
}

report() {
	local P F S m name rel model cpus p f s secs
	for m in "$@"; do
		set -- $m
		cat "$RUN/$1/tap"
	done
	P=$(grep -c '^ok - [^#]*$' "$HTAP")
	F=$(grep -c '^not ok' "$HTAP")
	S=$(grep -c '^ok - .*# SKIP' "$HTAP")
	echo
	printf '%-12s %-20s %-20s %4s %6s %6s %7s %6s\n' machine kernel model cpus passed failed skipped time
	for m in "${selected[@]}"; do
		set -- $m
		read -r name rel model cpus p f s secs <"$RUN/$1/summary"
		printf '%-12s %-20s %-20s %4s %6s %6s %7s %5ss\n' "$name" "$rel" "$model" "$cpus" "$p" "$f" "$s" "$secs"
		P=$((P + p)); F=$((F + f)); S=$((S + s))
	done
	echo "check-vm: wall time $(( $(date +%s) - t_start )) s"
	echo "$P passed, $F failed, $S skipped"
	[ "$F" -eq 0 ]
}

main() {
	local m k
	# vm: emulators, busybox, ISO tools; build: compiler, kbuild, linux-source;
	# tools: vmxcap-show's libraries (libkmod, which the guest gets too).
	[ -x "$ROOT/scripts/deps.sh" ] && { "$ROOT/scripts/deps.sh" build vm tools || exit 2; }
	mapfile -t selected < <(select_machines "$@")
	if [ ${#selected[@]} -eq 0 ]; then
		echo "check-vm: no machine matches '$*' (see tests/vm/machines)"
		echo "0 passed, 1 failed"
		exit 1
	fi

	t_start=$(date +%s)
	# One harness run per cache at a time: a second one waits (it would wipe
	# this one's run directory and kill its emulators).
	mkdir -p "$VMDIR" && exec 8>"$VMDIR/run.lock" && flock 8 || exit 2
	kill_stray
	trap 'kill_stray' EXIT
	trap 'exit 130' INT TERM
	rm -rf "$RUN" && mkdir -p "$RUN" || exit 2
	: >"$HTAP"

	if build_selftests "$RUN/selftests"; then
		hres "ok - selftests build (static)"
	else
		hres "not ok - selftests build (static)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	# vmxcap-show goes into every initramfs (selftest vmxcap_cli.sh).
	if build_cli; then
		hres "ok - vmxcap-show build (${VMXCAP_VM_CLI:-make -C tools})"
	else
		hres "not ok - vmxcap-show build (${VMXCAP_VM_CLI:-make -C tools})"
	fi
	for m in "${selected[@]}"; do
		set -- $m
		k=$3
		[ -n "${KDIR[$k]:-}" ] || prepare_kernel "$k"
	done

	echo "check-vm: ${#selected[@]} machine(s), $JOBS at a time; logs in $RUN/<machine>/"
	for m in "${selected[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
			wait -n
		done
		set -- $m
		echo "check-vm: start $1 ($2, kernel $3, ${4/-/no VMX}, $5 CPU)"
		( run_machine "$@"
		  echo "check-vm: done  $1 in $(awk '{ print $8 }' "$RUN/$1/summary") s" ) &
	done
	wait
	report "${selected[@]}"
}

# main is parsed whole before it runs, and so is this one line (bash reads
# the lines after it only when main returns): editing this file mid-run is
# harmless.
main "$@"; exit $?
