# SPDX-License-Identifier: GPL-2.0
#
# The readiness profiles (--require kvm ...) and KVM's nested view against
# facts from elsewhere: what kvm_intel requires and prints as read in
# Debian's 6.1/6.12/7.3 sources (../shared/notes/hypervisor-requirements.md
# sections 1-2, checked again against those trees), and a KVM nested view
# captured from a real KVM (Cloud Hypervisor's pinned Sapphire Rapids
# profile, a fixture entry, and the Skylake sibling values its notes quote).
# The proof against the real kvm_intel is in the VMs (selftests/vmxcap/
# vmxcap_kvm.sh).  Sourced by run-cli.sh: hv_cases BINARY LABEL.

hv_cases() {
	local T=$1 L=$2 out rc v log want k a b bad
	local YONAH=bochs:core_duo_t2400_yonah SPR=instlatx64:GenuineIntel00806F8_SapphireRapids_06_CPUID
	local CH=cloud-hypervisor-profile:kvm-nested-sapphire-rapids
	local SKX=instlatx64:GenuineIntel0050654_SkylakeXeon_20_CPUID
	local LB=instlatx64:GenuineIntel00806A1_Lakefield_CPUID:big-core
	local LS=instlatx64:GenuineIntel00806A1_Lakefield_CPUID:small-cores

	# -- a 32-bit-only CPU: no CR8-load/store exiting, which x86_64 KVM
	# requires (KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL); a silent EIO.
	for v in 6.1 6.12 7.3; do
		out=$("$T" --input "$DUMPS" --entry $YONAH --require kvm --kernel $v --json 2>"$WORK/e.txt")
		rc=$?
		[ $rc -eq 1 ] && [ "$(jq -r .verdict <<<"$out")" = refuses ] &&
			jq_true '[.missing[] | .group + "." + .id] | index("procbased.cr8_load_exiting") and index("procbased.cr8_store_exiting")' <<<"$out" &&
			[ "$(jq -r .log <<<"$out")" = "" ] && [ "$(jq -r .errno <<<"$out")" = EIO ] &&
			jq_true '.reasons | any(test("Input/output error"))' <<<"$out" &&
			jq_true '[.parameters[]] | all(. == null)' <<<"$out"
		ok $? "$L: KVM $v on Yonah refuses: CR8 exiting missing, kvm_intel silent, modprobe EIO (exit $rc)"
	done

	# -- firmware locked VMX off (Atom 330): 6.1's x86.c:9465 line, EOPNOTSUPP,
	# the citation a file and a line (no list separator left in it).
	out=$("$T" --input "$DUMPS" --entry vbox-cpudb:Intel_Atom_330_1_60GHz --require kvm --kernel 6.1 --json)
	rc=$?
	[ $rc -eq 1 ] && [ "$(jq -r .log <<<"$out")" = "kvm: support for 'kvm_intel' disabled by bios" ] &&
		[ "$(jq -r .errno <<<"$out")" = EOPNOTSUPP ] &&
		jq -r '.reasons[]' <<<"$out" | grep -qxF 'modprobe kvm_intel fails: Operation not supported (x86.c:9465)'
	ok $? "$L: KVM 6.1 on the locked-off Atom 330: disabled by bios, EOPNOTSUPP, cited x86.c:9465 (exit $rc)"
	"$T" --input "$DUMPS" --entry $YONAH --require kvm --kernel 6.1 >"$WORK/o.txt"
	grep -q '^KVM (kvm_intel) 6.1: refuses$' "$WORK/o.txt" && grep -q 'cr8_load_exiting (bit 19)' "$WORK/o.txt" &&
		grep -q '^  log:      (nothing)$' "$WORK/o.txt"
	ok $? "$L: --require kvm (human) names the missing controls and that kvm_intel prints nothing"

	# -- Lakefield: the small cores lack bus-lock detection, so their
	# computed configuration differs: each version's own message.
	"$T" --input "$DUMPS" --entry "$LB" --entry "$LS" --dump >"$WORK/lf.json"
	for v in 6.1 6.12 7.3; do
		case $v in
		6.1) want='kvm: CPU 1 feature inconsistency!' ;;
		6.12) want='kvm_intel: Inconsistent VMCS config on CPU 1' ;;
		7.3) want="kvm_intel: VMCS config on CPU 1 doesn't match reference config:" ;;
		esac
		out=$("$T" --input "$WORK/lf.json" --require kvm --kernel $v --json)
		rc=$?
		[ $rc -eq 1 ] && [ "$(jq -r .cpus <<<"$out")" = 1 ] &&
			[ "$(jq -r .log <<<"$out")" = "$want" ] &&
			jq_true '.missing | any(.group == "procbased2" and .id == "bus_lock_detection" and .bit == 30)' <<<"$out"
		ok $? "$L: KVM $v on a Lakefield (big + small cores) refuses: cpu 1, bus_lock_detection, '$want'"
	done

	# -- --kernel picks the rules: 6.5 is 6.1's, 5.15 is none of them.
	out=$("$T" --input "$DUMPS" --entry $SKX --require kvm --kernel 6.5 --json)
	[ "$(jq -r .version <<<"$out")" = 6.1 ]
	ok $? "$L: --kernel 6.5 uses 6.1's rules (the newest modelled release not after it)"
	"$T" --input "$DUMPS" --entry $SKX --require kvm --kernel 5.15 >/dev/null 2>"$WORK/e.txt"
	[ $? -eq 2 ] && grep -q 'modelled for kernels 6.1, 6.12 and 7.3' "$WORK/e.txt"
	ok $? "$L: --kernel 5.15: exit 2, KVM's rules are modelled from 6.1 on"

	# -- parameters: ept=0 takes unrestricted_guest, eptad and pml with it
	# (hardware_setup(): each needs enable_ept); the user's 0 is said as such.
	out=$("$T" --input "$DUMPS" --entry $SKX --require kvm --kernel 6.1 --kvm-param ept=0 --json)
	[ "$(jq -c '[.parameters.ept, .parameters.unrestricted_guest, .parameters.eptad, .parameters.pml, .parameters.vpid]' <<<"$out")" = '[false,false,false,false,true]' ] &&
		[ "$(jq -r .parameter_reasons.ept <<<"$out")" = "--kvm-param ept=N" ]
	ok $? "$L: --kvm-param ept=0: unrestricted_guest, eptad and pml off with it, vpid on"
	"$T" --input "$DUMPS" --entry $SKX --require kvm --kvm-param ept=maybe >/dev/null 2>"$WORK/e.txt"
	[ $? -eq 2 ] && grep -q 'ept=maybe: want Y, N, 1 or 0' "$WORK/e.txt"
	ok $? "$L: --kvm-param ept=maybe: exit 2, one line"
	"$T" --input "$DUMPS" --entry $SKX --require kvm --kvm-param eptt=0 >/dev/null 2>"$WORK/e.txt"
	[ $? -eq 2 ] && grep -q "did you mean ept" "$WORK/e.txt"
	ok $? "$L: --kvm-param eptt=0: exit 2, did you mean ept"
	# A dump has no TSC frequency: the timer is unknown, with what decides it.
	out=$("$T" --input "$DUMPS" --entry $SKX --require kvm --kernel 6.1 --json)
	[ "$(jq -r .parameters.preemption_timer <<<"$out")" = null ] &&
		jq -r .parameter_reasons.preemption_timer <<<"$out" | grep -q 'give --tsc-khz'
	ok $? "$L: a dump's preemption_timer is unknown: the TSC frequency decides it"
	out=$("$T" --input "$DUMPS" --entry $SKX --require kvm --kernel 6.1 --tsc-khz 2400000 --json)
	[ "$(jq -r .parameters.preemption_timer <<<"$out")" = true ]
	ok $? "$L: --tsc-khz 2400000: preemption_timer on (rate 5: below 13743 MHz)"

	# -- the nested view against Cloud Hypervisor's pinned KVM profile of
	# the same CPU model: equal where the profile replaces the whole MSR;
	# 0x48f/0x490 differ only in load IA32_PERF_GLOBAL_CTRL (exit bit 12,
	# entry bit 13), which KVM offers always and the profile clears.
	"$T" --input "$DUMPS" --entry $CH --dump >"$WORK/ch.json"
	for v in 6.1 6.12; do
		"$T" --input "$DUMPS" --entry $SPR --nested-view --kernel $v --dump >"$WORK/nv.json"
		bad=""
		for k in 0x480 0x486 0x488 0x48a 0x48b 0x48c 0x48d 0x48e 0x491; do
			a=$(jq -r ".sets[0].msrs[\"$k\"]" "$WORK/nv.json")
			b=$(jq -r ".sets[0].msrs[\"$k\"]" "$WORK/ch.json")
			[ "$a" = "$b" ] || bad="$bad $k:$a/$b"
		done
		for k in "0x48f 44" "0x490 45"; do
			set -- $k
			a=$(jq -r ".sets[0].msrs[\"$1\"]" "$WORK/nv.json")
			b=$(jq -r ".sets[0].msrs[\"$1\"]" "$WORK/ch.json")
			[ $((a ^ b)) -eq $((1 << $2)) ] || bad="$bad $1:$a/$b"
		done
		[ -z "$bad" ]
		ok $? "$L: KVM $v nested view of Sapphire Rapids = Cloud Hypervisor's KVM profile (9 MSRs; 0x48f/0x490 but PERF_GLOBAL_CTRL)${bad:+:$bad}"
	done
	"$T" --input "$DUMPS" --entry $SKX --nested-view --kernel 6.1 --dump >"$WORK/nv.json"
	[ "$(jq -r '.sets[0].msrs["0x48b"]' "$WORK/nv.json")" = 0x02137bff00000000 ] &&
		[ "$(jq -r '.sets[0].msrs["0x48c"]' "$WORK/nv.json")" = 0x00000f0106334041 ]
	ok $? "$L: KVM 6.1 nested view of a Skylake-SP: 0x48b and 0x48c as Cloud Hypervisor's skylake profile"
	"$T" --input "$DUMPS" --entry $YONAH --nested-view --kernel 6.1 --dump >/dev/null 2>"$WORK/e.txt"
	[ $? -eq 2 ] && grep -q 'KVM 6.1 refuses to load' "$WORK/e.txt"
	ok $? "$L: --nested-view where KVM refuses: exit 2, says so"
}

