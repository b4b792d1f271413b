# SPDX-License-Identifier: GPL-2.0
#
# --facts (the compact summary Ansible and Facter read) and --nfd (NFD's
# feature file).  What they must say comes from elsewhere: each verdict from
# the fixture's IA32_FEATURE_CONTROL by the SDM's bits (bash arithmetic),
# each fingerprint from sha256sum over the documented text (fp_expected,
# cases-fingerprint.sh), the features from Linux's reference vmx flags line
# for the same values (tests/data/reference/linux-vmx-flags) plus EPTP
# switching by the SDM's bits (Linux reads IA32_VMX_VMFUNC's wrong half),
# the hypervisor verdicts from --require PROFILE --json, the label rules
# from nfd-master's validation (Kubernetes' IsQualifiedName and
# IsValidLabelValue, its denied namespaces) written again here as awk
# regular expressions: no NFD binary can be installed on this machine.
# Sourced by run-cli.sh: facts_cases BINARY LABEL.

# facts_verdict ID: the SDM's verdict of the fixture's IA32_FEATURE_CONTROL
# (bit 0 lock, bit 1 VMX inside SMX, bit 2 outside), "unknown" without it.
facts_verdict() {
	local v
	v=$(msr_of_entry "$1" 0x3a)
	if [ -z "$v" ]; then echo unknown
	elif (( !(v & 1) )); then echo unlocked
	elif (( v & 4 )); then echo usable
	elif (( v & 2 )); then echo smx_only
	else echo disabled_by_firmware
	fi
}

# facts_features ID: the features a usable CPU with the fixture's values
# offers, one a line, sorted: the names of Linux's reference line, and
# eptp_switching where IA32_VMX_VMFUNC bit 0 is 1 and the MSR exists (SDM
# A.11: secondary controls and "enable VM functions" may be 1).
facts_features() {
	local ref p p2 vf
	ref=$DATA/reference/linux-vmx-flags/$(refname "$1").txt
	p=$(msr_of_entry "$1" 0x482) p2=$(msr_of_entry "$1" 0x48b) vf=$(msr_of_entry "$1" 0x491)
	{
		grep '^cpu0 vmx flags' "$ref" | sed 's/^[^:]*: //' | tr ' ' '\n'
		[ -n "$p" ] && [ -n "$p2" ] && [ -n "$vf" ] && (( (p >> 63) & 1 && (p2 >> 45) & 1 && vf & 1 )) &&
			echo eptp_switching
	} | sed '/^$/d' | sort
}

# facts_complete ID: whether the fixture records every MSR Linux's line
# reads that exists by the SDM's rules (appendix A: IA32_VMX_PROCBASED_CTLS2
# when primary bit 31 may be 1; EPT_VPID_CAP when EPT or VPID may be 1;
# VMFUNC when "enable VM functions" may be 1; PROCBASED_CTLS3 when primary
# bit 17 may be 1).
facts_complete() {
	local p p2
	p=$(msr_of_entry "$1" 0x482) p2=$(msr_of_entry "$1" 0x48b)
	[ -n "$(msr_of_entry "$1" 0x481)" ] && [ -n "$p" ] || return 1
	(( (p >> 63) & 1 )) && [ -z "$p2" ] && return 1
	(( (p >> 49) & 1 )) && [ -z "$(msr_of_entry "$1" 0x492)" ] && return 1
	[ -z "$p2" ] && return 0
	(( (p2 >> 33) & 1 || (p2 >> 37) & 1 )) && [ -z "$(msr_of_entry "$1" 0x48c)" ] && return 1
	(( (p2 >> 45) & 1 )) && [ -z "$(msr_of_entry "$1" 0x491)" ] && return 1
	return 0
}

