# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the vmxcap shell selftests (POSIX sh: they also run under
# busybox in the harness's initramfs).  Source it; it prints KTAP.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

VMXCAP_SYSFS=${VMXCAP_SYSFS:-/sys/kernel/vmxcap}
VMXCAP_DIR=${VMXCAP_DIR:-$(cd "$(dirname "$0")" && pwd)}
HWREAD="$VMXCAP_DIR/vmxcap_hwread"
. "$VMXCAP_DIR/vmxcap_klog.sh"

ktap_n=0
ktap_pass=0
ktap_fail=0
ktap_skip=0

ktap_header() {	# PLAN
	echo "TAP version 13"
	echo "1..$1"
}

ktap_ok() {
	ktap_n=$((ktap_n + 1)); ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_n $*"
}

ktap_not_ok() {
	ktap_n=$((ktap_n + 1)); ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_n $*"
}

ktap_skip() {
	ktap_n=$((ktap_n + 1)); ktap_skip=$((ktap_skip + 1))
	echo "ok $ktap_n # SKIP $*"
}

ktap_check() {	# DESCRIPTION COMMAND...: ok when COMMAND succeeds
	desc=$1
	shift
	if "$@"; then ktap_ok "$desc"; else ktap_not_ok "$desc"; fi
}

diag() {
	echo "# $*"
}

ktap_finish() {
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skip error:0"
	[ "$ktap_fail" -eq 0 ] || exit $KSFT_FAIL
	[ "$ktap_pass" -eq 0 ] && [ "$ktap_skip" -gt 0 ] && exit $KSFT_SKIP
	exit $KSFT_PASS
}

skip_all() {	# REASON: the whole program is skipped (kselftest exit 4)
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# /dev/cpu/N/{msr,cpuid} come from Debian's msr.ko and cpuid.ko.
vmxcap_oracle_devices() {
	[ -e /dev/cpu/0/msr ] || modprobe msr 2>/dev/null
	[ -e /dev/cpu/0/cpuid ] || modprobe cpuid 2>/dev/null
	[ -e /dev/cpu/0/msr ] && [ -e /dev/cpu/0/cpuid ]
}

online_cpus() {	# one CPU number per line
	for d in /sys/devices/system/cpu/cpu[0-9]*; do
		n=${d##*/cpu}
		if [ -f "$d/online" ] && [ "$(cat "$d/online")" = 0 ]; then
			continue
		fi
		echo "$n"
	done | sort -n
}

# VMX as CPUID.1:ECX[5] says on any online CPU: the module's own rule, and
# independent of Linux's X86_FEATURE_VMX (cleared when firmware locks VMX off).
cpu_has_vmx() {
	case " ${VMXCAP_MODULE_PARAMS:-} " in *" fake_vmx=1 "*) return 0 ;; esac
	vmxcap_oracle_devices || return 2
	for c in $(online_cpus); do
		"$HWREAD" hasvmx "$c" && return 0
	done
	return 1
}

# How to load the module: VMXCAP_MODULE=/path/vmxcap.ko, else modprobe;
# VMXCAP_MODULE_PARAMS="fake_vmx=1" are its parameters (the debug machines'
# test build, whose fake_vmx makes QEMU's CPUs count as having VMX).
module_available() {
	if [ -n "${VMXCAP_MODULE:-}" ]; then
		[ -f "$VMXCAP_MODULE" ]
	else
		find "/lib/modules/$(uname -r)" -name 'vmxcap.ko*' 2>/dev/null | grep -q .
	fi
}

module_loaded() {
	grep -q '^vmxcap ' /proc/modules
}

module_load() {	# errors on stderr, as insmod / modprobe print them
	# shellcheck disable=SC2086 # the parameters are words
	if [ -n "${VMXCAP_MODULE:-}" ]; then
		"$HWREAD" insmod "$VMXCAP_MODULE" ${VMXCAP_MODULE_PARAMS:-}
	else
		modprobe vmxcap ${VMXCAP_MODULE_PARAMS:-}
	fi
}

module_unload() {	# on failure, what holds the module
	rmmod vmxcap && return 0
	echo "# rmmod failed: refcnt $(cat /sys/module/vmxcap/refcnt 2>/dev/null)," \
		"state $(cat /sys/module/vmxcap/initstate 2>/dev/null)," \
		"holders: $(ls /sys/module/vmxcap/holders 2>/dev/null | tr '\n' ' ')"
	return 1
}

module_ensure_loaded() {
	module_loaded || module_load
}

# Skips the calling program unless the module can be loaded on a VMX CPU.
require_vmx_module() {
	[ "$(id -u)" = 0 ] || skip_all "must run as root"
	module_available || skip_all "vmxcap.ko not available (set VMXCAP_MODULE)"
	cpu_has_vmx
	case $? in
	1) skip_all "no online CPU has VMX in CPUID" ;;
	2) skip_all "msr.ko / cpuid.ko not available" ;;
	esac
	module_ensure_loaded || { echo "# module failed to load"; exit $KSFT_FAIL; }
}