# The hard requirements as the notes list them (hypervisor-requirements.md
# section 7, corrected by the review of section 4 of the same notes: Xen
# 4.17/4.20 vmcs.c, FreeBSD vmx.c/ept.c, VirtualBox HMR0VMX-x86.cpp), typed
# here independently of tools/*-rules.c: "GROUP BIT" must be allowed-1,
# "GROUP BIT 0" allowed-0.  Each is taken away from a CPU every profile
# runs on (Bochs Skylake-X), alone; the profile must refuse, naming it.
HV_REQUIRED_kvm="pinbased 0|pinbased 3|procbased 2|procbased 3|procbased 7|procbased 9|procbased 10
procbased 11|procbased 15|procbased 16|procbased 19|procbased 20|procbased 23|procbased 24
procbased 29|exit 2|exit 9|exit 15|entry 2|entry 9"
HV_REQUIRED_xen="pinbased 0|pinbased 3|procbased 2|procbased 3|procbased 7|procbased 9|procbased 10
procbased 12|procbased 15|procbased 16|procbased 19|procbased 20|procbased 23|procbased 25
procbased 29|exit 9|exit 15"
HV_REQUIRED_bhyve="pinbased 0|pinbased 3|pinbased 5|procbased 2|procbased 10|procbased 19
procbased 20|procbased 22|procbased 24|procbased 28|procbased 29|procbased 31|procbased 15 0
procbased 16 0|procbased 25 0|procbased2 1|exit 2|exit 9|exit 15|exit 20|exit 21|entry 2
entry 15|entry 10 0|entry 11 0|ept_vpid 6|ept_vpid 14|ept_vpid 20|ept_vpid 25|ept_vpid 26
ept_vpid 32|ept_vpid 40|ept_vpid 41|ept_vpid 42|ept_vpid 43|basic 54"
HV_REQUIRED_virtualbox="pinbased 0|pinbased 3|procbased 3|procbased 7|procbased 10|procbased 11
procbased 23|procbased 24|procbased 29|procbased 23 0|exit 2|exit 9|entry 2|entry 9
ept_vpid 20|ept_vpid 14|ept_vpid 6"

