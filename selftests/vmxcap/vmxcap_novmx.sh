#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Without VMX in any CPU's CPUID (AMD, or a hypervisor that hides it, such as
# QEMU's TCG), loading must fail with ENODEV, leave one kernel log line that
# says why, and leave no /sys/kernel/vmxcap behind.  vmxcap-show (when in
# the guest) then says there is no VMX from whichever source it reads (exit
# 1) and names the vendor and hypervisor cpuid.ko reads, --require answers
# no (exit 1), --load fails with one line naming the cause (exit 2), and
# each source explains itself: --source sysfs one line (exit 2), --source
# msr and --source cpuinfo "not in CPUID" (exit 1), msr.ko's --dump with no
# MSR value (TCG answers 0 to them instead of faulting: only CPUID decides).
. "$(dirname "$0")/vmxcap_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "must run as root"
module_available || skip_all "vmxcap.ko not available (set VMXCAP_MODULE)"
vmxcap_oracle_devices || skip_all "msr.ko / cpuid.ko not available"
cpu_has_vmx && skip_all "a CPU has VMX: this test is for machines without it"

SHOW=$(command -v vmxcap-show)
if [ -n "$SHOW" ]; then ktap_header 15; else ktap_header 5; fi
module_loaded && module_unload
before=$(dmesg | wc -l)
err=$(module_load 2>&1)
rc=$?
diag "load: exit $rc: $err"
ktap_check "loading fails" test "$rc" -ne 0
case $err in
*"No such device"*) ktap_ok "the error is ENODEV" ;;
*) ktap_not_ok "the error is ENODEV" ;;
esac
ktap_check "no vmxcap module is left loaded" sh -c '! grep -q "^vmxcap " /proc/modules'
ktap_check "no /sys/kernel/vmxcap is left behind" test ! -e "$VMXCAP_SYSFS"

# The log line names the vendor (CPUID.0) and says whether a hypervisor is
# present (CPUID.1:ECX[31]); both read here through cpuid.ko.
new=$(dmesg | tail -n +$((before + 1)) | grep 'vmxcap: ' | grep -v -E 'taints kernel|tainting kernel')
diag "log: $new"
vendor=$("$HWREAD" cpuid 0 0 | awk '
	function hex(h) {
		return (index("0123456789abcdef", substr(h, 1, 1)) - 1) * 16 + \
			index("0123456789abcdef", substr(h, 2, 1)) - 1
	}
	{
		s = ""
		split($2 " " $4 " " $3, w, " ")
		for (i = 1; i <= 3; i++)
			for (j = 0; j < 4; j++)
				s = s sprintf("%c", hex(substr(w[i], 7 - 2 * j, 2)))
		print s
	}')
ecx=$("$HWREAD" cpuid 0 1 | awk '{ print $3 }')
hv=$(( (0x$ecx >> 31) & 1 ))
diag "cpuid: vendor $vendor, hypervisor bit $hv"
lines=$(echo "$new" | grep -c .)
ok=1
[ "$lines" -eq 1 ] || ok=0
case $new in *"$vendor"*) ;; *) ok=0 ;; esac
case $new in *[Hh]ypervisor*) ;; *) ok=0 ;; esac
ktap_check "one log line naming vendor $vendor and the hypervisor" test $ok -eq 1