# For the vmxcap-show tests: as require_vmx_module, and vmxcap-show and the
# module installed where libkmod finds it.  Sets SHOW (the tool) and
# installed (the module's path under /lib/modules).
require_show_and_installed_module() {
	local rel

	SHOW=$(command -v vmxcap-show) || skip_all "vmxcap-show is not installed (make tools)"
	require_vmx_module
	rel=$(uname -r)
	installed=$(find "/lib/modules/$rel" -name 'vmxcap.ko*' 2>/dev/null | head -n 1)
	if [ -z "$installed" ] || ! grep -q 'vmxcap\.ko[.a-z]*:' "/lib/modules/$rel/modules.dep" 2>/dev/null; then
		skip_all "vmxcap.ko is not in /lib/modules/$rel/modules.dep (depmod)"
	fi
}

# CPU directories the module publishes: cpu0 cpu1 ...
published_cpus() {
	for d in "$VMXCAP_SYSFS"/cpu[0-9]*; do
		[ -d "$d" ] && echo "${d##*/cpu}"
	done | sort -n
}

# The id of a CPU's capability set: where its "set" link points (sets/ID).
set_of() {
	l=$(readlink "$VMXCAP_SYSFS/cpu$1/set") || return 1
	echo "${l##*/}"
}

# Prints "INDEX VALUE" lines ("0x480 0x00d810000000002b" or "0x493 faulted")
# of a CPU's set in the machine file (the tools' fast path), lower-case.
msrs_of() {
	awk -v id="$(set_of "$1")" '
		$1 == "set" { on = ($2 == id); next }
		$1 !~ /^0x/ { on = 0 }
		on' "$VMXCAP_SYSFS/machine" | tr 'A-F' 'a-f'
}

# Canonical 64-bit hex of a number: 0x%016x, lower case.
hex64() {
	printf '0x%016x\n' "$1"
}

# A snapshot of every file under a directory, "path: value" per line, for
# comparing trees before and after (one awk, not a process per file).
# Links are followed: a cpuN/'s set directories are part of what it says.
tree_dump() {
	(cd "$1" && find -L . -type f -exec awk '{ print FILENAME ": " $0 }' {} + | sort)
}

# Starts a background reader that reads every file of the tree (as listed
# now) again and again until STOPFILE exists; adds its PID to $readers.  Shell builtins
# only: a process per read would slow an emulated machine to a crawl.
# Files that vanish (CPU offline, module unloaded) just fail to open.
start_reader() {	# STOPFILE
	files=$(find "$VMXCAP_SYSFS" -type f)
	# After its first pass it creates STOPFILE.ready.<its PID>.
	( pid=$(exec sh -c 'echo $PPID')
	  while [ ! -e "$1" ]; do
		for f in $files; do
			{ read -r v || :; } 2>/dev/null <"$f"
		done
		[ -e "$1.ready.$pid" ] || : >"$1.ready.$pid"
	  done ) >/dev/null 2>&1 &
	readers="${readers:-} $!"
}

start_readers() {	# N STOPFILE: N of start_reader's readers
	r=0
	while [ "$r" -lt "$1" ]; do
		start_reader "$2"
		r=$((r + 1))
	done
}

# Seconds since boot in hundredths, from /proc/uptime (no date +%N in busybox).
uptime_cs() {
	read -r up _ </proc/uptime
	echo "${up%.*}${up#*.}"
}

# Returns once each of $readers has read the whole tree once (its
# STOPFILE.ready.<PID> exists).  Polls without sleeping: under emulation a
# 0.1 s sleep can take minutes.
wait_readers_ready() {	# STOPFILE
	for p in $readers; do
		while [ ! -e "$1.ready.$p" ]; do :; done
	done
}

# ---- vmxcap-show -----------------------------------------------------------
# The tests of the CLI set SHOW (its path), OUT and ERR (files for its
# stdout and stderr) before using these.
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
	diag "[$who] vmxcap-show${*:+ $*}: exit $rc, $(wc -l <"$OUT") stdout lines, $(wc -l <"$ERR") stderr lines"
	head -n "$lines" "$OUT" | sed 's/^/#   stdout: /'
	sed 's/^/#   stderr: /' "$ERR"
}

