#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show on a live kernel with VMX, the paths a machine without VMX
# cannot reach: with the module installed (modules.dep) but not loaded it
# says so and how to load it; --load as an unprivileged user fails with one
# line asking for root; --load as root loads it through libkmod and shows
# the capabilities; --load when it is loaded just shows them.  Then, with
# the tree: --flags equals the kernel's own "vmx flags" lines, --require
# agrees with them, and --dump round-trips and equals msr.ko's reads.
# Exit codes are tools/README.md's: 0 success, 1 a negative answer (no
# module here, a requirement not met), 2 an error (one line on stderr;
# also --require without the tree on a VMX CPU).
# Leaves the module loaded, as the tests after it expect.
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/vmxcap_lib.sh"

SHOW=$(command -v vmxcap-show) || skip_all "vmxcap-show is not installed (make tools)"
require_vmx_module
rel=$(uname -r)
# What libkmod will find: the module installed in the modules tree.
installed=$(find "/lib/modules/$rel" -name 'vmxcap.ko*' 2>/dev/null | head -n 1)
if [ -z "$installed" ] || ! grep -q 'vmxcap\.ko[.a-z]*:' "/lib/modules/$rel/modules.dep" 2>/dev/null; then
	skip_all "vmxcap.ko is not in /lib/modules/$rel/modules.dep (depmod)"
fi

OUT=/tmp/vmxcap_cli.out
ERR=/tmp/vmxcap_cli.err
NOBODY=65534

# show [-n LINES] [as-nobody] ARGS...: runs vmxcap-show; stdout in $OUT,
# stderr in $ERR, exit status in $rc; shows the command, its status, its
# stderr and the first LINES (default 1) lines of its stdout.
show() {
	who=root
	lines=1
	if [ "$1" = -n ]; then
		lines=$2
		shift 2
	fi
	if [ "$1" = as-nobody ]; then
		who=nobody
		shift
		"$HWREAD" runas $NOBODY "$SHOW" "$@" >"$OUT" 2>"$ERR"
	else
		"$SHOW" "$@" >"$OUT" 2>"$ERR"
	fi
	rc=$?
	diag "[$who] vmxcap-show $*: exit $rc, $(wc -l <"$OUT") stdout lines, $(wc -l <"$ERR") stderr lines"
	head -n "$lines" "$OUT" | sed 's/^/#   stdout: /'
	sed 's/^/#   stderr: /' "$ERR"
}

has() {	# FILE STRING: FILE contains STRING
	grep -qF -- "$2" "$1"
}

one_line() {	# FILE: exactly one line
	[ "$(wc -l <"$1")" -eq 1 ]
}

# "vmx flags" of /proc/cpuinfo, "CPU FLAGS..." per processor.
cpuinfo_flags() {
	awk '/^processor/ { p = $3 }
		/^vmx flags/ { sub(/^vmx flags[ \t]*: */, ""); print p " " $0 }' /proc/cpuinfo
}

# Names Linux prints in "vmx flags" since 5.x (Bochs Skylake-X's line on
# 6.1, tests/vm): when /proc/cpuinfo lacks one, --require must say no.
REF_FLAGS="vnmi preemption_timer invvpid ept_x_only ept_ad ept_1gb flexpriority tsc_offset
vtpr vapic ept vpid unrestricted_guest vapic_reg vid ple shadow_vmcs pml tsc_scaling"

ncpus=$(cpuinfo_flags | wc -l)
ktap_header $((20 + ncpus))

# ---- installed, not loaded ----------------------------------------------
module_unload || { diag "cannot unload vmxcap"; exit "$KSFT_FAIL"; }
[ ! -e "$VMXCAP_SYSFS" ] || { diag "$VMXCAP_SYSFS is left after rmmod"; exit "$KSFT_FAIL"; }
diag "unloaded; installed as $installed"

show -n 20
ktap_check "not loaded: vmxcap-show exits 1 (no module here)" test $rc -eq 1
ktap_check "not loaded: says $installed is installed but not loaded" \
	sh -c "grep -qF 'installed ($installed) but not loaded' '$OUT' && test ! -s '$ERR'"
ktap_check "not loaded: tells to run modprobe vmxcap or vmxcap-show --load" \
	sh -c "grep -qF 'modprobe vmxcap' '$OUT' && grep -qF 'vmxcap-show --load' '$OUT'"

# A verdict cannot be given without the tree on a VMX CPU: an error
# (exit 2, tools/README.md), and it says how to load the module.
show --require ept
ktap_check "not loaded: --require ept gives no verdict (exit 2) and names modprobe vmxcap" \
	sh -c "test $rc -eq 2 && grep -qF 'modprobe vmxcap' '$ERR' && test ! -s '$OUT'"

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

