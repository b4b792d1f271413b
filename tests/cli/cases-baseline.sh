# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show baseline DUMP...: the VMX configuration valid on every input.
# The hosts are single-entry dumps written from the fixtures (--entry ID
# --dump).  What is expected comes from the raw fixture values, read here
# with bash arithmetic under SDM appendix A's rules (which MSR exists, which
# of TRUE and legacy a CPU's controls come from), not from the decoder: a
# control value that `adjust` computes against the baseline must satisfy
# every input host's own allowed-0 and allowed-1 settings (A.3-A.5, A.11),
# and a CR0/CR4 value its FIXED0/FIXED1 (A.7, A.8).
# Sourced by run-cli.sh: baseline_cases BINARY LABEL.

# The fixtures with VMX values, numbered in file order: BL_RAW["N MSR"] is
# entry N's value of MSR (as the fixture spells its index), BL_ID[N] its id.
declare -A BL_RAW=()
declare -a BL_ID=()
bl_load() {
	local id msrs kv e=0
	[ ${#BL_ID[@]} -gt 0 ] && return
	while IFS=$'\t' read -r id _ _ msrs; do
		case " $msrs " in *" 0x480="*) ;; *) continue ;; esac
		BL_ID[e]=$id
		for kv in $msrs; do
			BL_RAW["$e ${kv%%=*}"]=${kv#*=}
		done
		e=$((e + 1))
	done <"$WORK/entries.tsv"
}

bl_has() { [ -n "${BL_RAW["$1 $2"]+set}" ]; }

# bl_exists N MSR: EXISTS=1 when MSR exists on entry N (SDM appendix A), 0
# when its gate says not, 2 when the gate was not recorded.
bl_exists() {
	local e=$1 gate bit alt=-1 v
	case $2 in
	0x48b) gate=0x482 bit=63 ;;			# A.3.3: activate secondary controls
	0x48c) gate=0x48b bit=33 alt=37 ;;		# A.10: enable EPT or enable VPID
	0x48d | 0x48e | 0x48f | 0x490) gate=0x480 bit=55 ;;	# A.1: IA32_VMX_BASIC bit 55
	0x491) gate=0x48b bit=45 ;;			# A.11: enable VM functions
	0x492) gate=0x482 bit=49 ;;			# A.3.4: activate tertiary controls
	0x493) gate=0x483 bit=63 ;;			# A.4.2: activate secondary VM-exit controls
	*) EXISTS=1; return ;;
	esac
	bl_exists "$e" $gate
	[ "$EXISTS" = 1 ] || return
	if ! bl_has "$e" $gate; then
		EXISTS=2
		return
	fi
	v=$((BL_RAW["$e $gate"]))
	EXISTS=$(( ((v >> bit) & 1) || (alt >= 0 && ((v >> alt) & 1)) ))
}

# bl_masks N GROUP: entry N's settings of a control group.  LO: the bits
# that must be 1, HI: those that may be 1 (from the TRUE MSR when it exists
# and was recorded, else the legacy one), LEGLO: the legacy MSR's must-be-1
# bits; a group whose MSR does not exist has LO = HI = 0.  KNOWN=0 when an
# MSR that decides was not recorded.
bl_masks() {
	local e=$1 m tru='' v one=0
	LO=0 HI=0 LEGLO=0 KNOWN=1 TRUE_USED=0
	case $2 in
	pinbased) m=0x481 tru=0x48d ;;
	procbased) m=0x482 tru=0x48e ;;
	exit) m=0x483 tru=0x48f ;;
	entry) m=0x484 tru=0x490 ;;
	procbased2) m=0x48b ;;
	procbased3) m=0x492 one=1 ;;
	exit2) m=0x493 one=1 ;;
	vmfunc) m=0x491 one=1 ;;
	esac
	if [ -n "$tru" ]; then
		bl_has "$e" $m && LEGLO=$((BL_RAW["$e $m"] & 0xffffffff))
		bl_exists "$e" $tru
		if [ "$EXISTS" = 1 ] && bl_has "$e" $tru; then
			m=$tru TRUE_USED=1
		fi
	else
		bl_exists "$e" $m
		[ "$EXISTS" = 0 ] && return
	fi
	if ! bl_has "$e" $m; then
		KNOWN=0
		return
	fi
	v=$((BL_RAW["$e $m"]))
	if [ $one = 1 ]; then
		HI=$v
	else
		LO=$((v & 0xffffffff)) HI=$(((v >> 32) & 0xffffffff))
	fi
	[ -n "$tru" ] || LEGLO=$LO
}

