# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show's answers for people: the summary (every feature row against
# QEMU vmxcap's reference output of the same CPU), its width and colours,
# --long, explain, the names it takes (QEMU's own lists, did you mean) and
# the regressions of issue 9, each of which the previous build failed.
# Sourced by run-cli.sh: answers_cases BINARY LABEL.

# Summary rows and the label QEMU's vmxcap prints for the same bit.
# Summary rows, the label QEMU's vmxcap prints for the same bit, and the
# MSR vmxcap reads it from.
SUMMARY_VMXCAP="EPT|Enable EPT|0x48b
  2 MB pages|2MB EPT pages|0x48c
  1 GB pages|1GB EPT pages|0x48c
  accessed/dirty bits|EPT accessed and dirty flags|0x48c
  5-level walk|Page-walk length 5|0x48c
VPID|Enable VPID|0x48b
Unrestricted guest|Unrestricted guest|0x48b
Posted interrupts|Process posted interrupts|0x481
VMCS shadowing|VMCS shadowing|0x48b
PML|Enable PML|0x48b
TSC scaling|TSC scaling|0x48b
Preemption timer|Activate VMX-preemption timer|0x481
EPTP switching|EPTP Switching|0x491
Mode-based execute|Mode-based execute control (XS/XU)|0x48b
IPI virtualization|Enable IPI virtualization|0x492"

# max_width FILE: the longest line.
max_width() { awk '{ if (length > m) m = length } END { print m + 0 }' "$1"; }

