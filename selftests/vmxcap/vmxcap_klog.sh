# SPDX-License-Identifier: GPL-2.0
#
# What the kernel log must not contain, in one place: sourced by the
# selftests (vmxcap_lib.sh) and by the VM harness's /init
# (tests/vm/guest-init); tests/vm/run.sh reads KLOG_BAD from this file.
# At the start of a message: "RETBleed: WARNING: ..." on Skylake is advice,
# "WARNING: CPU: 0 PID: 1 at ..." is a WARN() splat.
KLOG_BAD='(^|\] )(WARNING:|BUG:|Oops|general protection fault|Kernel panic|Call Trace:)|lockdep|possible circular locking|possible recursive locking|sleeping function called from invalid context|ODEBUG:|new suspected memory leak'

# Standard input without the failures injected on purpose: fault injection
# (vmxcap_fault_sweep.sh) logs "FAULT_INJECTION: forcing a failure." and a
# stack that ends in "</TASK>", which would otherwise read as a Call Trace.
klog_without_injected() {
	awk '/FAULT_INJECTION: forcing a failure/ { skip = 1 }
		!skip { print }
		skip && /<\/TASK>/ { skip = 0 }'
}