# bl_gates GROUP: the MSRs whose values say whether the group's MSR exists
# (SDM A.3.3, A.3.4, A.4.2, A.11).
bl_gates() {
	case $1 in
	procbased2 | procbased3) echo 0x482 ;;
	exit2) echo 0x483 ;;
	vmfunc) echo 0x482 0x48b ;;
	esac
}

# bl_adjust DUMP WHAT VALUE: PROGRAM, the value `adjust` programs; false
# when adjust failed (ADJ_RC its exit status).
bl_adjust() {
	local out
	out=$("$BL_T" --input "$1" adjust "$2" "$3" 2>/dev/null)
	ADJ_RC=$?
	[ $ADJ_RC -eq 0 ] || return 1
	PROGRAM=$(awk '$1 == "program:" { print $2 }' <<<"$out")
	PROGRAM=$((PROGRAM))
}

# bl_failed JUSTIFIED WHAT: an adjust that failed is unknown (BL_UNKNOWN)
# when it exited 2 and an input justifies it (JUSTIFIED 1), else wrong.
bl_failed() {
	if [ $ADJ_RC -eq 2 ] && [ "$1" = 1 ]; then
		BL_UNKNOWN=$((BL_UNKNOWN + 1))
	else
		BL_BAD=$((BL_BAD + 1))
		diag "$2: exit $ADJ_RC, although every input recorded what decides it"
	fi
}

# bl_property DUMP N...: the baseline DUMP of entries N... against each
# entry's own settings.  Adds to BL_CHECKS (a value checked on a host),
# BL_UNKNOWN (a group the baseline cannot know, each justified by an input
# that did not record what decides it), BL_BAD.
bl_property() {
	local dump=$1 g w e and or width v f0 f1 cr gate
	shift
	for g in pinbased procbased procbased2 procbased3 exit exit2 entry vmfunc; do
		case $g in procbased3 | exit2 | vmfunc) width=0xffffffffffffffff ;; *) width=0xffffffff ;; esac
		for w in 0 $width; do
			if ! bl_adjust "$dump" $g $w; then
				# Unknown: some input did not record what decides the group.
				local why=0
				for e in "$@"; do
					bl_masks "$e" $g
					[ $KNOWN = 0 ] && why=1
					for gate in $(bl_gates $g); do
						bl_exists "$e" $gate
						[ "$EXISTS" != 0 ] && ! bl_has "$e" $gate && why=1
					done
				done
				bl_failed $why "baseline of $*: adjust $g $w"
				continue
			fi
			and=$((width)) or=0 v=$PROGRAM
			local all_known=1 all_true=1
			for e in "$@"; do
				bl_masks "$e" $g
				BL_CHECKS=$((BL_CHECKS + 1))
				if [ $KNOWN = 0 ]; then
					# The group is off in the baseline (another input lacks it).
					all_known=0
					[ $v = 0 ] && continue
					BL_BAD=$((BL_BAD + 1))
					diag "baseline of $*: adjust $g $w = $(printf 0x%x $v) on entry $e whose $g is unknown"
					continue
				fi
				if (( (v & ~HI) != 0 || (v & LO) != LO )); then
					BL_BAD=$((BL_BAD + 1))
					diag "baseline of $*: adjust $g $w = $(printf 0x%x $v) invalid on ${BL_ID[e]}: must-be-1 $(printf 0x%x $LO), may-be-1 $(printf 0x%x $HI)"
				fi
				and=$((and & HI))
				[ $TRUE_USED = 1 ] || all_true=0
				or=$((or | (all_true ? LO : LEGLO)))
			done
			# The most capable: every bit each input allows; the least: what one forces.
			[ $all_known = 1 ] || continue
			if [ $all_true = 0 ]; then
				or=0
				for e in "$@"; do
					bl_masks "$e" $g
					or=$((or | LEGLO))
				done
			fi
			if { [ $w = 0 ] && [ $v != $or ]; } || { [ $w != 0 ] && [ $v != $and ]; }; then
				BL_BAD=$((BL_BAD + 1))
				diag "baseline of $*: adjust $g $w = $(printf 0x%x $v), want $(printf 0x%x $((w == 0 ? or : and)))"
			fi
		done
	done
	for cr in cr0:0x486:0x487 cr4:0x488:0x489; do
		IFS=: read -r cr f0 f1 <<<"$cr"
		for w in 0 0xffffffffffffffff; do
			local known=1
			for e in "$@"; do
				bl_has "$e" $f0 && bl_has "$e" $f1 || known=0
			done
			if ! bl_adjust "$dump" $cr $w; then
				bl_failed $((!known)) "baseline of $*: adjust $cr $w"
				continue
			fi
			v=$PROGRAM and=-1 or=0
			for e in "$@"; do
				local a=$((BL_RAW["$e $f0"])) b=$((BL_RAW["$e $f1"]))
				BL_CHECKS=$((BL_CHECKS + 1))
				if (( (v & a) != a || (v & ~b) != 0 )); then
					BL_BAD=$((BL_BAD + 1))
					diag "baseline of $*: adjust $cr $w = $(printf 0x%x $v) invalid on ${BL_ID[e]}"
				fi
				and=$((and & b)) or=$((or | a))
			done
			if [ $v != $((w == 0 ? or : and)) ]; then
				BL_BAD=$((BL_BAD + 1))
				diag "baseline of $*: adjust $cr $w = $(printf 0x%x $v), want $(printf 0x%x $((w == 0 ? or : and)))"
			fi
		done
	done
}