# msr_of GROUP: the MSRs a group's bit lives in (legacy, TRUE).
msr_of() {
	case $1 in
	pinbased) echo "0x481 0x48d" ;; procbased) echo "0x482 0x48e" ;; procbased2) echo 0x48b ;;
	exit) echo "0x483 0x48f" ;; entry) echo "0x484 0x490" ;; ept_vpid) echo 0x48c ;; basic) echo 0x480 ;;
	esac
}

# without FILE GROUP BIT [0]: FILE with the bit taken away (controls: not
# allowed-1, or with 0 not allowed-0; capabilities: clear), as a dump.
without() {
	local f=$1 g=$2 b=$3 zero=${4:-} m v filter="."
	for m in $(msr_of "$g"); do
		v=$(jq -r ".sets[0].msrs[\"$m\"]" "$f")
		case $g in
		ept_vpid | basic) v=$((v & ~(1 << b))) ;;
		*) if [ -n "$zero" ]; then v=$((v | (1 << b) | (1 << (b + 32))))
		   else v=$((v & ~(1 << b) & ~(1 << (b + 32)))); fi ;;
		esac
		filter="$filter | .sets[0].msrs[\"$m\"] = \"$(printf '0x%016x' "$v")\""
	done
	jq "$filter" "$f"
}

