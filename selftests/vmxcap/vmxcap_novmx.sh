#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Without VMX in any CPU's CPUID (AMD, or a hypervisor that hides it, such as
# QEMU's TCG), loading must fail with ENODEV, leave one kernel log line that
# says why, and leave no /sys/kernel/vmxcap behind.  vmxcap-show (when in
# the guest) then says there is no VMX (exit 1), --require answers no
# (exit 1), and --load fails with one line naming the cause (exit 2).
. "$(dirname "$0")/vmxcap_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "must run as root"
module_available || skip_all "vmxcap.ko not available (set VMXCAP_MODULE)"
vmxcap_oracle_devices || skip_all "msr.ko / cpuid.ko not available"
cpu_has_vmx && skip_all "a CPU has VMX: this test is for machines without it"

SHOW=$(command -v vmxcap-show)
if [ -n "$SHOW" ]; then ktap_header 8; else ktap_header 5; fi
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
	"$SHOW" >/tmp/novmx.out 2>&1
	rc=$?
	sed 's/^/#   /' /tmp/novmx.out
	ktap_check "vmxcap-show: exit 1, says $vendor has no VMX in CPUID" \
		sh -c "[ $rc -eq 1 ] && grep -q 'This CPU: $vendor .*VMX in CPUID: no' /tmp/novmx.out"
	"$SHOW" --require ept >/tmp/novmx.out 2>&1
	rc=$?
	sed 's/^/#   /' /tmp/novmx.out
	ktap_check "vmxcap-show --require ept: exit 1, NO" \
		sh -c "[ $rc -eq 1 ] && grep -q '^vmxcap-show: NO: this CPU ($vendor) has no VMX' /tmp/novmx.out"
	"$SHOW" --load >/tmp/novmx.out 2>/tmp/novmx.err
	rc=$?
	sed 's/^/#   /' /tmp/novmx.err
	ktap_check "vmxcap-show --load: exit 2, one line: the kernel refused it, no VMX" \
		sh -c "[ $rc -eq 2 ] && [ ! -s /tmp/novmx.out ] && [ \$(wc -l </tmp/novmx.err) -eq 1 ] &&
			grep -q 'refused vmxcap: no online CPU has VMX' /tmp/novmx.err"
fi
ktap_finish