# bl_key N: what must be equal for a baseline (SDM A.1, A.6): the VMCS
# revision, size and memory type, the preemption timer's rate, the MSEG
# revision ("-" where IA32_VMX_MISC was not recorded).
bl_key() {
	local b=$((BL_RAW["$1 0x480"])) m='-'
	bl_has "$1" 0x485 && m=$((BL_RAW["$1 0x485"]))
	if [ "$m" = - ]; then
		KEY="$((b & 0x7fffffff)) $(((b >> 32) & 0x1fff)) $(((b >> 50) & 15)) - -"
	else
		KEY="$((b & 0x7fffffff)) $(((b >> 32) & 0x1fff)) $(((b >> 50) & 15)) $((m & 31)) $(((m >> 32) & 0xffffffff))"
	fi
}

baseline_cases() {
	local T=$1 L=$2 B=$WORK/baseline rc e i j k cls key want bad
	BL_T=$T
	bl_load
	rm -rf "$B"
	mkdir -p "$B/h"
	bad=0
	for ((e = 0; e < ${#BL_ID[@]}; e++)); do
		"$T" --input "$DUMPS" --entry "${BL_ID[e]}" --dump >"$B/h/h$e.json" || bad=1
	done
	[ $bad = 0 ] && [ ${#BL_ID[@]} -eq 57 ]
	ok $? "$L: baseline: ${#BL_ID[@]} single-entry dumps written from the fixtures with VMX values (h0 ... h$((e - 1)))"

	# -- the property: hosts whose revision, VMCS size, memory type, timer
	# rate and MSEG revision agree (else there is no baseline), as pairs
	# (every pair in the plain run, neighbours under the sanitizers) and
	# each such class whole
	local -A CLASS=()
	for ((e = 0; e < ${#BL_ID[@]}; e++)); do
		bl_key $e
		CLASS[$KEY]="${CLASS[$KEY]:+${CLASS[$KEY]} }$e"
	done
	local -a groups=() m
	local nclasses=0
	for key in "${!CLASS[@]}"; do
		read -ra m <<<"${CLASS[$key]}"
		[ ${#m[@]} -ge 2 ] || continue
		nclasses=$((nclasses + 1))
		for ((i = 0; i < ${#m[@]}; i++)); do
			for ((j = i + 1; j < ${#m[@]}; j++)); do
				[ "$L" = plain ] || [ $j = $((i + 1)) ] || continue
				groups+=("${m[i]} ${m[j]}")
			done
		done
		[ ${#m[@]} -ge 3 ] && groups+=("${CLASS[$key]}")
	done
	BL_CHECKS=0 BL_UNKNOWN=0 BL_BAD=0
	local nb=0 nfail=0 files
	for cls in "${groups[@]}"; do
		files=()
		for e in $cls; do files+=("$B/h/h$e.json"); done
		"$T" baseline "${files[@]}" >"$B/base.json" 2>"$B/base.err"
		rc=$?
		nb=$((nb + 1))
		if [ $rc -ne 0 ]; then
			nfail=$((nfail + 1))
			diag "baseline of $cls: exit $rc: $(grep conflict "$B/base.err" | head -n 3)"
			continue
		fi
		# shellcheck disable=SC2086 # the entries' numbers
		bl_property "$B/base.json" $cls
	done
	[ $nfail = 0 ] && [ $BL_BAD = 0 ] && [ $BL_CHECKS -gt 1000 ]
	ok $? "$L: baseline property: $nb baselines of the $nclasses classes of two or more fixtures (of ${#CLASS[@]}): $BL_CHECKS checks that a value adjusted against the baseline (wanted 0 and all ones, 8 control groups, CR0, CR4) is valid on each input host (its TRUE or legacy MSRs, its FIXED0/FIXED1) and is the most (least) the inputs allow together; $BL_UNKNOWN unknown, each an input that did not record the MSR; $BL_BAD wrong"

	# -- neighbours in the fixture file that differ in what must be equal:
	# exit 1, nothing written, each differing field named with its values
	local pairs=0 named=0 a b f h
	local -a A C
	bad=0
	for ((e = 0; e + 1 < ${#BL_ID[@]}; e++)); do
		bl_key $e; a=$KEY
		bl_key $((e + 1)); b=$KEY
		[ "$a" != "$b" ] || continue
		pairs=$((pairs + 1))
		"$T" baseline "$B/h/h$e.json" "$B/h/h$((e + 1)).json" >"$B/c.out" 2>"$B/c.err"
		rc=$?
		if [ $rc -ne 1 ] || [ -s "$B/c.out" ] || ! grep -q 'conflicts\?: no configuration is valid' "$B/c.err"; then
			bad=$((bad + 1))
			diag "h$e h$((e + 1)): exit $rc"
			continue
		fi
		read -ra A <<<"$a"
		read -ra C <<<"$b"
		k=0
		for f in "IA32_VMX_BASIC revision" "IA32_VMX_BASIC vmcs_size" \
			"IA32_VMX_BASIC vmcs_memory_type" "IA32_VMX_MISC preemption_timer_shift" \
			"IA32_VMX_MISC mseg_revision"; do
			if [ "${A[k]}" != "${C[k]}" ] && [ "${A[k]}" != - ] && [ "${C[k]}" != - ]; then
				named=$((named + 1))
				# The values as the fixtures have them (rate and type as numbers first).
				grep -Eq "conflict: $f \(.*\) differs, [^:]*: ${A[k]}( [^;]*)? on host h$e cpu 0; ${C[k]}( [^;]*)? on host h$((e + 1)) cpu 0\$" "$B/c.err" || {
					bad=$((bad + 1))
					diag "h$e h$((e + 1)): $f ${A[k]} vs ${C[k]} not named: $(grep conflict "$B/c.err" | head -n 2)"
				}
			fi
			k=$((k + 1))
		done
	done
	[ $bad = 0 ] && [ $pairs -gt 10 ]
	ok $? "$L: baseline: $pairs neighbouring fixtures that differ in revision, VMCS size, memory type, timer rate or MSEG revision: exit 1, no dump, each of the $named differing fields named with both values"

	# -- by hand: one host is itself (less IA32_FEATURE_CONTROL, firmware's
	# setting); two copies of it the same; the dump reads back
	local K=vbox-cpudb:Intel_Core_i7_6700K KI
	for ((KI = 0; KI < ${#BL_ID[@]}; KI++)); do [ "${BL_ID[KI]}" = $K ] && break; done
	cp "$B/h/h$KI.json" "$B/sky.json" && cp "$B/h/h$KI.json" "$B/sky2.json"
	"$T" baseline "$B/sky.json" >"$B/one.json" 2>"$B/one.err" &&
		jq -S --arg id $K '.[] | select(.id == $id) | .msrs | del(.["0x3a"]) | map_values(ascii_downcase)' \
			"$DUMPS" >"$B/want.txt" &&
		jq -S '.sets[0].msrs' "$B/one.json" | cmp -s - "$B/want.txt" &&
		jq_true '.source == "baseline" and .baseline_of == ["sky"] and (.sets | length) == 1 and
			.sets[0].vmx == null and .sets[0].vendor == null and .sets[0].faulted == []' "$B/one.json" &&
		grep -qx 'vmxcap-show: baseline: host sky cpu 0 offers nothing beyond it' "$B/one.err"
	ok $? "$L: baseline of one host (6700K): its fixture values less 0x3a, source baseline, baseline_of [sky], no identity; it offers nothing beyond"
	"$T" baseline "$B/sky.json" "$B/sky2.json" >"$B/two.json" 2>/dev/null &&
		jq -S '.sets[0].msrs' "$B/two.json" | cmp -s - "$B/want.txt" &&
		jq_true '.baseline_of == ["sky", "sky2"]' "$B/two.json" &&
		"$T" --input "$B/two.json" --dump | cmp -s - "$B/two.json" &&
		"$T" --input "$B/two.json" | grep -q '^  the baseline of 2 hosts: sky, sky2' &&
		"$T" --input "$B/two.json" --require ept,vpid,unrestricted_guest >/dev/null
	ok $? "$L: baseline of two copies of one host: the same values; --input reads it back (the same --dump, the summary names its hosts, --require)"

	# -- by hand: two hosts made from the 6700K (IA32_VMX_MISC 0x7004c1e7:
	# 7 timer, CR3 targets 4, MSR lists 512, HLT/shutdown/wait-for-SIPI)
	local MISC=$((0x7004c1e7)) ma mb
	ma=$(( (MISC & ~(0x1ff << 16)) | (4 << 16) ))				# 4 CR3 targets, MSR lists N=0
	mb=$(( (MISC & ~(0x1ff << 16) & ~(7 << 25) & ~(1 << 6)) | (2 << 16) | (3 << 25) ))	# 2, N=3, no HLT
	jq --arg m "$(printf 0x%016x $ma)" '.sets[0].msrs["0x485"] = $m' "$B/sky.json" >"$B/a.json"
	jq --arg m "$(printf 0x%016x $mb)" '.sets[0].msrs["0x485"] = $m' "$B/sky.json" >"$B/b.json"
	want=$(( (MISC & ~(0x1ff << 16) & ~(7 << 25) & ~(1 << 6)) | (2 << 16) ))
	"$T" baseline "$B/a.json" "$B/b.json" >"$B/ab.json" 2>"$B/ab.err" &&
		[ "$(jq -r '.sets[0].msrs["0x485"]' "$B/ab.json")" = "$(printf 0x%016x $want)" ] &&
		grep -q '^vmxcap-show: baseline: host a cpu 0 offers beyond it: misc.activity_hlt, misc.cr3_targets 4 (baseline 2)$' "$B/ab.err" &&
		grep -q '^vmxcap-show: baseline: host b cpu 0 offers beyond it: misc.max_msr_list 2048 (baseline 512)$' "$B/ab.err"
	ok $? "$L: baseline: IA32_VMX_MISC counts at their minimum (CR3 targets 4 and 2, MSR lists N=0 and 3), flags AND-ed (HLT): $(printf 0x%x $want); each host's larger count and flag named"

	# -- by hand: CR0/CR4 FIXED0 OR-ed, FIXED1 AND-ed (6700K: CR0 0x80000021/
	# 0xffffffff, CR4 0x2000/0x3727ff); b forces CR0.MP (bit 1), forbids CR4.OSXSAVE (bit 18)
	jq '.sets[0].msrs["0x486"] = "0x0000000080000023" | .sets[0].msrs["0x489"] = "0x00000000003327ff"' \
		"$B/sky.json" >"$B/b.json"
	"$T" baseline "$B/sky.json" "$B/b.json" >"$B/cr.json" 2>"$B/cr.err" &&
		jq_true '.sets[0].msrs | .["0x486"] == "0x0000000080000023" and .["0x487"] == "0x00000000ffffffff" and
			.["0x488"] == "0x0000000000002000" and .["0x489"] == "0x00000000003327ff"' "$B/cr.json" &&
		grep -q '^vmxcap-show: baseline: host sky cpu 0 offers beyond it: cr4.osxsave$' "$B/cr.err" &&
		"$T" --input "$B/cr.json" adjust cr0 0x30 | grep -q 'program:    0x0000000080000033'
	ok $? "$L: baseline: CR0 FIXED0 0x80000021|0x80000023, CR4 FIXED1 0x3727ff&0x3327ff; adjust cr0 0x30 against it = 0x80000033"

	# -- by hand: conflicts, each named: a revision; a bit one host forces
	# and the other forbids (a control, a CR bit); no VMX in CPUID
	jq '.sets[0].msrs["0x480"] = "0x00da040000000005"' "$B/sky.json" >"$B/b.json"
	"$T" baseline "$B/sky.json" "$B/b.json" >"$B/x.out" 2>"$B/x.err"
	rc=$?
	[ $rc -eq 1 ] && [ ! -s "$B/x.out" ] &&
		grep -qx 'vmxcap-show: baseline: conflict: IA32_VMX_BASIC revision (VMCS revision identifier) differs, no value is valid on every input: 4 on host sky cpu 0; 5 on host b cpu 0' "$B/x.err" &&
		[ "$(grep -c "baseline: conflict: " "$B/x.err")" = 1 ] && tail -n 1 "$B/x.err" | grep -q '^vmxcap-show: baseline: 1 conflict: '
	ok $? "$L: baseline: revisions 4 and 5: exit $rc, nothing written, the conflict named with both values and hosts"
	# --output FILE: a baseline replaces it; conflicting hosts leave it as it was.
	echo previous >"$B/out.json"
	"$T" --output "$B/out.json" baseline "$B/sky.json" "$B/b.json" >"$B/x.out" 2>/dev/null
	rc=$?
	[ $rc -eq 1 ] && [ "$(cat "$B/out.json")" = previous ] && [ ! -s "$B/x.out" ] &&
		[ -z "$(find "$B" -maxdepth 1 -name '.*' -print -quit)" ] &&
		"$T" --output "$B/out.json" baseline "$B/sky.json" "$B/sky2.json" 2>/dev/null &&
		cmp -s "$B/out.json" "$B/two.json"
	ok $? "$L: baseline --output FILE: conflicts (exit $rc) leave FILE as it was, no temporary file; a baseline replaces it"
	# 6700K TRUE_PROCBASED 0xfff9fffe04006172: bit 0 may not be 1; b forces it
	# (TRUE and legacy alike); CR4 FIXED1 0x3727ff lacks bit 12 (LA57): b forces it.
	jq --arg t "$(printf 0x%016x $(($(msr_of_entry $K 0x48e) | 1 << 32 | 1)))" \
		--arg p "$(printf 0x%016x $(($(msr_of_entry $K 0x482) | 1 << 32 | 1)))" \
		'.sets[0].msrs["0x48e"] = $t | .sets[0].msrs["0x482"] = $p |
		.sets[0].msrs["0x488"] = "0x0000000000003000" | .sets[0].msrs["0x489"] = "0x00000000003737ff"' \
		"$B/sky.json" >"$B/b.json"
	jq '.sets[0].vmx = false' "$B/sky.json" >"$B/novmx.json"
	"$T" baseline "$B/sky.json" "$B/b.json" "$B/novmx.json" >"$B/x.out" 2>"$B/x.err"
	rc=$?
	[ $rc -eq 1 ] && [ ! -s "$B/x.out" ] &&
		grep -qx 'vmxcap-show: baseline: conflict: procbased.bit0 (IA32_VMX_TRUE_PROCBASED_CTLS bit 0): must be 1 on host b cpu 0; may not be 1 on host sky cpu 0, host novmx cpu 0' "$B/x.err" &&
		grep -qx 'vmxcap-show: baseline: conflict: cr4.la57 (bit 12): must be 1 on host b cpu 0 (IA32_VMX_CR4_FIXED0); must be 0 on host sky cpu 0, host novmx cpu 0 (IA32_VMX_CR4_FIXED1)' "$B/x.err" &&
		grep -qx 'vmxcap-show: baseline: conflict: CPUID says host novmx cpu 0 no VMX: no VMX configuration is valid there' "$B/x.err" &&
		[ "$(grep -c "baseline: conflict: " "$B/x.err")" = 3 ]
	ok $? "$L: baseline: procbased bit 0 forced on one host and forbidden on two, CR4.LA57 likewise, no VMX on one: exit $rc, 3 conflicts (bit 0 once, not again for the legacy MSR)"

	# -- TRUE and legacy: Conroe (no TRUE MSRs) and Centaur Isaiah (TRUE
	# MSRs): the baseline has IA32_VMX_BASIC bit 55 clear and no TRUE MSRs;
	# its legacy values the two hosts' OR-ed/AND-ed (by hand below)
	local CO=instlatx64:GenuineIntel00006F6_Conroe_CPUID CN=instlatx64:CentaurHauls00006FE_CNR_Isaiah_CPUID
	"$T" --input "$DUMPS" --entry $CO --dump >"$B/conroe.json" &&
		"$T" --input "$DUMPS" --entry $CN --dump >"$B/isaiah.json" &&
		"$T" baseline "$B/conroe.json" "$B/isaiah.json" >"$B/ci.json" 2>"$B/ci.err"
	rc=$?
	local pa pb
	pa=$(msr_of_entry $CO 0x482) pb=$(msr_of_entry $CN 0x482)
	want=$(printf 0x%016x $(( ((pa & pb) & ~0xffffffff) | ((pa | pb) & 0xffffffff) )))
	[ $rc -eq 0 ] &&
		jq_true '.sets[0].msrs | (keys - ["0x480","0x481","0x482","0x483","0x484","0x485","0x486","0x487","0x488","0x489","0x48a"]) == []' "$B/ci.json" &&
		(( ($(jq -r '.sets[0].msrs["0x480"]' "$B/ci.json") >> 55 & 1) == 0 )) &&
		[ "$(jq -r '.sets[0].msrs["0x482"]' "$B/ci.json")" = "$want" ]
	ok $? "$L: baseline of Conroe (no TRUE MSRs) and Isaiah (TRUE MSRs): BASIC bit 55 clear, no TRUE or secondary MSRs, PROCBASED $pa with $pb = $want"

	# -- unknown: an MSR one input did not record or whose read faulted is
	# left out, and said (6700K with Coffee Lake, which lacks 0x491)
	local CL=instlatx64:GenuineIntel00906EA_Coffeelake_CPUID
	"$T" --input "$DUMPS" --entry $CL --dump >"$B/coffee.json"
	jq '.sets[0].msrs |= del(.["0x48c"]) | .sets[0].faulted = ["0x48c"]' "$B/sky.json" >"$B/fault.json"
	"$T" baseline "$B/fault.json" "$B/coffee.json" >"$B/u.json" 2>"$B/u.err"
	rc=$?
	[ $rc -eq 0 ] && jq_true '.sets[0].msrs | has("0x491") == false and has("0x48c") == false and has("0x48b")' "$B/u.json" &&
		grep -qx 'vmxcap-show: baseline: IA32_VMX_VMFUNC (0x491) is unknown, left out: not recorded on host coffee cpu 0' "$B/u.err" &&
		grep -qx 'vmxcap-show: baseline: IA32_VMX_EPT_VPID_CAP (0x48c) is unknown, left out: faulted on host fault cpu 0' "$B/u.err"
	ok $? "$L: baseline: 0x491 not recorded on one host, 0x48c faulted on the other: both left out and said (exit $rc)"

	# -- three fixture hosts: what each offers beyond the baseline, counted
	# per control group from the raw allowed-1 bits (bash, not the decoder)
	local SKX=instlatx64:GenuineIntel0050654_SkylakeXeon_20_CPUID
	"$T" --input "$DUMPS" --entry $SKX --dump >"$B/skx.json"
	"$T" baseline "$B/sky.json" "$B/coffee.json" "$B/skx.json" >"$B/three.json" 2>"$B/three.err"
	rc=$?
	sed 's/^/#   /' "$B/three.err"
	local hosts=("sky:$KI" coffee skx) g line cnt
	bad=0
	for ((e = 0; e < ${#BL_ID[@]}; e++)); do
		case ${BL_ID[e]} in "$CL") hosts[1]=coffee:$e ;; "$SKX") hosts[2]=skx:$e ;; esac
	done
	for g in pinbased procbased procbased2 procbased3 exit exit2 entry vmfunc; do
		local and=-1 known=1
		for h in "${hosts[@]}"; do
			bl_masks "${h#*:}" $g
			[ $KNOWN = 1 ] || known=0
			and=$((and & HI))
		done
		[ $known = 1 ] || continue
		for h in "${hosts[@]}"; do
			bl_masks "${h#*:}" $g
			want=0
			for ((k = 0; k < 64; k++)); do want=$((want + ((HI & ~and) >> k & 1))); done
			line=$(grep "^vmxcap-show: baseline: host ${h%%:*} cpu 0 offers" "$B/three.err")
			cnt=$(sed 's/.*offers beyond it: //; s/, /\n/g' <<<"$line" | grep -c "^$g\.")
			[ "$cnt" = "$want" ] || { bad=1; diag "host ${h%%:*}: $cnt $g items, want $want"; }
		done
	done
	[ $rc -eq 0 ] && [ $bad = 0 ] && [ "$(grep -c 'offers' "$B/three.err")" = 3 ]
	ok $? "$L: baseline of 6700K, Coffee Lake and Skylake-SP: each host's offers beyond it, as many controls per group as its allowed-1 bits the others lack"

	# -- usage errors: exit 2, one line, nothing on stdout
	jq '.baseline_of = "sky"' "$B/two.json" >"$B/bad-of.json"
	jq '.baseline_of = []' "$B/two.json" >"$B/bad-of2.json"
	local -a CASES=(
		"no inputs|baseline"
		"a missing file|baseline $B/none.json"
		"not a dump|baseline $WORK/bad-malformed.json $B/sky.json"
		"the same file twice|baseline $B/sky.json $B/sky.json"
		"--entry|--entry x baseline $B/sky.json"
		"another output|--json baseline $B/sky.json"
		"--sysfs-root|--sysfs-root $WORK/tree baseline $B/sky.json"
		"a dump whose baseline_of is not a list|--input $B/bad-of.json"
		"a dump whose baseline_of is empty|--input $B/bad-of2.json"
	)
	local cs what args
	for cs in "${CASES[@]}"; do
		what=${cs%%|*} args=${cs#*|}
		# shellcheck disable=SC2086
		"$T" $args >"$B/bo.txt" 2>"$B/be.txt"
		rc=$?
		[ $rc -eq 2 ] && [ "$(wc -l <"$B/be.txt")" -eq 1 ] && [ ! -s "$B/bo.txt" ] &&
			grep -q '^vmxcap-show: ' "$B/be.txt" && ! grep -Eq 'AddressSanitizer|runtime error' "$B/be.txt"
		ok $? "$L: baseline error: $what -> exit $rc: $(head -n 1 "$B/be.txt")"
	done
}