hv_required_cases() {
	local T=$1 L=$2 p req g b z out cnt bad
	"$T" --input "$DUMPS" --entry bochs:corei7_skylake_x --dump >"$WORK/base.json"
	for p in kvm xen bhyve virtualbox; do
		out=$("$T" --input "$WORK/base.json" --require $p --json --tsc-khz 200000)
		[ "$(jq -r .verdict <<<"$out")" = runs ]
		ok $? "$L: $p runs on the Bochs Skylake-X (the base of the next tests)"
		req=HV_REQUIRED_$p
		cnt=0 bad=""
		while IFS= read -r line; do
			read -r g b z <<<"$line"
			without "$WORK/base.json" "$g" "$b" "$z" >"$WORK/mut.json"
			out=$("$T" --input "$WORK/mut.json" --require $p --json --tsc-khz 200000)
			cnt=$((cnt + 1))
			[ "$(jq -r .verdict <<<"$out")" = refuses ] &&
				jq_true --arg g "$g" --argjson b "$b" '.missing | any(.group == $g and .bit == $b)' <<<"$out" ||
				bad="$bad $g.$b${z:+(0)}"
		done < <(tr '|' '\n' <<<"${!req}")
		[ -z "$bad" ]
		ok $? "$L: $p refuses without each of its $cnt hard requirements, naming it${bad:+; not:$bad}"
	done
	# Their own lines: Xen's with the computed value and its required mask
	# (0x2299968c: 4.20's immediate), bhyve's and VirtualBox's texts.
	without "$WORK/base.json" procbased 25 >"$WORK/mut.json"
	out=$("$T" --input "$WORK/mut.json" --require xen --json)
	jq -r .log <<<"$out" | grep -Eqx 'VMX: CPU0 has insufficient CPU-Based Exec Control \([0-9a-f]{8}; requires 2299968c\)'
	ok $? "$L: Xen without I/O bitmaps: $(jq -r .log <<<"$out")"
	without "$WORK/base.json" procbased2 1 >"$WORK/mut.json"
	out=$("$T" --input "$WORK/mut.json" --require bhyve --json)
	[ "$(jq -r .log <<<"$out")" = "vmx_modinit: processor does not support desired secondary processor-based controls" ]
	ok $? "$L: bhyve without EPT: $(jq -r .log <<<"$out")"
	without "$WORK/base.json" ept_vpid 20 >"$WORK/mut.json"
	out=$("$T" --input "$WORK/mut.json" --require virtualbox --json)
	[ "$(jq -r .log <<<"$out")" = "VT-x setup failed: VERR_HM_UNSUPPORTED_CPU_FEATURE_COMBO" ]
	ok $? "$L: VirtualBox without INVEPT: $(jq -r .log <<<"$out")"
	# Xen without VM-entry load PAT: no HAP (XSA-60), still runs.
	without "$WORK/base.json" entry 14 >"$WORK/mut.json"
	out=$("$T" --input "$WORK/mut.json" --require xen --json)
	[ "$(jq -r .verdict <<<"$out")" = runs ] && [ "$(jq -r .uses.hap <<<"$out")" = false ] &&
		[ "$(jq -r .uses.ept <<<"$out")" = true ]
	ok $? "$L: Xen without VM-entry load PAT: runs, EPT but no HAP"
	# Lakefield: Xen keeps the small cores offline; bhyve and VirtualBox read one CPU.
	out=$("$T" --input "$WORK/lf.json" --require xen --json)
	[ "$(jq -r .verdict <<<"$out")" = runs ] && [ "$(jq -r .cpus <<<"$out")" = 1 ] &&
		jq_true '.reasons | any(test("cpu 1 stays offline: .VMX Secondary Exec Control: saw"))' <<<"$out"
	ok $? "$L: Xen on a Lakefield: runs, cpu 1 stays offline (Secondary Exec Control differs)"
	out=$("$T" --input "$DUMPS" --entry bochs:corei7_skylake_x --require xen,bhyve,virtualbox --json)
	[ "$(jq -rs 'map(.derived | test("not run here")) | all' <<<"$out")" = true ]
	ok $? "$L: Xen, bhyve and VirtualBox verdicts say they are derived from the sources, not run here"
}