has() {	# FILE STRING: FILE contains STRING
	grep -qF -- "$2" "$1"
}

# FILE STRING: FILE contains STRING once its lines are joined: the summary
# wraps its sentences at 80 columns, with an indent on the lines after.
says() {
	tr '\n' ' ' <"$1" | tr -s ' ' | grep -qF -- "$2"
}

one_line() {	# FILE: exactly one line
	[ "$(wc -l <"$1")" -eq 1 ]
}

# "vmx flags" of /proc/cpuinfo, "CPU FLAGS..." per processor that has one.
cpuinfo_flags() {
	awk '/^processor/ { p = $3 }
		/^vmx flags/ { sub(/^vmx flags[ \t]*: */, ""); print p " " $0 }' /proc/cpuinfo
}

# Per processor of /proc/cpuinfo: "CPU VENDOR FAMILY MODEL STEPPING FLAGS_VMX
# VMX_FLAGS", FLAGS_VMX true when its "flags" have vmx, VMX_FLAGS the
# "vmx flags" line or null: what a --source cpuinfo dump must say.
cpuinfo_view() {
	awk -F': ' 'function out() { if (p != "") print p, v, f, m, s, fv, (vf == "" ? "null" : vf) }
		/^processor/ { out(); p = $2; fv = "false"; vf = "" }
		/^vendor_id/ { v = $2 } /^cpu family/ { f = $2 } /^model[ \t]*:/ { m = $2 }
		/^stepping/ { s = $2 }
		/^flags[ \t]*:/ { if ((" " $2 " ") ~ / vmx /) fv = "true" }
		/^vmx flags/ { vf = $2 }
		END { out() }' /proc/cpuinfo
}

# "GenuineIntel family 0x6 model 0x55 stepping 0x4" of each processor, one
# line each: how vmxcap-show names a CPU.
cpuinfo_idents() {
	awk -F': ' '/^processor/ { p = $2 }
		/^vendor_id/ { v = $2 } /^cpu family/ { f = $2 } /^model[ \t]*:/ { m = $2 }
		/^stepping/ { printf "%s family 0x%x model 0x%x stepping 0x%x\n", v, f, m, $2 }' /proc/cpuinfo
}

# Numbers on stdin to a kernel CPU list: 0-3,8.
cpulist() {
	sort -n | awk 'function r() { return a == b ? a : a "-" b }
		NR == 1 { a = b = $1; next }
		$1 == b + 1 { b = $1; next }
		{ out = out (out == "" ? "" : ",") r(); a = b = $1 }
		END { if (NR) print out (out == "" ? "" : ",") r() }'
}

# The summary's first line when every online CPU has the verdict WORDS.
verdict_line() {
	cpus=$(online_cpus)
	n=$(echo "$cpus" | wc -l)
	list=$(echo "$cpus" | cpulist)
	if [ "$n" -eq 1 ]; then
		echo "VMX: $1 (cpu $list)"
	else
		echo "VMX: $1 on all $n CPUs ($list)"
	fi
}

# IA32_FEATURE_CONTROL of CPU as msr.ko reads it, in vmxcap-show's words:
# locked with VMX on outside SMX, locked with it off, or not locked.
fc_verdict() {
	v=$("$HWREAD" msr "$1" 0x3a) || { echo "faulted"; return; }
	if [ $((v & 1)) -eq 0 ]; then
		echo "unlocked"
	elif [ $((v & 4)) -ne 0 ]; then
		echo "usable"
	elif [ $((v & 2)) -ne 0 ]; then
		echo "SMX (TXT) only"
	else
		echo "disabled by firmware"
	fi
}

# Whether the kernel was booted with clearcpuid=vmx (or its number, 133).
clearcpuid_vmx() {
	tr ' ' '\n' </proc/cmdline | sed -n 's/^clearcpuid=//p' | tr ',' '\n' | grep -qx -e vmx -e 133
}

