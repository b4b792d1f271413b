# SPDX-License-Identifier: GPL-2.0
#
# --prometheus without the engines (tests/fleet/test-prometheus.sh runs
# them): the exposition format as tests/cli/prom-lint.awk reads it, the
# counts against the raw fixture values (bash arithmetic on 0x3a, 0x482,
# 0x48b) and against jq over --json (the decode's control states, its
# vmx_flags line, its groups' fingerprints), the whole vocabulary with its
# 0s (the names --list-features lists), unknown left out, the readiness
# verdicts as --require gives them, several hosts (each family once, each
# host's series as its own file alone gives them, a host label escaped as
# the format wants), --output, errors.
# Sourced by run-cli.sh: prometheus_cases BINARY LABEL.

# prom_series FILE: its samples as "name{sorted labels} value" lines, sorted.
prom_series() {
	awk -v mode=series -f "$TOP/tests/cli/prom-lint.awk" "$1" | sort
}

# prom_get FILE SERIES: the value of one series as written, or nothing.
prom_get() {
	awk -v s="$2" 'substr($0, 1, length(s) + 1) == s " " { print substr($0, length(s) + 2) }' "$1"
}

# CPUs of each status from the raw 0x3a values of the entries of a
# fixture-list dump (SDM: bit 0 lock, bit 1 VMX inside SMX, bit 2 outside).
prom_status_expected() {
	local v s
	declare -A count=([no_vmx]=0 [usable]=0 [disabled_by_firmware]=0 [smx_only]=0 [unlocked]=0 [unknown]=0)
	while read -r v; do
		if [ "$v" = null ]; then s=unknown
		elif (((v & 1) == 0)); then s=unlocked
		elif ((v & 4)); then s=usable
		elif ((v & 2)); then s=smx_only
		else s=disabled_by_firmware
		fi
		count[$s]=$((count[$s] + 1))
	done < <(jq -r '.[] | .msrs["0x3a"]' "$1")
	for s in no_vmx usable disabled_by_firmware smx_only unlocked unknown; do
		echo "vmxcap_status_cpus{status=\"$s\"} ${count[$s]}"
	done
}

# The control counts jq reads from --json on standard input: per control,
# the CPUs whose group's state allows 1 (yes, forced, default); none for a
# control some CPU's state is unknown.
prom_controls_from_json() {
	jq -r '. as $d | [.cpus[] | $d.groups[.group].decode.controls | to_entries[] |
		.key as $g | .value.controls | to_entries[] | { k: "\($g)\t\(.key)", s: .value }] |
		group_by(.k) | .[] | select(all(.s != "unknown")) |
		"\(.[0].k)\t\([.[] | select(.s == "yes" or .s == "forced" or .s == "default")] | length)"' |
		awk -F'\t' '{ printf "vmxcap_control_cpus{control=\"%s\",group=\"%s\"} %s\n", $2, $1, $3 }' | sort
}