# What it shows is cpu0's capabilities: the identity /proc/cpuinfo gives,
# and the same text as a plain run on the loaded module.
ident=$(awk -F': ' '/^processor/ { p = $2 } p != 0 { next }
	/^vendor_id/ { v = $2 } /^cpu family/ { f = $2 } /^model[ \t]*:/ { m = $2 }
	/^stepping/ { s = $2 }
	END { printf "cpu0: %s family 0x%x model 0x%x stepping 0x%x", v, f, m, s }' /proc/cpuinfo)
diag "expected first line: $ident"
show
cp "$OUT" /tmp/vmxcap_cli.plain
ok=0
case $(head -n 1 /tmp/vmxcap_cli.load) in "$ident"*) [ "$load_rc" -eq 0 ] && ok=1 ;; esac
cmp -s /tmp/vmxcap_cli.load /tmp/vmxcap_cli.plain || { ok=0; diag "--load and plain outputs differ"; }
ktap_check "--load as root: shows cpu0's capabilities (as a plain run does)" test $ok -eq 1

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

# The dump's values and identities against msr.ko and /proc/cpuinfo:
# "cpu N", "msr N IDX VALUE", "faulted N IDX" and "id N KEY VALUE" lines,
# whatever the JSON's layout; an entry is one CPU ("cpu": N) or a set of
# CPUs with the same values ("cpus": "0-3,8").
dump_lines() {
	tr -d ' \n\t' <"$1" | awk '
	function cpus(l, out,   n, i, r, a, b, k, p) {
		n = split(l, r, ",")
		k = 0
		for (i = 1; i <= n; i++) {
			p = index(r[i], "-")
			a = p ? substr(r[i], 1, p - 1) + 0 : r[i] + 0
			b = p ? substr(r[i], p + 1) + 0 : a
			for (; a <= b; a++) out[++k] = a
		}
		return k
	}
	{
		s = $0
		hdr = "\"cpus?\":(\"[0-9,-]+\"|[0-9]+)"
		while (match(s, hdr)) {
			h = substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
			if (match(s, hdr)) { o = substr(s, 1, RSTART - 1); s = substr(s, RSTART) }
			else { o = s; s = "" }
			sub(/^"cpus?":/, "", h)
			gsub(/"/, "", h)
			lines = ""
			if (match(o, /"msrs":\{[^}]*\}/)) {
				m = substr(o, RSTART + 8, RLENGTH - 9)
				n = split(m, kv, ",")
				for (i = 1; i <= n; i++) {
					gsub(/"/, "", kv[i]); sub(/:/, " ", kv[i])
					if (kv[i] != "") lines = lines "msr @ " kv[i] "\n"
				}
			}
			if (match(o, /"faulted":\[[^]]*\]/)) {
				m = substr(o, RSTART + 11, RLENGTH - 12)
				n = split(m, kv, ",")
				for (i = 1; i <= n; i++) {
					gsub(/"/, "", kv[i])
					if (kv[i] != "") lines = lines "faulted @ " kv[i] "\n"
				}
			}
			split("vendor family model stepping", keys, " ")
			for (k = 1; k <= 4; k++)
				if (match(o, "\"" keys[k] "\":\"?[A-Za-z0-9]+")) {
					v = substr(o, RSTART + length(keys[k]) + 3, RLENGTH - length(keys[k]) - 3)
					gsub(/"/, "", v)
					lines = lines "id @ " keys[k] " " v "\n"
				}
			nc = cpus(h, cl)
			for (j = 1; j <= nc; j++) {
				print "cpu " cl[j]
				t = lines
				gsub(/@/, cl[j], t)
				printf "%s", t
			}
		}
	}'
}
dump_lines /tmp/vmxcap_cli.dump >/tmp/vmxcap_cli.dl
bad=0
n=0
while read -r kind c idx val; do
	case $kind in
	msr) n=$((n + 1)); hw=$("$HWREAD" msr "$c" "$idx")
	     [ "$(hex64 "$val")" = "$hw" ] || { diag "dump cpu$c $idx: $val, msr.ko $hw"; bad=$((bad + 1)); } ;;
	faulted) n=$((n + 1)); hw=$("$HWREAD" msr "$c" "$idx")
	     [ "$hw" = fault ] || { diag "dump cpu$c $idx: faulted, msr.ko $hw"; bad=$((bad + 1)); } ;;
	esac
done </tmp/vmxcap_cli.dl
diag "dump: $(grep -c '^cpu ' /tmp/vmxcap_cli.dl) CPUs, $n MSR values"
ktap_check "--dump: all $n MSR values equal msr.ko's reads" test $bad -eq 0 -a $n -gt 0

expect=$(awk -F': ' '/^processor/ { p = $2 }
	/^vendor_id/ { print "id " p " vendor " $2 } /^cpu family/ { print "id " p " family " $2 }
	/^model[ \t]*:/ { print "id " p " model " $2 } /^stepping/ { print "id " p " stepping " $2 }' \
	/proc/cpuinfo | sort)
got=$(grep '^id ' /tmp/vmxcap_cli.dl | sort)
[ "$got" = "$expect" ] || { diag "dump identity: $got"; diag "/proc/cpuinfo: $expect"; }
ktap_check "--dump: vendor, family, model, stepping of each CPU equal /proc/cpuinfo" \
	test "$got" = "$expect"

ktap_check "the module is left loaded" sh -c "grep -q '^vmxcap ' /proc/modules && test -d '$VMXCAP_SYSFS'"
ktap_finish