# nfd_lint FILE: every line of an NFD feature file as nfd-worker's local
# source reads it (source/local/local.go) and nfd-master admits it
# (pkg/apis/nfd/validate): at most 64 KiB; "#" lines are comments, "# +"
# ones directives, "# +expiry-time=" with an RFC 3339 time; a label is
# PREFIX/NAME=VALUE with a prefix (required) that is a DNS subdomain of at
# most 253 characters and not kubernetes.io or under it (but
# feature.node.kubernetes.io, profile.node.kubernetes.io and under them),
# a name of 1-63 characters [A-Za-z0-9] at both ends and [-A-Za-z0-9_.]
# inside, a value of at most 63 such characters or none; no key twice; an
# expiry before the first label.  The first broken line on stderr.
nfd_lint() {
	[ "$(wc -c <"$1")" -le 65536 ] || { echo "over 64 KiB" >&2; return 1; }
	awk '
		function bad(why) { print "line " NR ": " why ": " $0 > "/dev/stderr"; err = 1; exit 1 }
		/^[ \t]*$/ { next }
		/^# \+/ {
			if ($0 ~ /^# \+(no-label|no-feature)$/) next
			if ($0 !~ /^# \+expiry-time=/) bad("unknown directive")
			t = substr($0, 16)
			if (t !~ /^[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\.[0-9]+)?(Z|[+-][0-2][0-9]:[0-5][0-9])$/)
				bad("expiry not RFC 3339")
			expiry = 1; next
		}
		/^#/ { next }
		{
			if (!expiry) bad("a label before any +expiry-time")
			eq = index($0, "="); key = eq ? substr($0, 1, eq - 1) : $0; val = eq ? substr($0, eq + 1) : "true"
			sl = index(key, "/")
			if (!sl) bad("no prefix")
			pre = substr(key, 1, sl - 1); name = substr(key, sl + 1)
			if (length(pre) > 253 || pre !~ /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/)
				bad("prefix not a DNS subdomain")
			if ((pre == "kubernetes.io" || pre ~ /\.kubernetes\.io$/) &&
			    pre != "feature.node.kubernetes.io" && pre != "profile.node.kubernetes.io" &&
			    pre !~ /\.feature\.node\.kubernetes\.io$/ && pre !~ /\.profile\.node\.kubernetes\.io$/)
				bad("denied namespace")
			if (length(name) > 63 || name !~ /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/)
				bad("name not a qualified name")
			if (length(val) > 63 || val !~ /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/)
				bad("value not a label value")
			if (key in seen) bad("key twice")
			seen[key] = 1
		}
	' "$1"
}

# nfd_features FILE: the names of its "=true" labels but identical, sorted.
nfd_features() {
	sed -n "s|^[^/]*/\([^=]*\)=true\$|\1|p" "$1" | grep -vx identical | sort
}

# nfd_expiry FILE: the expiry's seconds since the epoch.
nfd_expiry() {
	date -d "$(sed -n 's/^# +expiry-time=//p' "$1")" +%s
}

facts_cases() {
	local T=$1 L=$2 F=$WORK/facts id msrs rc bad nfix size max=0 want got p k a b
	local P=vmxcap.feature.node.kubernetes.io
	local SKX=bochs:corei7_skylake_x HSW=bochs:corei7_haswell_4770
	rm -rf "$F" && mkdir -p "$F"

	# -- the label checker rejects what nfd-master rejects (else it proves nothing)
	bad=0
	for k in "$P/cpus=0-3,8" "foo=bar" "k8s.kubernetes.io/x=1" "node.kubernetes.io/x=1" \
		"$P/$(printf 'a%.0s' {1..64})=1" "$P/x=$(printf 'a%.0s' {1..64})" "$P/-x=1" \
		"Vmxcap.example.com/x=1" "$P/x=a b"; do
		printf '# +expiry-time=2030-01-01T00:00:00Z\n%s\n' "$k" >"$F/bad.nfd"
		nfd_lint "$F/bad.nfd" 2>/dev/null && { bad=$((bad + 1)); diag "lint took $k"; }
	done
	printf '# +expiry-time=tomorrow\n%s/x=1\n' "$P" >"$F/bad.nfd"
	nfd_lint "$F/bad.nfd" 2>/dev/null && { bad=$((bad + 1)); diag "lint took +expiry-time=tomorrow"; }
	printf '# +expiry-time=2030-01-01T00:00:00Z\n%s/x=1\nfeature.node.kubernetes.io/y\nx.profile.node.kubernetes.io/z=\n' \
		"$P" >"$F/good.nfd"
	nfd_lint "$F/good.nfd" || bad=$((bad + 1))
	[ $bad -eq 0 ]
	ok $? "$L: the NFD label checker rejects 10 lines nfd-master rejects and takes 3 it admits"

	# -- every fixture: verdict, fingerprint, features as the fixture says; labels by NFD's rules
	local nv=0 nfp=0 nfeat=0 nlint=0 nlab=0 nsize=0 npart=0
	nfix=0
	while IFS=$'\t' read -r id _ _ msrs; do
		nfix=$((nfix + 1))
		"$T" --input "$DUMPS" --entry "$id" --facts >"$F/f.json" 2>"$F/e.txt"
		rc=$?
		size=$(wc -c <"$F/f.json")
		[ "$size" -gt "$max" ] && max=$size
		[ $rc -eq 0 ] && [ "$size" -le 1100 ] &&
			jq_true '.schema == "vmxcap-facts" and .schema_version == 1 and .cpus == 1 and
				(.sets | length) == 1 and .sets[0].cpus == "0" and .sets[0].count == 1' "$F/f.json" ||
			{ nsize=$((nsize + 1)); diag "$id: exit $rc, $size bytes: $(head -c 300 "$F/f.json") $(cat "$F/e.txt")"; }
		want=$(facts_verdict "$id")
		jq_true --arg v "$want" '.verdict == $v and .sets[0].verdict == $v and .sets[0].inferred == false' \
			"$F/f.json" || { nv=$((nv + 1)); diag "$id: verdict $(jq -c .verdict "$F/f.json"), want $want"; }
		if [[ " $msrs " == *" 0x480="* ]]; then
			want=$(fp_expected "$id")
			jq_true --arg f "$want" '.fingerprint == $f and .sets[0].fingerprint == $f' "$F/f.json" ||
				{ nfp=$((nfp + 1)); diag "$id: fingerprint $(jq -c .fingerprint "$F/f.json"), want $want"; }
			want=$(facts_features "$id")
			got=$(jq -r '.features[]' "$F/f.json" | sort)
			a=$(jq -r '.features_unknown[]' "$F/f.json" | sort)
			if facts_complete "$id"; then
				# every MSR Linux reads recorded: the line's names, nothing unknown
				[ "$want" = "$got" ] && [ -z "$a" ]
			else
				npart=$((npart + 1))
				# a partial dump: Linux's line (absent MSRs as 0) is a floor,
				# and none of its names is unknown
				[ -z "$(comm -23 <(echo "$want") <(echo "$got"))" ] &&
					[ -z "$(comm -12 <(echo "$want") <(echo "$a"))" ] && [ -n "$a" ]
			fi || { nfeat=$((nfeat + 1)); diag "$id: features ${got//$'\n'/ } unknown ${a//$'\n'/ }, want ${want//$'\n'/ }"; }
		fi
		"$T" --input "$DUMPS" --entry "$id" --nfd >"$F/n.nfd" 2>"$F/e.txt" && nfd_lint "$F/n.nfd" ||
			{ nlint=$((nlint + 1)); diag "$id: --nfd: $(cat "$F/e.txt")"; }
		# the labels: the facts, and a feature label exactly for each feature
		[ "$(nfd_features "$F/n.nfd")" = "$(jq -r '.features[]' "$F/f.json" | sort)" ] &&
			grep -qx "$P/status=$(jq -r .verdict "$F/f.json")" "$F/n.nfd" &&
			grep -qx "$P/fingerprint=$(jq -r .fingerprint "$F/f.json")" "$F/n.nfd" &&
			grep -qx "$P/identical=true" "$F/n.nfd" ||
			{ nlab=$((nlab + 1)); diag "$id: --nfd labels differ from --facts"; }
	done <"$WORK/entries.tsv"
	ok $((nsize)) "$L: --facts of each of the $nfix fixtures: exit 0, one set of cpu 0, at most 1100 bytes (largest $max) ($nsize wrong)"
	ok $((nv)) "$L: --facts verdict of each fixture = its IA32_FEATURE_CONTROL's by the SDM's bits ($nv wrong)"
	ok $((nfp)) "$L: --facts fingerprint of each fixture with VMX MSRs = sha256sum of its text ($nfp wrong)"
	ok $((nfeat)) "$L: --facts features of each fixture = Linux's reference vmx flags line + EPTP switching by IA32_VMX_VMFUNC, none unknown; where an MSR is not recorded ($npart), the line a floor and the rest unknown ($nfeat wrong)"
	ok $((nlint)) "$L: --nfd of each fixture passes NFD's label rules ($nlint wrong)"
	ok $((nlab)) "$L: --nfd labels of each fixture: status, identical, fingerprint and one per feature of --facts ($nlab wrong)"

	# -- the hypervisor verdicts are --require's, profile by profile
	bad=0
	for id in $SKX $HSW vbox-cpudb:Intel_Core_Duo_T2600_2_16GHz; do
		"$T" --input "$DUMPS" --entry "$id" --facts >"$F/f.json"
		for p in kvm xen bhyve virtualbox; do
			got=$(jq -r --arg p $p '.readiness[$p] | "\(.version) \(.verdict)"' "$F/f.json")
			want=$("$T" --input "$DUMPS" --entry "$id" --require $p --json | jq -r '"\(.version) \(.verdict)"')
			[ "$got" = "$want" ] || { bad=$((bad + 1)); diag "$id $p: $got, --require: $want"; }
		done
	done
	[ $bad -eq 0 ]
	ok $? "$L: --facts readiness = --require PROFILE --json's version and verdict (3 fixtures, 4 profiles)"

	# -- two sets: Skylake-X on cpu 0-2,4, Haswell on cpu 3,5-7 (a dump made by jq)
	"$T" --input "$DUMPS" --entry $SKX --dump >"$F/skx.json"
	"$T" --input "$DUMPS" --entry $HSW --dump >"$F/hsw.json"
	jq --slurpfile b "$F/hsw.json" '.sets = [(.sets[0] | .cpus = "0-2,4"), ($b[0].sets[0] | .cpus = "3,5-7")]' \
		"$F/skx.json" >"$F/two.json"
	"$T" --input "$F/two.json" --facts >"$F/f.json"
	rc=$?
	want=$(comm -12 <(facts_features $SKX) <(facts_features $HSW))
	[ $rc -eq 0 ] && [ "$(jq -r '.features[]' "$F/f.json" | sort)" = "$want" ] &&
		jq_true --arg a "$(fp_expected $SKX)" --arg b "$(fp_expected $HSW)" \
			'.identical == false and .fingerprint == null and .cpus == 8 and .verdict == "usable" and
			 [.sets[] | [.cpus, .count, .verdict, .fingerprint]] ==
			 [["0-2,4", 4, "usable", $a], ["3,5-7", 4, "usable", $b]]' "$F/f.json"
	ok $? "$L: two sets (0-2,4 and 3,5-7): identical false, each set's list and fingerprint, features = the intersection of both CPUs' ($(echo "$want" | wc -l))"
	"$T" --input "$F/two.json" --nfd >"$F/n.nfd" && nfd_lint "$F/n.nfd" &&
		grep -qx "$P/fingerprint-1=$(fp_expected $SKX)" "$F/n.nfd" &&
		grep -qx "$P/fingerprint-2=$(fp_expected $HSW)" "$F/n.nfd" &&
		! grep -q "^$P/fingerprint=" "$F/n.nfd" && grep -qx "$P/identical=false" "$F/n.nfd" &&
		[ "$(nfd_features "$F/n.nfd")" = "$want" ]
	ok $? "$L: --nfd of two sets: each fingerprint numbered, no single one, identical=false, the intersection's labels"

	# -- firmware locked VMX off (0x3a = lock only): the verdict, no feature, the same fingerprint
	jq '.sets[0].msrs["0x3a"] = "0x0000000000000001"' "$F/skx.json" >"$F/locked.json"
	"$T" --input "$F/locked.json" --facts >"$F/f.json"
	rc=$?
	[ $rc -eq 0 ] && jq_true --arg f "$(fp_expected $SKX)" '.verdict == "disabled_by_firmware" and
		.sets[0].verdict == "disabled_by_firmware" and .features == [] and .features_unknown == [] and
		.fingerprint == $f and ([.readiness[].verdict] | unique) == ["refuses"]' "$F/f.json"
	ok $? "$L: --facts of a firmware-locked Skylake-X: disabled_by_firmware, no feature, its fingerprint, every hypervisor refuses"
	"$T" --input "$F/locked.json" --nfd >"$F/n.nfd" && nfd_lint "$F/n.nfd" &&
		grep -qx "$P/status=disabled_by_firmware" "$F/n.nfd" && [ -z "$(nfd_features "$F/n.nfd")" ]
	ok $? "$L: --nfd of it: status=disabled_by_firmware, no feature label"
	jq --slurpfile b "$F/locked.json" '.sets = [(.sets[0] | .cpus = "0-1"), ($b[0].sets[0] | .cpus = "2-3")]' \
		"$F/skx.json" >"$F/half.json"
	"$T" --input "$F/half.json" --facts | jq_true --arg f "$(fp_expected $SKX)" \
		'.verdict == "mixed" and .identical == false and .fingerprint == $f and .features == [] and
		 [.sets[] | [.cpus, .verdict]] == [["0-1", "usable"], ["2-3", "disabled_by_firmware"]]'
	ok $? "$L: --facts with cpu 2-3 locked off: mixed, one fingerprint (firmware is not capability), no feature"

	# -- a 1024-CPU host: still a few hundred bytes
	jq '.sets[0].cpus = "0-767" | .sets += [(.sets[0] | .cpus = "768-1023" | .msrs["0x3a"] = "0x0000000000000001")]' \
		"$F/skx.json" >"$F/big.json"
	"$T" --input "$F/big.json" --facts >"$F/f.json"
	a=$(wc -c <"$F/f.json")
	b=$("$T" --input "$F/big.json" --json | wc -c)
	[ "$a" -le 1100 ] && [ "$b" -gt 100000 ] &&
		jq_true '.cpus == 1024 and [.sets[] | .count] == [768, 256]' "$F/f.json"
	ok $? "$L: --facts of 1024 CPUs in two sets: $a bytes (--json: $b)"

	# -- the cpuinfo source (any user): inferred verdicts, Linux's names, the rest unknown
	local line61
	line61=$(grep '^cpu0 vmx flags' "$DATA/reference/linux-vmx-flags/bochs_corei7_skylake_x.txt" |
		sed 's/^cpu0 vmx flags[[:space:]]*: //; s/ ept_violation_ve//; s/ ept_5level//')
	make_root "$F/root" $SKX 2
	rm "$F/root/dev/cpu/0/msr" "$F/root/dev/cpu/1/msr"
	proc_cpuinfo 2 yes "$line61" >"$F/root/proc/cpuinfo"
	"$T" --sysroot "$F/root" --facts >"$F/f.json"
	rc=$?
	[ $rc -eq 0 ] && [ "$(jq -r '.features[]' "$F/f.json" | sort)" = "$(tr ' ' '\n' <<<"$line61" | sort)" ] &&
		jq_true '.source == "cpuinfo" and .kernel == "6.1.0-56-amd64" and .verdict == "usable" and
			.sets[0].inferred and .sets[0].cpus == "0-1" and
			(.features_unknown | index(["eptp_switching"]) != null and index(["ept_violation_ve"]) != null)' \
			"$F/f.json"
	ok $? "$L: --facts from /proc/cpuinfo: source cpuinfo, usable (inferred), features = Linux 6.1's line, eptp_switching and ept_violation_ve unknown"
	proc_cpuinfo 2 no "" >"$F/root/proc/cpuinfo"
	"$T" --sysroot "$F/root" --facts | jq_true '.verdict == "disabled_by_firmware" and .sets[0].inferred and
		.features == [] and .features_unknown == []'
	ok $? "$L: --facts from /proc/cpuinfo without vmx (CPUID has it): disabled_by_firmware, inferred, no feature"

	# -- --nfd options: the prefix, the lifetime, the atomic write
	"$T" --input "$F/skx.json" --nfd --nfd-prefix example.com/ --nfd-expiry 90m >"$F/n.nfd"
	a=$(nfd_expiry "$F/n.nfd")
	b=$(date +%s)
	nfd_lint "$F/n.nfd" && [ $((a - b)) -ge $((5400 - 60)) ] && [ $((a - b)) -le 5400 ] &&
		[ "$(grep -cv '^#' "$F/n.nfd")" -eq "$(grep -c '^example\.com/' "$F/n.nfd")" ]
	ok $? "$L: --nfd --nfd-prefix example.com/ --nfd-expiry 90m: every label under example.com, expiry in $((a - b)) s"
	"$T" --input "$F/skx.json" --nfd >"$F/n.nfd"
	a=$(nfd_expiry "$F/n.nfd")
	b=$(date +%s)
	[ $((a - b)) -ge $((86400 - 60)) ] && [ $((a - b)) -le 86400 ]
	ok $? "$L: --nfd's default lifetime is 24 h (expiry in $((a - b)) s)"
	bad=0
	for p in feature.node.kubernetes.io x.profile.node.kubernetes.io/ a-b.c; do
		"$T" --input "$F/skx.json" --nfd --nfd-prefix $p >"$F/n.nfd" && nfd_lint "$F/n.nfd" ||
			{ bad=1; diag "--nfd-prefix $p refused"; }
	done
	ok $bad "$L: --nfd-prefix takes the namespaces nfd-master admits (feature.node.kubernetes.io, x.profile.node.kubernetes.io/, a-b.c)"
	bad=0
	for k in "--nfd-prefix kubernetes.io" "--nfd-prefix node.kubernetes.io" "--nfd-prefix Example.com" \
		"--nfd-prefix -a.com" "--nfd-prefix a..b" "--nfd-prefix a_b.com" "--nfd-prefix $(printf 'a%.0s' {1..254})" \
		"--nfd-prefix /" "--nfd-expiry 0" "--nfd-expiry tomorrow" "--nfd-expiry 5w" "--nfd-expiry 99999d"; do
		# shellcheck disable=SC2086
		"$T" --input "$F/skx.json" --nfd $k >"$F/o.txt" 2>"$F/e.txt"
		rc=$?
		[ $rc -eq 2 ] && [ ! -s "$F/o.txt" ] && [ "$(wc -l <"$F/e.txt")" -eq 1 ] &&
			! grep -Eq 'AddressSanitizer|runtime error' "$F/e.txt" ||
			{ bad=$((bad + 1)); diag "--nfd $k: exit $rc: $(cat "$F/e.txt")"; }
	done
	ok $bad "$L: --nfd refuses 8 bad prefixes and 4 bad lifetimes: exit 2, one line, nothing on stdout"
	if command -v strace >/dev/null; then
		mkdir -p "$F/features.d"
		# (LeakSanitizer stops under ptrace: leaks are checked in every other case)
		(umask 077 && ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,rename,renameat,renameat2 -o "$F/strace.txt" \
			"$T" --input "$F/skx.json" --nfd --output "$F/features.d/vmxcap")
		rc=$?
		a=$(sed -n 's|.*openat(.*"\([^"]*/\.vmxcap\.[^"]*\)", [^)]*O_CREAT.*|\1|p' "$F/strace.txt" | head -n 1)
		[ $rc -eq 0 ] && [ -n "$a" ] && grep -qF "rename(\"$a\", \"$F/features.d/vmxcap\") = 0" "$F/strace.txt" &&
			[ "$(stat -c %a "$F/features.d/vmxcap")" = 644 ] && nfd_lint "$F/features.d/vmxcap" &&
			[ "$(ls -A "$F/features.d")" = vmxcap ]
		ok $? "$L: --nfd --output features.d/vmxcap: written as the dot file ${a##*/} (which NFD skips), renamed over it, 0644 under umask 077"
	else
		ok 1 "$L: strace is installed (scripts/deps.sh clitest), to watch --output's dot file and rename"
	fi

	# -- what the modes do not take
	bad=0
	for k in "--facts --json" "--facts --nfd" "--facts --nfd-prefix a.com" "--json --nfd-expiry 1h" \
		"--facts --input $F/two.json" "--nfd --input $F/locked.json"; do
		# shellcheck disable=SC2086
		"$T" --input "$F/hsw.json" $k >"$F/o.txt" 2>"$F/e.txt"
		rc=$?
		[ $rc -eq 2 ] && [ ! -s "$F/o.txt" ] && [ "$(wc -l <"$F/e.txt")" -eq 1 ] ||
			{ bad=$((bad + 1)); diag "$k: exit $rc: $(cat "$F/e.txt")"; }
	done
	ok $bad "$L: --facts/--nfd with another mode, the --nfd options without --nfd, several hosts: exit 2, one line"
}