answers_cases() {
	local T=$1 L=$2 id ref row label want got bad=0 nrows=0 width lines c e out rc
	local K=vbox-cpudb:Intel_Core_i7_6700K C2=vbox-cpudb:Intel_Core2_X6800_2_93GHz
	local SPR=instlatx64:GenuineIntel00806F8_SapphireRapids_06_CPUID

	# -- the summary: each row as QEMU's vmxcap says, on every fixture
	while IFS=$'\t' read -r id _ _ msrs; do
		case " $msrs " in *" 0x480="*) ;; *) continue ;; esac
		ref=$DATA/reference/vmxcap/$(refname "$id").txt
		"$T" --input "$DUMPS" --entry "$id" >"$WORK/s.txt"
		while IFS='|' read -r row label msr; do
			[ "$label" = - ] && continue
			# vmxcap read an MSR the dump lacks as 0: nothing to compare.
			[ -n "$(msr_of_entry "$id" "$msr")" ] || continue
			# vmxcap: yes, forced or default may be 1; absent MSRs it read as 0.
			want=$(awk -v l="$label" 'index($0, "  " l " ") == 1 {
				v = $NF; print (v == "yes" || v == "forced" || v == "default") ? "yes" : "no" }' "$ref")
			got=$(awk -v r="$row" 'index($0, r " ") == 1 { print $(split(r, _, " ") + 1) }' "$WORK/s.txt")
			[ -z "$want" ] && continue
			nrows=$((nrows + 1))
			# "?" only where the dump lacks the MSR (vmxcap then read 0: "no").
			if [ "$got" != "$want" ] && ! { [ "$got" = "?" ] && [ "$want" = no ]; }; then
				bad=$((bad + 1))
				diag "$id: '$row' summary $got, vmxcap $want"
			fi
		done <<<"$SUMMARY_VMXCAP"
	done <"$WORK/entries.tsv"
	[ $bad -eq 0 ] && [ $nrows -gt 500 ]
	ok $? "$L: summary rows equal QEMU vmxcap's states on every fixture ($nrows rows)"

	# -- 80 columns when not a terminal, the terminal's width otherwise
	bad=""
	for id in $C2 $K $SPR; do
		"$T" --input "$DUMPS" --entry "$id" >"$WORK/s.txt"
		width=$(max_width "$WORK/s.txt") lines=$(wc -l <"$WORK/s.txt")
		diag "$id: summary $lines lines, widest $width columns"
		{ [ "$width" -le 80 ] && [ "$lines" -le 40 ] && head -n 1 "$WORK/s.txt" | grep -q '^VMX: ' &&
			grep -Eq '^FEATURE +cpu 0 +MEANING$' "$WORK/s.txt"; } || bad="$bad $id"
	done
	[ -z "$bad" ]
	ok $? "$L: the summary of a Core 2, a Skylake and a Sapphire Rapids fits 80 columns, answer first, headed table"
	# Two sets whose CPUs interleave on 4096 CPUs (lists of 9 KiB): each
	# set's line keeps its CPU count and its identity within 80 columns.
	# The machine file is written here from the first two sets of the
	# tree's machine file and those CPUs' cpuid files.
	local big=$WORK/big/sys/kernel/vmxcap set0 set1 id0 id1
	mkdir -p "$big"
	set0=$(awk '/^set /{ n++; if (n == 1) { split($3, c, /[,-]/); print c[1] } }' "$MTREE/machine")
	set1=$(awk '/^set /{ n++; if (n == 2) { split($3, c, /[,-]/); print c[1] } }' "$MTREE/machine")
	id0=$(cat "$TREE/cpu$set0/cpuid") id1=$(cat "$TREE/cpu$set1/cpuid")
	{
		printf 'format 1\ngeneration 1\ncpus 0-4095\nset 0 %s\n' "$(seq -s, 0 2 4095)"
		awk '/^set /{ n++; next } /^identity/{ exit } n == 1' "$MTREE/machine"
		printf 'set 1 %s\n' "$(seq -s, 1 2 4095)"
		awk '/^set /{ n++; next } /^identity/{ exit } n == 2' "$MTREE/machine"
		printf 'identity %s %s\n' "$(seq -s, 0 2 4095)" "$id0" "$(seq -s, 1 2 4095)" "$id1"
	} >"$big/machine"
	"$T" --sysfs-root "$WORK/big" >"$WORK/s.txt"
	width=$(max_width "$WORK/s.txt")
	want="set A: cpu 0,2,4,6,[0-9,]*,\.\.\. (2048 CPUs): $(echo "$id0" | sed -E 's/vendor=([^ ]*) family=0x([0-9a-f]*) model=0x([0-9a-f]*) stepping=0x([0-9a-f]*).*/\1 family 0x\2 model 0x\3 stepping 0x\4/')"
	diag "4096 CPUs in two interleaved sets: widest $width columns; $(grep '^set A' "$WORK/s.txt" | head -c 120)"
	[ "$width" -le 80 ] && tr '\n' ' ' <"$WORK/s.txt" | sed 's/  */ /g' | grep -q "$want" &&
		tr '\n' ' ' <"$WORK/s.txt" | sed 's/  */ /g' | grep -q 'set B: cpu 1,3,5,[0-9,]*,\.\.\. (2048 CPUs): '
	ok $? "$L: 4096 CPUs in two interleaved sets: each set's line keeps its CPU count and identity, 80 columns"
	COLUMNS=60 "$T" --input "$DUMPS" --entry $SPR >"$WORK/s.txt"
	[ "$(max_width "$WORK/s.txt")" -le 60 ] && grep -Eq '^IPI virtualization +\? ' "$WORK/s.txt"
	ok $? "$L: COLUMNS=60: 60 columns, the values whole"
	script -qc "COLUMNS=200 stty cols 200 2>/dev/null; $T --input $DUMPS --entry $K" /dev/null >"$WORK/s.txt"
	grep -q 'MEANING' "$WORK/s.txt"
	ok $? "$L: on a terminal it takes the terminal's width"

	# -- colour: the verdict and the missing features that matter, nothing else
	"$T" --input "$DUMPS" --entry $C2 --color=always >"$WORK/s.txt"
	grep -q $'^VMX: \e\\[1;32musable' "$WORK/s.txt" && grep -Eq $'^EPT +\e\\[1;31mno' "$WORK/s.txt" &&
		! grep -E $'^PML +\e' "$WORK/s.txt" >/dev/null
	ok $? "$L: --color=always: verdict green, missing EPT red, an ordinary no plain"
	"$T" --input "$DUMPS" --entry $C2 --long --color=always >"$WORK/l.txt"
	! grep -E $'\e\\[[0-9;]*31m(no|yes) ' "$WORK/l.txt" >/dev/null
	ok $? "$L: --long --color=always: no ordinary no or yes in red"
	for e in "NO_COLOR=1" "TERM=dumb"; do
		env $e script -qc "$T --input $DUMPS --entry $C2" /dev/null >"$WORK/s.txt"
		! grep -q $'\e\\[' "$WORK/s.txt"
		ok $? "$L: a terminal with $e: no colour"
	done
	script -qc "TERM=xterm $T --input $DUMPS --entry $C2" /dev/null | grep -q $'\e\\['
	ok $? "$L: a terminal otherwise: colour"

	# -- --long: headers, a group that does not exist is one line
	"$T" --input "$DUMPS" --entry $C2 --long >"$WORK/l.txt"
	grep -Eq '^ID +STATE +NAME$' "$WORK/l.txt" && tr -s '\n ' '  ' <"$WORK/l.txt" |
		grep -q ' Secondary processor-based VM-execution controls: IA32_VMX_PROCBASED_CTLS2 does not exist on this CPU: none Tertiary ' &&
		! grep -Eq '^ept +' "$WORK/l.txt"
	ok $? "$L: --long: headed tables; Core 2's absent secondary controls are one line"
	"$T" --input "$DUMPS" --entry $K --long --meaning >"$WORK/l.txt"
	grep -Eq '^ID +STATE +MEANING$' "$WORK/l.txt" && grep -Eq '^ept +yes +hardware-walked' "$WORK/l.txt" &&
		[ "$(max_width "$WORK/l.txt")" -le 80 ]
	ok $? "$L: --long --meaning: our words beside each control, 80 columns"
	# Only the TRUE MSRs (a KVM nested profile): the states are known.
	"$T" --input "$DUMPS" --entry cloud-hypervisor-profile:kvm-nested-sapphire-rapids --long >"$WORK/l.txt"
	grep -q '^Pin-based VM-execution controls (IA32_VMX_TRUE_PINBASED_CTLS =' "$WORK/l.txt" &&
		grep -Eq '^posted_interrupts +(yes|no) ' "$WORK/l.txt" &&
		"$T" --input "$DUMPS" --entry cloud-hypervisor-profile:kvm-nested-sapphire-rapids \
			--require posted_interrupts,exit.load_pat >/dev/null
	ok $? "$L: TRUE MSRs without the legacy ones: pin/primary/exit/entry states known, --require answers"

	# -- explain: every name it offers explains; three samples
	bad=0 c=0
	while read -r e; do
		c=$((c + 1))
		"$T" explain "$e" >/dev/null 2>"$WORK/e.txt" || { bad=$((bad + 1)); diag "explain $e: $(cat "$WORK/e.txt")"; }
	done < <("$T" --complete explain)
	[ $bad -eq 0 ] && [ $c -gt 400 ]
	ok $? "$L: explain takes every one of its $c names (keys, ids, Linux, QEMU, MSR names)"
	"$T" explain vmx-ept >"$WORK/x.txt"
	head -n 1 "$WORK/x.txt" | grep -q '^procbased2.ept: ' && grep -q '^  Without it: ' "$WORK/x.txt" &&
		grep -q '^  Defined in: SDM' "$WORK/x.txt" &&
		tr -s '\n ' '  ' <"$WORK/x.txt" | grep -q 'Linux vmx flags: ept; kvm_intel parameter: ept; QEMU: vmx-ept' &&
		grep -q 'IA32_VMX_PROCBASED_CTLS2 bit 33' "$WORK/x.txt"
	ok $? "$L: explain vmx-ept: the control, its bit, meaning, loss, SDM, Linux, kvm_intel and QEMU names"
	"$T" explain IA32_VMX_BASIC 0x48b forced disabled_by_firmware cr0.pe pe flexpriority >"$WORK/x.txt"
	[ "$(grep -c '^[a-z0-9_]*\.[a-z0-9_]*: ' "$WORK/x.txt")" -eq 7 ] &&
		grep -q '^msr.procbased_ctls2: ' "$WORK/x.txt" && grep -q '^flag.flexpriority: ' "$WORK/x.txt"
	ok $? "$L: explain takes MSR names and numbers, state and verdict words, CR bits, synthetic flags"

	# -- names people type
	"$T" --input "$DUMPS" --entry $K --require unrestricted-guest,EPT,vmx-posted-intr,Vmx_Ept,SHADOW_VMCS >"$WORK/o.txt"
	rc=$?
	[ $rc -eq 1 ] && grep -q 'lacks vmx-posted-intr;' "$WORK/o.txt"
	ok $? "$L: case, - and _, and QEMU's names: one answer (exit 1, the 6700K lacks posted interrupts)"
	for c in "--require unrestriced_guest|did you mean unrestricted_guest?" \
		"--require vmx-posted-int|did you mean vmx-posted-intr?" \
		"--colr|did you mean --color?" "--source=msrs|did you mean msr?" \
		"--style=vmxcp|did you mean vmxcap?" "explian ept|did you mean explain?" \
		"--entry vbox-cpudb:Intel_Core_i7_6700|did you mean vbox-cpudb:Intel_Core_i7_6700K?" \
		"explain shadow-vmcss|did you mean shadow_vmcs?"; do
		args=${c%%|*} want=${c#*|}
		# shellcheck disable=SC2086
		"$T" --input "$DUMPS" --entry $K $args >"$WORK/o.txt" 2>"$WORK/e.txt"
		rc=$?
		[ $rc -eq 2 ] && [ ! -s "$WORK/o.txt" ] && grep -qF "$want" "$WORK/e.txt"
		ok $? "$L: did you mean: $args -> $(cat "$WORK/e.txt")"
	done
	# QEMU's own tables (its source, by tests/data/reference/qemu-vmx-features.sh):
	# each name is listed at the group and bit QEMU puts it in.
	"$T" --list-features >"$WORK/lf.txt"
	bad=0 c=0
	for f in "$DATA"/reference/qemu-*-vmx-features.txt; do
		while read -r word bit name; do
			case $word in '#'*) continue ;; esac
			case $word in
			FEAT_VMX_PINBASED_CTLS) g=pinbased ;; FEAT_VMX_PROCBASED_CTLS) g=procbased ;;
			FEAT_VMX_SECONDARY_CTLS) g=procbased2 ;; FEAT_VMX_EXIT_CTLS) g=exit ;;
			FEAT_VMX_ENTRY_CTLS) g=entry ;; FEAT_VMX_MISC) g=misc ;;
			FEAT_VMX_EPT_VPID_CAPS) g=ept_vpid ;; FEAT_VMX_BASIC) g=basic ;;
			FEAT_VMX_VMFUNC) g=vmfunc ;; *) g=unknown ;;
			esac
			c=$((c + 1))
			if ! awk -v g="$g" -v b="$bit" -v q="$name" '$2 == g && $3 == b && $5 == q { f = 1 } END { exit !f }' "$WORK/lf.txt"; then
				# QEMU names two bits vmx-invept-single-context (EPT/VPID 25 and 41, a
				# typo of its own); the name stands for the first.
				if [ "$name $bit" = "vmx-invept-single-context 41" ] &&
					awk '$2 == "ept_vpid" && $3 == 25 && $5 == "vmx-invept-single-context" { f = 1 } END { exit !f }' "$WORK/lf.txt"; then
					continue
				fi
				bad=$((bad + 1))
				diag "${f##*/}: $word bit $bit $name: not listed there"
			fi
		done <"$f"
	done
	[ $bad -eq 0 ] && [ $c -ge 180 ]
	ok $? "$L: --list-features: QEMU 7.2's and 10.0's $c VMX names, each at QEMU's group and bit"
	if command -v qemu-system-x86_64 >/dev/null; then
		bad=0 c=0
		for name in $(qemu-system-x86_64 -cpu help 2>/dev/null | tr ' ' '\n' | grep '^vmx-' | sort -u); do
			c=$((c + 1))
			"$T" --input "$DUMPS" --entry $K --require "$name" >/dev/null 2>"$WORK/e.txt"
			[ $? -eq 2 ] && { bad=$((bad + 1)); diag "$name: $(cat "$WORK/e.txt")"; }
		done
		[ $bad -eq 0 ] && [ $c -gt 50 ]
		ok $? "$L: every vmx- name of the installed QEMU (qemu-system-x86_64 -cpu help, $c) is a feature"
	else
		echo "ok $((n += 1)) - $L: QEMU binary's names # SKIP qemu-system-x86_64 not installed"
		passed=$((passed + 1))
	fi

	# -- issue 9, section 5: each failed with the previous build (two --input,
	# once refused rather than the first ignored, are two hosts: cases-hosts.sh)
	jq '.[] | select(.id == "vbox-cpudb:Intel_Atom_330_1_60GHz")' "$DUMPS" >"$WORK/atom.json"
	jq '.vmx = false' "$WORK/atom.json" >"$WORK/atom-novmx.json"
	"$T" --input "$WORK/atom-novmx.json" >"$WORK/o.txt"
	rc=$?
	[ $rc -eq 1 ] && grep -q '^VMX: not in CPUID (cpu 0)' "$WORK/o.txt" && ! grep -q 'firmware setup' "$WORK/o.txt"
	ok $? "$L: a CPU without VMX in CPUID (Atom 330) is not told to enable VT-x in the firmware"
	"$T" --input "$WORK/atom.json" --require ept >"$WORK/o.txt" 2>&1
	rc=$?
	[ $rc -eq 1 ] && grep -q 'whether this CPU has VMX at all is unknown' "$WORK/o.txt"
	ok $? "$L: VMX locked off in a partial dump: --require exits 1, and VMX itself is unknown: $(cut -c1-120 "$WORK/o.txt")"
	jq '.hypervisor = true | .msrs["0x3a"] = "0x0000000000000001"' \
		<(jq '.[] | select(.id == "vbox-cpudb:Intel_Core_i7_6700K")' "$DUMPS") >"$WORK/vm-off.json"
	"$T" --input "$WORK/vm-off.json" | tr -s '\n ' '  ' >"$WORK/o.txt"
	grep -q 'the host.s hypervisor set it so: enable nested virtualization for this VM in the host' "$WORK/o.txt" &&
		! grep -q 'firmware setup' "$WORK/o.txt"
	ok $? "$L: inside a VM, VMX locked off is the host's configuration, not the firmware setup"
	"$T" --input "$WORK/vm-off.json" --flags >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ ! -s "$WORK/o.txt" ] && grep -q 'no line: the kernel clears vmx at boot' "$WORK/e.txt" &&
		"$T" --input "$WORK/vm-off.json" --long | grep -q '^vmx flags (as Linux shows them): (no line: '
	ok $? "$L: --flags and --long print no vmx flags line on a firmware-disabled CPU, as Linux"
	"$T" --input "$DUMPS" --entry $K --kernel 5.4 --flags >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ ! -s "$WORK/o.txt" ] && grep -q 'Linux 5.4 has none; it appeared in 5.8' "$WORK/e.txt" &&
		"$T" --input "$DUMPS" --entry $K --kernel 5.8 --flags | grep -q '^cpu0 vmx flags'
	ok $? "$L: --kernel 5.4 prints no line (5.8 added it), --kernel 5.8 does"
	jq '.msrs |= del(.["0x48b"]) | .faulted = ["0x48b"]' "$WORK/vm-off.json" |
		jq '.msrs["0x3a"] = "0x0000000000000005" | .hypervisor = false' >"$WORK/faulted.json"
	"$T" --input "$WORK/faulted.json" --require ept >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ $? -eq 2 ] && grep -q 'reading IA32_VMX_PROCBASED_CTLS2 faulted' "$WORK/e.txt"
	ok $? "$L: a faulted read is reported as faulted: $(cat "$WORK/e.txt")"
	"$T" --input "$DUMPS" --entry $K --entry $K --flags >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ $? -eq 0 ] && [ "$(wc -l <"$WORK/o.txt")" -eq 1 ]
	ok $? "$L: --entry X --entry X takes X: $(cat "$WORK/e.txt" "$WORK/o.txt" | head -c 60)"
	"$T" --sysroot "$WORK/roots/amd" --json >"$WORK/o.txt" 2>"$WORK/e.txt"
	jq_true '.schema == "vmxcap-show" and (.cpus | length) == 2' "$WORK/o.txt"
	ok $? "$L: --json without the module: JSON from the next source, not prose"
	"$T" --sysroot "$WORK/roots/amd" --source sysfs --json >"$WORK/o.txt" 2>"$WORK/e.txt"
	rc=$?
	[ $rc -eq 2 ] && [ ! -s "$WORK/o.txt" ] && [ "$(wc -l <"$WORK/e.txt")" -eq 1 ]
	ok $? "$L: --json --source sysfs without the module: exit $rc, nothing on stdout, one line on stderr"
	"$T" --input "$WORK/lakefield.json" --diff --json >"$WORK/o.txt"
	[ "$(wc -l <"$WORK/o.txt")" -eq 1 ] &&
		jq_true '.schema == "vmxcap-diff" and .schema_version == 1 and .identical == false and
			(.groups | map(.name)) == ["A", "B"] and
			(.items | map(.item)) == ["raw.procbased_ctls2", "procbased2.bus_lock_detection"] and
			(.items[1].values == ["yes", "no"])' "$WORK/o.txt"
	ok $? "$L: --diff --json: one line when piped, versioned, groups and items by name"
	"$T" --input "$DUMPS" --diff | sed -n 's/^group \([A-Z]*\): .*/\1/p' >"$WORK/o.txt"
	[ "$(wc -l <"$WORK/o.txt")" -gt 26 ] && [ "$(sort "$WORK/o.txt" | uniq -d | wc -l)" -eq 0 ] &&
		grep -qx AA "$WORK/o.txt"
	ok $? "$L: --diff over the $(wc -l <"$WORK/o.txt") groups of the fixtures: no two named alike (Z, then AA)"
}