# A --dump as lines, whatever the JSON's layout: "cpu N", "msr N IDX VALUE",
# "faulted N IDX", "id N KEY VALUE" (vendor, family, model, stepping),
# "flag N KEY true|false|null" (hypervisor, vmx, svm) and "linux N
# FLAGS_VMX VMX_FLAGS|null"; an entry is one CPU ("cpu": N) or a set of CPUs
# with the same values ("cpus": "0-3,8").  White space outside strings is
# dropped first (the vmx flags string keeps its spaces).
dump_lines() {
	awk '{
		o = ""; q = 0; n = length($0)
		for (i = 1; i <= n; i++) {
			c = substr($0, i, 1)
			if (q) {
				o = o c
				if (esc) esc = 0
				else if (c == "\\") esc = 1
				else if (c == "\"") q = 0
			} else if (c != " " && c != "\t" && c != "\r") {
				o = o c
				if (c == "\"") q = 1
			}
		}
		printf "%s", o
	}' "$1" | awk '
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
			split("hypervisor vmx svm", keys, " ")
			for (k = 1; k <= 3; k++)
				if (match(o, "\"" keys[k] "\":(true|false|null)")) {
					v = substr(o, RSTART + length(keys[k]) + 3, RLENGTH - length(keys[k]) - 3)
					lines = lines "flag @ " keys[k] " " v "\n"
				}
			if (match(o, /"linux":\{[^}]*\}/)) {
				m = substr(o, RSTART, RLENGTH)
				fv = match(m, /"flags_vmx":(true|false)/) ? substr(m, RSTART + 12, RLENGTH - 12) : "?"
				vf = "?"
				if (match(m, /"vmx_flags":("[^"]*"|null)/)) {
					vf = substr(m, RSTART + 12, RLENGTH - 12)
					gsub(/"/, "", vf)
				}
				lines = lines "linux @ " fv " " vf "\n"
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

# Every "msr" and "faulted" line of dump_lines' output in FILE against
# msr.ko's own read: sets $dump_bad (mismatches) and $dump_n (values).
dump_vs_msr() {
	dump_bad=0
	dump_n=0
	while read -r kind c idx val; do
		case $kind in
		msr) dump_n=$((dump_n + 1)); hw=$("$HWREAD" msr "$c" "$idx")
		     [ "$(hex64 "$val")" = "$hw" ] || { diag "dump cpu$c $idx: $val, msr.ko $hw"; dump_bad=$((dump_bad + 1)); } ;;
		faulted) dump_n=$((dump_n + 1)); hw=$("$HWREAD" msr "$c" "$idx")
		     [ "$hw" = fault ] || { diag "dump cpu$c $idx: faulted, msr.ko $hw"; dump_bad=$((dump_bad + 1)); } ;;
		esac
	done <"$1"
}

# "id N KEY VALUE" lines /proc/cpuinfo gives, sorted: what dump_lines'
# "id" lines must be.
cpuinfo_id_lines() {
	awk -F': ' '/^processor/ { p = $2 }
		/^vendor_id/ { print "id " p " vendor " $2 } /^cpu family/ { print "id " p " family " $2 }
		/^model[ \t]*:/ { print "id " p " model " $2 } /^stepping/ { print "id " p " stepping " $2 }' \
		/proc/cpuinfo | sort
}

# ---- JSON ------------------------------------------------------------------
# Any JSON document in FILE as one line per scalar: "PATH<TAB>KIND<TAB>VALUE",
# PATH the keys and array positions from the top joined by "." (verdict,
# parameters.ept, reasons.0, sets.0.msrs.0x480), KIND string, number, bool
# or null, VALUE the string unescaped (\" \\ \/ \t; \n as a space), the
# number or true/false/null as written.  Empty objects and arrays print
# nothing.  Not a validator: it prints what it can read, and "!error<TAB>"
# with the rest when it meets something that is no JSON.
json_flat() {
	awk 'BEGIN { RS = "\001" }
	function path(   i, p) {
		p = ""
		for (i = 1; i <= d; i++)
			p = p (i > 1 ? "." : "") (typ[i] == "o" ? key[i] : idx[i])
		return p
	}
	function unesc(t,   o, c, i, n) {
		if (index(t, "\\") == 0) return t
		o = ""; n = length(t)
		for (i = 1; i <= n; i++) {
			c = substr(t, i, 1)
			if (c == "\\" && i < n) {
				c = substr(t, ++i, 1)
				if (c == "n" || c == "r") c = " "
				else if (c == "t") c = "\t"
				else if (c == "u") { c = "?"; i += 4 }
			}
			o = o c
		}
		return o
	}
	{
		s = $0; d = 0; want_key = 0
		while (length(s) > 0) {
			if (match(s, /^[ \t\r\n,:]+/)) {
				if (index(substr(s, 1, RLENGTH), ",") && d > 0) {
					if (typ[d] == "a") idx[d]++
					else want_key = 1
				}
				s = substr(s, RLENGTH + 1)
				continue
			}
			c = substr(s, 1, 1)
			if (c == "{" || c == "[") {
				d++; typ[d] = (c == "{") ? "o" : "a"; idx[d] = 0; key[d] = ""
				want_key = (c == "{")
				s = substr(s, 2)
				continue
			}
			if (c == "}" || c == "]") {
				d--; want_key = 0
				s = substr(s, 2)
				continue
			}
			if (match(s, /^"([^"\\]|\\.)*"/)) {
				t = unesc(substr(s, 2, RLENGTH - 2))
				s = substr(s, RLENGTH + 1)
				if (d > 0 && typ[d] == "o" && want_key) { key[d] = t; want_key = 0 }
				else print path() "\tstring\t" t
				continue
			}
			if (match(s, /^-?[0-9][0-9.eE+-]*/)) {
				print path() "\tnumber\t" substr(s, 1, RLENGTH)
				s = substr(s, RLENGTH + 1)
				continue
			}
			if (match(s, /^(true|false)/)) {
				print path() "\tbool\t" substr(s, 1, RLENGTH)
				s = substr(s, RLENGTH + 1)
				continue
			}
			if (match(s, /^null/)) {
				print path() "\tnull\tnull"
				s = substr(s, 5)
				continue
			}
			print "!error\t\t" substr(s, 1, 40)
			exit 1
		}
	}' "$1"
}