prometheus_cases() {
	local T=$1 L=$2 P=$WORK/prom id bad nfix rc f h g exp got a b
	local bochs=() skx=bochs:corei7_skylake_x

	rm -rf "$P" && mkdir -p "$P"
	# -- every fixture entry alone: the format, integer values, cardinality
	bad=0 nfix=0
	while read -r id; do
		nfix=$((nfix + 1))
		"$T" --input "$DUMPS" --entry "$id" --prometheus >"$P/one.prom" 2>"$P/e.txt"
		rc=$?
		if [ $rc -ne 0 ] || ! awk -f "$TOP/tests/cli/prom-lint.awk" "$P/one.prom" >"$P/lint.txt" ||
			[ "$(tail -c 1 "$P/one.prom" | od -An -c | tr -d ' ')" != '\n' ] ||
			[ "$(grep -vc '^#' "$P/one.prom")" -gt 300 ] || [ -s "$P/e.txt" ]; then
			bad=$((bad + 1))
			echo "# $id: exit $rc: $(head -n 2 "$P/lint.txt" "$P/e.txt" | tr '\n' ' ')"
		fi
	done < <(jq -r '.[].id' "$DUMPS")
	[ "$nfix" -eq "$(jq length "$DUMPS")" ] && [ $bad -eq 0 ]
	ok $? "$L: --prometheus of each of the $nfix fixture entries: exit 0, the format (HELP and TYPE once per family before its samples, escaped labels, no timestamp, integer values < 2^53, no series twice, final newline), at most 300 series ($bad wrong)"

	# -- one host of every bochs entry (complete dumps), and of every entry
	while read -r id; do bochs+=(--entry "$id"); done < <(jq -r '.[].id | select(startswith("bochs:"))' "$DUMPS")
	"$T" --input "$DUMPS" "${bochs[@]}" --prometheus >"$P/bochs.prom" &&
		"$T" --input "$DUMPS" "${bochs[@]}" --json >"$P/bochs.json" &&
		"$T" --input "$DUMPS" --prometheus >"$P/all.prom" &&
		"$T" --input "$DUMPS" --json >"$P/all.json"
	ok $? "$L: --prometheus and --json of the $((${#bochs[@]} / 2)) bochs entries as one host, and of all $(jq length "$DUMPS") entries"
	jq '[.[] | select(.id | startswith("bochs:"))]' "$DUMPS" >"$P/bochs-list.json"
	for h in bochs all; do
		f=$P/$h-list.json
		[ $h = all ] && f=$DUMPS
		exp=$(prom_status_expected "$f")
		got=$(grep '^vmxcap_status_cpus' "$P/$h.prom")
		[ "$got" = "$exp" ] && [ "$(prom_get "$P/$h.prom" vmxcap_cpus)" = "$(jq length "$f")" ]
		ok $? "$L: $h: vmxcap_cpus and every verdict's CPUs (0 included) as the raw 0x3a values say: $(echo "$got" | sed 's/vmxcap_status_cpus{status="\([a-z_]*\)"}/\1/' | paste -sd ' ')"
	done
	# Raw bits: MTF (0x482 bit 59, the allowed-1 of primary control 27),
	# EPT (0x482 bit 63 activates the secondary controls, 0x48b bit 33).
	a=0 b=0
	while IFS=$'\t' read -r v482 v48b; do
		(((v482 >> 59) & 1)) && a=$((a + 1))
		(((v482 >> 63) & 1 && (v48b >> 33) & 1)) && b=$((b + 1))
	done < <(jq -r '.[] | [.msrs["0x482"], .msrs["0x48b"]] | @tsv' "$P/bochs-list.json")
	[ "$(prom_get "$P/bochs.prom" 'vmxcap_feature_cpus{feature="mtf"}')" = $a ] &&
		[ "$(prom_get "$P/bochs.prom" 'vmxcap_control_cpus{group="procbased",control="monitor_trap_flag"}')" = $a ] &&
		[ "$(prom_get "$P/bochs.prom" 'vmxcap_feature_cpus{feature="ept"}')" = $b ]
	ok $? "$L: bochs: CPUs offering mtf ($a) and ept ($b) as their raw 0x482 and 0x48b bits say"

	# -- the counts against --json's decode
	for h in bochs all; do
		prom_controls_from_json <"$P/$h.json" >"$P/exp-ctl.txt"
		grep '^vmxcap_control_cpus' "$P/$h.prom" | awk -v mode=series -f "$TOP/tests/cli/prom-lint.awk" |
			sort >"$P/got-ctl.txt"
		cmp -s "$P/exp-ctl.txt" "$P/got-ctl.txt"
		ok $? "$L: $h: vmxcap_control_cpus = the CPUs jq counts in --json whose state allows 1, none where one is unknown ($(wc -l <"$P/got-ctl.txt") series)"
	done
	# Linux's names: a control's name counts as the control, the others
	# (apicv, flexpriority, invvpid, ept_*) as --json's vmx_flags line says.
	"$T" --list-features | awk 'NR > 1 && $4 != "-" && $2 != "vmx_flags" && $2 != "ept_vpid" { print $4, $2, $1 }' \
		>"$P/ctl-names.txt"
	"$T" --list-features | awk 'NR > 1 && $4 != "-" { print $4 }' | sort -u >"$P/flag-names.txt"
	bad=0
	while read -r f; do
		g=$(awk -v f="$f" '$1 == f { print $2 "\t" $3 }' "$P/ctl-names.txt")
		if [ -n "$g" ]; then
			exp=$(awk -F'\t' -v g="${g%%	*}" -v c="${g#*	}" '$1 == g && $2 == c { print $3 }' \
				<(jq -r '. as $d | [.cpus[] | $d.groups[.group].decode.controls | to_entries[] |
				.key as $g | .value.controls | to_entries[] | "\($g)\t\(.key)\t\(.value)"] | .[]' \
				"$P/bochs.json") | grep -cxE 'yes|forced|default')
		else
			exp=$(jq --arg f "$f" '. as $d | [.cpus[] | $d.groups[.group].decode.vmx_flags |
				split(" ") | select(index($f))] | length' "$P/bochs.json")
		fi
		got=$(prom_get "$P/bochs.prom" "vmxcap_feature_cpus{feature=\"$f\"}")
		[ "$got" = "$exp" ] || { bad=$((bad + 1)); echo "# $f: $got, expected $exp"; }
	done <"$P/flag-names.txt"
	[ "$(wc -l <"$P/flag-names.txt")" -ge 25 ] && [ $bad -eq 0 ]
	ok $? "$L: bochs: vmxcap_feature_cpus of each of the $(wc -l <"$P/flag-names.txt") Linux names as jq counts it in --json ($bad wrong)"

	# -- the whole vocabulary, 0s included, on a complete dump
	"$T" --input "$DUMPS" --entry $skx --prometheus >"$P/skx.prom"
	got=$(sed -n 's/^vmxcap_feature_cpus{feature="\([a-z0-9_]*\)"} [0-9]*$/\1/p' "$P/skx.prom" | sort)
	exp=$(cat "$P/flag-names.txt")
	a=$(grep -c '^vmxcap_feature_cpus{.*} 0$' "$P/skx.prom")
	[ "$got" = "$exp" ] && [ "$a" -gt 0 ]
	ok $? "$L: Skylake-X: a vmxcap_feature_cpus series for each Linux name --list-features lists, $a of them 0"
	got=$(sed -n 's/^vmxcap_control_cpus{group="\([a-z0-9]*\)",control="\([a-z0-9_]*\)"} [0-9]*$/\1.\2/p' "$P/skx.prom" | sort)
	exp=$("$T" --list-features | awk 'NR > 1 && $2 ~ /^(pinbased|procbased[23]?|exit2?|entry|vmfunc)$/ { print $2 "." $1 }' | sort)
	b=$(grep -c '^vmxcap_control_cpus{.*} 0$' "$P/skx.prom")
	[ "$got" = "$exp" ] && [ "$b" -gt 0 ] && [ "$(echo "$got" | wc -l)" -ge 100 ]
	ok $? "$L: Skylake-X: a vmxcap_control_cpus series for each of the $(echo "$exp" | wc -l) controls --list-features lists, $b of them 0 (procbased3 and exit2 do not exist there: known 0)"
	# unknown is absent: IA32_VMX_VMFUNC not recorded leaves the VM-function
	# controls unknown, nothing else
	jq '.[] | select(.id == "bochs:corei7_skylake_x") | del(.msrs["0x491"])' "$DUMPS" >"$P/novmfunc.json"
	"$T" --input "$P/novmfunc.json" --prometheus >"$P/novmfunc.prom"
	a=$(diff <(prom_series "$P/skx.prom" | grep -v fingerprint=) \
		<(prom_series "$P/novmfunc.prom" | grep -v fingerprint=) | grep '^[<>]')
	[ "$a" = '< vmxcap_control_cpus{control="eptp_switching",group="vmfunc"} 1
< vmxcap_feature_cpus{feature="eptp_switching"} 1' ] &&
		[ "$(grep -c '^vmxcap_capabilities_info{' "$P/novmfunc.prom")" -eq 1 ]
	ok $? "$L: 0x491 not recorded: eptp_switching (control and flag) left out, not 0; everything else as before but the fingerprint"

	# -- capability sets: fingerprints of --json's groups, 0x3a not one of them
	for h in bochs all; do
		exp=$(jq -r '. as $d | [.cpus[] | $d.groups[.group].fingerprint] | group_by(.) | .[] |
			"vmxcap_capability_set_cpus{fingerprint=\"\(.[0])\"} \(length)"' "$P/$h.json" | sort)
		got=$(grep '^vmxcap_capability_set_cpus' "$P/$h.prom" | sort)
		[ "$got" = "$exp" ] && [ "$(prom_get "$P/$h.prom" vmxcap_capability_sets)" = "$(echo "$exp" | wc -l)" ] &&
			[ "$(grep -c '^vmxcap_capabilities_info{' "$P/$h.prom")" = "$(echo "$exp" | wc -l)" ]
		ok $? "$L: $h: $(echo "$exp" | wc -l) capability sets, one per fingerprint of --json's groups, with their CPUs"
	done
	jq '{ format: "vmxcap-dump", version: 2, sets: [ (.[] | select(.id == "bochs:corei7_skylake_x") |
		({ cpus: "0-2", msrs }, { cpus: "3", msrs: (.msrs + { "0x3a": "0x0000000000000001" }) })) ] }' \
		"$DUMPS" >"$P/locked.json"
	"$T" --input "$P/locked.json" --prometheus >"$P/locked.prom"
	[ "$(prom_get "$P/locked.prom" vmxcap_capability_sets)" = 1 ] &&
		[ "$(prom_get "$P/locked.prom" 'vmxcap_capabilities_info{fingerprint="66c25ee111bdea0d",cpus="0-3"}')" = 1 ] &&
		[ "$(prom_get "$P/locked.prom" 'vmxcap_status_cpus{status="disabled_by_firmware"}')" = 1 ] &&
		[ "$(prom_get "$P/locked.prom" 'vmxcap_status_cpus{status="usable"}')" = 3 ] &&
		[ "$(prom_get "$P/locked.prom" 'vmxcap_control_cpus{group="procbased2",control="ept"}')" = 4 ]
	ok $? "$L: cpu3 locked off (0x3a = 0x1): one capability set 0-3, 1 CPU disabled_by_firmware, 3 usable, EPT offered on 4 (capabilities, not usability)"

	# -- cardinality: 8192 CPUs of two kinds write as many series as 2 CPUs
	jq '{ format: "vmxcap-dump", version: 2, sets: [ (.[] | select(.id == "bochs:corei7_skylake_x") |
		{ cpus: "0-1023", msrs }), (.[] | select(.id == "bochs:tigerlake") | { cpus: "1024-8191", msrs }) ] }' \
		"$DUMPS" >"$P/big.json"
	"$T" --input "$P/big.json" --prometheus >"$P/big.prom"
	"$T" --input "$DUMPS" --entry $skx --entry bochs:tigerlake --prometheus >"$P/two.prom"
	a=$(grep -vc '^#' "$P/big.prom")
	[ "$a" -eq "$(grep -vc '^#' "$P/two.prom")" ] && [ "$(prom_get "$P/big.prom" vmxcap_cpus)" = 8192 ] &&
		[ "$(prom_get "$P/big.prom" 'vmxcap_capabilities_info{fingerprint="66c25ee111bdea0d",cpus="0-1023"}')" = 1 ] &&
		[ "$(prom_get "$P/big.prom" 'vmxcap_control_cpus{group="procbased",control="monitor_trap_flag"}')" = 7168 ]
	ok $? "$L: 8192 CPUs (1024 Skylake-X, 7168 Tiger Lake): $a series, as many as for one CPU of each; mtf on the 7168"

	# -- problems: a must-be-1 bit not allowed-1 (SDM A.3.1) is one
	jq '.[] | select(.id == "bochs:corei7_skylake_x") | .msrs["0x481"] = "0x0000007f00000096"' \
		"$DUMPS" >"$P/bad481.json"
	"$T" --input "$P/bad481.json" --prometheus >"$P/bad481.prom"
	a=$("$T" --input "$P/bad481.json" --json | jq '[.groups[].decode.problems[]] | length')
	[ "$(prom_get "$P/bad481.prom" vmxcap_problems)" = 1 ] && [ "$a" = 1 ] &&
		[ "$(prom_get "$P/skx.prom" vmxcap_problems)" = 0 ]
	ok $? "$L: vmxcap_problems: 1 for pin-based bit 7 must be 1 but not allowed (--json: $a), 0 for the fixture as it is"

	# -- readiness: each profile's verdict as --require PROFILE answers it
	bad=0
	for id in $skx bochs:core_duo_t2400_yonah instlatx64:GenuineIntel00806F8_SapphireRapids_06_CPUID; do
		"$T" --input "$DUMPS" --entry "$id" --prometheus >"$P/hv.prom"
		for h in kvm xen bhyve virtualbox; do
			"$T" --input "$DUMPS" --entry "$id" --require "$h" >/dev/null 2>&1
			rc=$?
			exp=$([ $rc -eq 0 ] && echo 1; [ $rc -eq 1 ] && echo 0)
			got=$(prom_get "$P/hv.prom" "vmxcap_hypervisor_ready{hypervisor=\"$h\"}")
			a=$("$T" --input "$DUMPS" --entry "$id" --require "$h" --json 2>/dev/null |
				jq -r '"version=\"\(.version)\",verdict=\"\(.verdict)\""')
			b=$(grep -c "^vmxcap_hypervisor_info{hypervisor=\"$h\",$a} 1$" "$P/hv.prom")
			if [ "$got" != "$exp" ] || [ "$b" != 1 ]; then
				bad=$((bad + 1))
				echo "# $id $h: $got/$b, --require exit $rc, $a"
			fi
		done
	done
	[ $bad -eq 0 ]
	ok $? "$L: vmxcap_hypervisor_ready 1/0/absent and vmxcap_hypervisor_info's version and verdict as --require PROFILE (--json) answers, 4 profiles on 3 fixtures ($bad wrong)"

	# -- Linux's view (cpuinfo source): the line's names, nothing guessed
	linux_root "$P/root" \
		"vnmi preemption_timer invvpid ept_x_only ept_ad flexpriority tsc_offset vtpr mtf vapic ept vpid unrestricted_guest"
	"$T" --sysroot "$P/root" --source cpuinfo --prometheus >"$P/linux.prom"
	[ "$(prom_get "$P/linux.prom" 'vmxcap_feature_cpus{feature="ept"}')" = 2 ] &&
		[ "$(prom_get "$P/linux.prom" 'vmxcap_feature_cpus{feature="pml"}')" = 0 ] &&
		[ "$(prom_get "$P/linux.prom" 'vmxcap_control_cpus{group="procbased2",control="ept"}')" = 2 ] &&
		[ -z "$(prom_get "$P/linux.prom" 'vmxcap_control_cpus{group="procbased",control="hlt_exiting"}')" ] &&
		[ "$(prom_get "$P/linux.prom" 'vmxcap_status_cpus{status="usable"}')" = 2 ] &&
		grep -q '^vmxcap_info{.*source="cpuinfo"} 1$' "$P/linux.prom" && awk -f "$TOP/tests/cli/prom-lint.awk" "$P/linux.prom"
	ok $? "$L: cpuinfo source: ept 2 (in the line), pml 0 (6.1 names it, the line lacks it), hlt_exiting absent (no Linux name: unknown), 2 usable"

	# -- several hosts: each family once, each host's series as alone, label escaped
	mkdir -p "$P/hosts"
	cp "$P/locked.json" "$P/hosts/a.json"
	"$T" --input "$DUMPS" --entry bochs:tigerlake --dump >"$P/hosts/b\"\\x.json"
	"$T" --input "$P/hosts" --prometheus >"$P/hosts.prom"
	rc=$?
	bad=0
	for h in a 'b"\x'; do
		"$T" --input "$P/hosts/$h.json" --prometheus >"$P/alone.prom"
		esc=$(printf '%s' "$h" | sed 's/\\/\\\\/g; s/"/\\"/g')
		exp=$(H=$esc awk '/^#/ { next } { h = ENVIRON["H"]; i = index($0, "{"); j = index($0, " ")
			if (i && i < j) print substr($0, 1, i) "host=\"" h "\"," substr($0, i + 1)
			else print substr($0, 1, j - 1) "{host=\"" h "\"}" substr($0, j) }' "$P/alone.prom" |
			awk -v mode=series -f "$TOP/tests/cli/prom-lint.awk" | sort)
		got=$(prom_series "$P/hosts.prom" | grep -F "host=\"$esc\"")
		{ [ -n "$got" ] && [ "$got" = "$exp" ]; } || bad=$((bad + 1))
	done
	[ $rc -eq 0 ] && [ $bad -eq 0 ] && awk -f "$TOP/tests/cli/prom-lint.awk" "$P/hosts.prom" &&
		[ "$(grep -c '^# TYPE' "$P/hosts.prom")" = "$(grep -c '^# TYPE' "$P/skx.prom")" ] &&
		[ "$(prom_series "$P/hosts.prom" | wc -l)" = $(($(grep -vc '^#' "$P/locked.prom") + $(grep -vc '^#' "$P/alone.prom"))) ]
	ok $? "$L: --input DIR of two hosts: each family once, each host's series its file's alone with host=\"...\" first (a name with \" and \\ escaped), nothing else"
	"$T" --input "$P/hosts/a.json" --input "$P/hosts/a.json" --prometheus >/dev/null 2>&1
	[ $? -eq 2 ]
	ok $? "$L: --prometheus of the same file twice: an error (exit 2), as for the other outputs of several hosts"

	# -- --output: the textfile collector's file
	mkdir -p "$P/textfile"
	(umask 077 && "$T" --input "$DUMPS" --entry $skx --prometheus --output "$P/textfile/vmxcap.prom")
	rc=$?
	cmp -s "$P/skx.prom" "$P/textfile/vmxcap.prom" && [ $rc -eq 0 ] &&
		[ "$(stat -c %a "$P/textfile/vmxcap.prom")" = 644 ] && [ "$(ls -A "$P/textfile")" = vmxcap.prom ]
	ok $? "$L: --prometheus --output DIR/vmxcap.prom under umask 077: standard output's bytes, 0644, no dot file left"
	"$T" --input "$DUMPS" --entry $skx --prometheus --hypervisor-version 9.9 \
		--output "$P/textfile/vmxcap.prom" >"$P/o.txt" 2>"$P/e.txt"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$P/e.txt")" -eq 1 ] && grep -q 'hypervisor-version' "$P/e.txt" &&
		cmp -s "$P/skx.prom" "$P/textfile/vmxcap.prom" && [ "$(ls -A "$P/textfile")" = vmxcap.prom ] &&
		! grep -Eq 'AddressSanitizer|runtime error' "$P/e.txt"
	ok $? "$L: a failing --prometheus (exit $rc: $(head -c 80 "$P/e.txt")): one line, the previous file kept, no dot file"
	"$T" --input "$DUMPS" --entry $skx --prometheus --hypervisor-version 9.9 >"$P/o.txt" 2>/dev/null
	[ ! -s "$P/o.txt" ]
	ok $? "$L: a failing --prometheus prints nothing on standard output"
	"$T" --input "$DUMPS" --entry $skx --prometheus --json >/dev/null 2>"$P/e.txt"
	[ $? -eq 2 ] && grep -q -- '--prometheus' "$P/e.txt"
	ok $? "$L: --prometheus with another output: a usage error naming it"
}