if [ -n "$SHOW" ]; then
	OUT=/tmp/novmx.out
	ERR=/tmp/novmx.err
	cpus=$(online_cpus | cpulist)
	no_line=$(verdict_line "not in CPUID")
	sig=""
	if [ $hv -eq 1 ]; then
		# The hypervisor's signature, CPUID 0x40000000 EBX ECX EDX.
		sig=$("$HWREAD" cpuid 0 0x40000000 | awk '
		function hex(h) {
			return (index("0123456789abcdef", substr(h, 1, 1)) - 1) * 16 + \
				index("0123456789abcdef", substr(h, 2, 1)) - 1
		}
		{
			s = ""
			split($2 " " $3 " " $4, w, " ")
			for (i = 1; i <= 3; i++)
				for (j = 0; j < 4; j++) {
					c = hex(substr(w[i], 7 - 2 * j, 2))
					if (c) s = s sprintf("%c", c)
				}
			print s
		}')
	fi
	diag "expected: \"$no_line\", vendor $vendor, hypervisor signature '${sig:-none}'"

	show -n 12
	cp "$OUT" /tmp/novmx.plain
	ok=0
	[ $rc -eq 1 ] && ! [ -s "$ERR" ] && [ "$(head -n 1 "$OUT")" = "$no_line" ] && ok=1
	ktap_check "vmxcap-show: exit 1, \"$no_line\"" test $ok -eq 1
	ok=0
	grep -q "^CPU: $vendor family " "$OUT" && ok=1
	if [ -n "$sig" ]; then
		grep "^Hypervisor: " "$OUT" | grep -qF -- "$sig" || ok=0
	else
		grep -q "^Hypervisor: none" "$OUT" || ok=0
	fi
	ktap_check "vmxcap-show: names the vendor $vendor and the hypervisor (${sig:-none})" test $ok -eq 1
	ktap_check "vmxcap-show (root): the source is msr.ko" says "$OUT" "Source: msr.ko, /dev/cpu, as root"
	# The kernel refuses the module here (above): no advice to load it, and
	# no nested VMX to speak of.
	ok=0
	says "$OUT" "but not loaded: it loads only on CPUs with VMX, and CPUID has none here" &&
		! grep -q 'modprobe vmxcap' "$OUT" && ok=1
	if [ -n "$sig" ]; then
		says "$OUT" "it passes no VMX to this VM" || ok=0
	fi
	ktap_check "vmxcap-show: says why the module is not loaded, without advice to load it" test $ok -eq 1

	show --require ept
	ok=0
	[ $rc -eq 1 ] && ! [ -s "$ERR" ] && grep -q "^vmxcap-show: NO: cpu $cpus ($vendor) ha[sv]e* no VMX in CPUID" "$OUT" && ok=1
	ktap_check "vmxcap-show --require ept: exit 1, NO: cpu $cpus ($vendor) no VMX in CPUID" test $ok -eq 1

	show --load
	ok=0
	[ $rc -eq 2 ] && ! [ -s "$OUT" ] && one_line "$ERR" &&
		has "$ERR" "refused vmxcap: no online CPU has VMX" && ok=1
	ktap_check "vmxcap-show --load: exit 2, one line: the kernel refused it, no VMX" test $ok -eq 1

	# Each source on its own.
	show --source sysfs
	ok=0
	[ $rc -eq 2 ] && ! [ -s "$OUT" ] && one_line "$ERR" && has "$ERR" "--source sysfs: " && ok=1
	ktap_check "--source sysfs: exit 2, one stderr line, nothing on stdout" test $ok -eq 1
	show -n 3 --source msr
	ok=0
	[ $rc -eq 1 ] && ! [ -s "$ERR" ] && [ "$(head -n 1 "$OUT")" = "$no_line" ] &&
		says "$OUT" "Source: msr.ko, /dev/cpu, as root" && ok=1
	ktap_check "--source msr (root): exit 1, not in CPUID, from msr.ko" test $ok -eq 1
	show -n 3 --source msr --dump
	cp "$OUT" /tmp/novmx.dump
	dump_lines /tmp/novmx.dump >/tmp/novmx.dl
	n=$(online_cpus | wc -l)
	ok=0
	[ $rc -eq 0 ] && grep -q '"source": "msr"' /tmp/novmx.dump && ! grep -q '^msr \|^faulted ' /tmp/novmx.dl &&
		[ "$(grep -c '^flag [0-9]* vmx false$' /tmp/novmx.dl)" -eq "$n" ] && ok=1
	diag "msr.ko dump: $(grep -c '^cpu ' /tmp/novmx.dl) CPUs, $(grep -c '^msr ' /tmp/novmx.dl) MSR values; vmxcap_hwread msr 0 0x480: $("$HWREAD" msr 0 0x480)"
	ktap_check "--source msr --dump: every CPU vmx false, no MSR read" test $ok -eq 1
	show -n 3 --source cpuinfo
	ok=0
	[ $rc -eq 1 ] && ! [ -s "$ERR" ] && [ "$(head -n 1 "$OUT")" = "$no_line" ] &&
		says "$OUT" "Source: /proc/cpuinfo and CPUID" && ok=1
	ktap_check "--source cpuinfo: exit 1, not in CPUID, from /proc/cpuinfo" test $ok -eq 1
	show -n 3 as-nobody
	ok=0
	[ $rc -eq 1 ] && ! [ -s "$ERR" ] && [ "$(head -n 1 "$OUT")" = "$no_line" ] &&
		says "$OUT" "Source: /proc/cpuinfo and CPUID" && says "$OUT" "run as root" && ok=1
	ktap_check "unprivileged: exit 1, not in CPUID, from /proc/cpuinfo (msr.ko needs root)" test $ok -eq 1
fi
ktap_finish
