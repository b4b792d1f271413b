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
			jq -e '[.missing[] | .group + "." + .id] | index("procbased.cr8_load_exiting") and index("procbased.cr8_store_exiting")' <<<"$out" >/dev/null &&
			[ "$(jq -r .log <<<"$out")" = "" ] &&
			jq -e '.reasons | any(test("Input/output error"))' <<<"$out" >/dev/null &&
			jq -e '[.parameters[]] | all(. == null)' <<<"$out" >/dev/null
		ok $? "$L: KVM $v on Yonah refuses: CR8 exiting missing, kvm_intel silent, modprobe EIO (exit $rc)"
	done
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
			jq -e '.missing | any(.group == "procbased2" and .id == "bus_lock_detection" and .bit == 30)' <<<"$out" >/dev/null
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