# FLAT PATH: the value at PATH of json_flat's output in file FLAT (nothing
# when absent); json_kind prints its kind.
json_get() {
	awk -F '\t' -v p="$2" '$1 == p { print $3; exit }' "$1"
}

json_kind() {
	awk -F '\t' -v p="$2" '$1 == p { print $2; exit }' "$1"
}

# ---- Debian's KVM -----------------------------------------------------------
# kvm_intel and the modules it needs, loaded the way modprobe would (the
# guest's modules.dep) but one finit_module() each through vmxcap_hwread
# (busybox modprobe would run a failing init twice); parameters go to
# kvm_intel only.

# The files to load for kvm_intel, dependencies first, relative to
# /lib/modules/<release>; fails when modules.dep has no kvm-intel.ko.
kvm_module_files() {
	awk '/(^|\/)kvm-intel\.ko(\.[a-z]+)?:/ {
		sub(/:/, "")
		for (i = NF; i >= 1; i--) print $i
		found = 1
		exit
	}
	END { exit !found }' "/lib/modules/$(uname -r)/modules.dep"
}

kvm_loaded() {	# NAME (kvm_intel, kvm, irqbypass): in /proc/modules
	grep -q "^$1 " /proc/modules
}

# kvm_load [PARAM=VALUE...]: loads what kvm_intel needs that is not loaded,
# then kvm_intel with the parameters.  Exit status: 0, or the errno of the
# first load that failed (its message on stderr, as insmod prints it).
# Sets kvm_load_times: "irqbypass 0.01 kvm 2.10 kvm_intel 1.05" (seconds
# of emulated time, /proc/uptime) for the modules it loaded.
kvm_load() {
	dir=/lib/modules/$(uname -r)
	kvm_load_times=""
	for f in $(kvm_module_files); do
		m=${f##*/}
		m=${m%%.ko*}
		m=$(echo "$m" | tr - _)
		[ "$m" = kvm_intel ] || ! kvm_loaded "$m" || continue
		t=$(uptime_cs)
		if [ "$m" = kvm_intel ]; then
			"$HWREAD" insmod "$dir/$f" "$@"
		else
			"$HWREAD" insmod "$dir/$f"
		fi
		e=$?
		t=$(($(uptime_cs) - t))
		kvm_load_times="$kvm_load_times${kvm_load_times:+ }$m $((t / 100)).$((t / 10 % 10))$((t % 10))"
		[ $e -eq 0 ] || return $e
	done
}

# Unloads kvm_intel, kvm and irqbypass, whichever are loaded: kvm.ko holds
# kvm_intel's enable_apicv (7.3: enable_ipiv too), whose value would
# otherwise outlive a kvm_intel reload.  Fails when one stays loaded.
kvm_unload() {
	for m in kvm_intel kvm irqbypass; do
		kvm_loaded "$m" && rmmod "$m"
	done
	! kvm_loaded kvm_intel && ! kvm_loaded kvm && ! kvm_loaded irqbypass
}

# Emulated time in centiseconds since boot (/proc/uptime), for timings.
uptime_cs() {
	read -r u _ </proc/uptime
	u=${u%.*}${u#*.}
	while :; do
		case $u in 0?*) u=${u#0} ;; *) break ;; esac
	done
	echo "$u"
}
