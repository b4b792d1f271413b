# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show's sources without the module, on copies of machines made here
# (--sysroot): msr.ko's devices as text (the module's msrs format), CPUID as
# cpuid -r prints it, /proc/cpuinfo as Linux writes it.  The expected
# answers come from the fixture values themselves, from Linux's reference
# vmx flags line for the same CPU (tests/data/reference/linux-vmx-flags/),
# and from what arch/x86/kernel/cpu/feat_ctl.c does (it clears vmx from
# /proc/cpuinfo's flags when firmware locked VMX off).
# Sourced by run-cli.sh: sources_cases BINARY LABEL.

# cpuid_lines VENDOR SIGNATURE ECX1 [HV_SIGNATURE [SVM]]: a CPU's cpuid -r lines.
cpuid_lines() {
	local v=$1 sig=$2 ecx=$3 hv=${4:-} svm=${5:-0}
	perl -e '
		my ($v, $sig, $ecx, $hv, $svm) = @ARGV;
		my @w = unpack("L<3", $v);	# EBX, EDX, ECX of leaf 0
		printf "0x00000000 0x00: eax=0x0000000d ebx=0x%08x ecx=0x%08x edx=0x%08x\n", $w[0], $w[2], $w[1];
		printf "0x00000001 0x00: eax=0x%08x ebx=0x00000000 ecx=0x%08x edx=0x00000000\n", hex($sig), hex($ecx);
		if ($hv ne "") {
			my @h = unpack("L<3", pack("a12", $hv));
			printf "0x40000000 0x00: eax=0x40000001 ebx=0x%08x ecx=0x%08x edx=0x%08x\n", @h;
		}
		printf "0x80000000 0x00: eax=0x80000008 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n";
		printf "0x80000001 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x%08x edx=0x00000000\n", $svm ? 4 : 0;
	' "$v" "$sig" "$ecx" "$hv" "$svm"
}

# make_root DIR ID NCPUS: DIR/dev/cpu/N/{msr,cpuid} and
# DIR/sys/devices/system/cpu/online for NCPUS copies of fixture ID (VMX in
# CPUID, no hypervisor), and a 6.1 kernel release.
make_root() {
	local dir=$1 id=$2 ncpus=$3 c fms sig
	rm -rf "$dir"
	mkdir -p "$dir/sys/devices/system/cpu" "$dir/proc/sys/kernel"
	echo "0-$((ncpus - 1))" >"$dir/sys/devices/system/cpu/online"
	echo "6.1.0-56-amd64" >"$dir/proc/sys/kernel/osrelease"
	fms=$(awk -F'\t' -v id="$id" '$1 == id { print $3 }' "$WORK/entries.tsv")
	IFS=_ read -r fam mod step <<<"$fms"
	# CPUID.1:EAX: stepping 3:0, model 7:4, family 11:8, extended model 19:16.
	sig=$(printf '0x%x' $(( (0x$step) | ((0x$mod & 0xf) << 4) | ((0x$fam & 0xf) << 8) |
		((0x$mod >> 4) << 16) )))
	for ((c = 0; c < ncpus; c++)); do
		mkdir -p "$dir/dev/cpu/$c"
		awk -F'\t' -v id="$id" '$1 == id { print $4 }' "$WORK/entries.tsv" | tr ' ' '\n' |
			sed -n 's/^\(0x[0-9a-f]*\)=/\1 /p' | while read -r k v; do
				printf '0x%03x %s\n' "$k" "$v"; done | sort >"$dir/dev/cpu/$c/msr"
		cpuid_lines GenuineIntel "$sig" 0x20 >"$dir/dev/cpu/$c/cpuid"
	done
}

# proc_cpuinfo NCPUS FLAGS_VMX VMX_FLAGS_LINE [hypervisor]: /proc/cpuinfo as
# Linux 6.1 writes it (only the lines vmxcap-show reads, and some others).
proc_cpuinfo() {
	local n=$1 vmx=$2 line=$3 hv=${4:-} c
	for ((c = 0; c < n; c++)); do
		printf 'processor\t: %d\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n' "$c"
		printf 'model\t\t: 85\nmodel name\t: Intel(R) Core(TM) i7-7800X CPU @ 3.50GHz\n'
		printf 'stepping\t: 4\nmicrocode\t: 0x1\n'
		printf 'flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep%s smx est%s\n' \
			"$([ "$vmx" = yes ] && echo " vmx")" "${hv:+ hypervisor}"
		[ -n "$line" ] && printf 'vmx flags\t: %s\n' "$line"
		printf 'bugs\t\t: spectre_v1\nbogomips\t: 7000.00\n\n'
	done
}

# linux_root DIR LINE: a copy of a 2-CPU machine as Linux 6.1 shows it to
# anyone (/proc/cpuinfo with vmx and the vmx flags LINE; no MSR).
linux_root() {
	rm -rf "$1" && mkdir -p "$1/proc/sys/kernel" "$1/sys/devices/system/cpu"
	echo 6.1.0-56-amd64 >"$1/proc/sys/kernel/osrelease"
	echo 0-1 >"$1/sys/devices/system/cpu/online"
	proc_cpuinfo 2 yes "$2" >"$1/proc/cpuinfo"
}

sources_cases() {
	local T=$1 L=$2 R=$WORK/roots SKX=bochs:corei7_skylake_x rc out k v bad
	local line61
	# What Linux 6.1 prints for these values (the vm-testing notes measured
	# it in a Bochs guest): the names 6.1 shows of the reference line.
	line61=$(grep '^cpu0 vmx flags' "$DATA/reference/linux-vmx-flags/bochs_corei7_skylake_x.txt" |
		sed 's/^cpu0 vmx flags[[:space:]]*: //; s/ ept_violation_ve//; s/ ept_5level//')

	# -- msr.ko's devices (as root): every value the copy holds, every CPU
	make_root "$R/msr" $SKX 2
	"$T" --sysroot "$R/msr" >"$WORK/o.txt" 2>"$WORK/e.txt"
	rc=$?
	[ $rc -eq 0 ] && grep -q "^Source: msr.ko, $R/msr/dev/cpu, as root" "$WORK/o.txt" &&
		grep -q "^  not used: vmxcap.ko: no $R/msr/sys/kernel/vmxcap" "$WORK/o.txt" &&
		grep -q '^VMX: usable on all 2 CPUs (0-1)' "$WORK/o.txt" && [ ! -s "$WORK/e.txt" ]
	ok $? "$L: msr source: usable on both CPUs, says msr.ko and why not vmxcap.ko"
	"$T" --sysroot "$R/msr" --dump >"$WORK/d.json"
	bad=0
	for c in 0 1; do
		while read -r k v; do
			got=$(jq -r --arg k "$(printf '0x%x' "$k")" --argjson c $c '.sets[] |
				select(.cpus | split(",") | any(. as $r | ($r | split("-") | map(tonumber)) as $b |
				$c >= $b[0] and $c <= ($b[1] // $b[0]))) | .msrs[$k]' "$WORK/d.json")
			[ "$got" = "$v" ] || { bad=$((bad + 1)); diag "cpu$c $k: dump $got, copy $v"; }
		done <"$R/msr/dev/cpu/$c/msr"
	done
	[ $bad -eq 0 ] && [ "$(jq -r '.source + " " + .kernel' "$WORK/d.json")" = "msr 6.1.0-56-amd64" ]
	ok $? "$L: msr source: --dump has every MSR value of both CPUs, source msr, kernel 6.1.0-56-amd64"
	sed -i 's/^0x48b .*/0x48b faulted/' "$R/msr/dev/cpu/1/msr"
	"$T" --sysroot "$R/msr" --cpu 1 --require ept >"$WORK/o.txt" 2>"$WORK/e.txt"
	rc=$?
	[ $rc -eq 2 ] && grep -q "cpu1 offers 'ept': reading IA32_VMX_PROCBASED_CTLS2 faulted" "$WORK/e.txt"
	ok $? "$L: a faulted read is said to be faulted, not unread: $(cat "$WORK/e.txt")"
	"$T" --sysroot "$R/msr" --dump | jq_true '.sets | length == 2 and (map(.faulted) == [[], ["0x48b"]])'
	ok $? "$L: msr source: the faulted read is in the dump as faulted (two sets)"

	# -- Linux's view (any user): the allowed-1 bits its vmx flags name
	make_root "$R/ok" $SKX 2
	rm "$R/ok/dev/cpu/0/msr" "$R/ok/dev/cpu/1/msr"
	proc_cpuinfo 2 yes "$line61" >"$R/ok/proc/cpuinfo"
	"$T" --sysroot "$R/ok" >"$WORK/o.txt"
	rc=$?
	[ $rc -eq 0 ] && grep -q '^VMX: usable on all 2 CPUs' "$WORK/o.txt" &&
		grep -q "^Source: $R/ok/proc/cpuinfo and CPUID, as any user" "$WORK/o.txt" &&
		grep -q "^  not used: msr.ko: no $R/ok/dev/cpu/0/msr" "$WORK/o.txt" &&
		grep -Eq '^EPT +yes ' "$WORK/o.txt" && grep -Eq '^  2 MB pages +\? ' "$WORK/o.txt" &&
		grep -q '^yes/no: as Linux.s vmx flags say' "$WORK/o.txt"
	ok $? "$L: cpuinfo source: usable (inferred), EPT yes from the line, 2 MB pages unknown (Linux has no name)"
	"$T" --sysroot "$R/ok" --require ept,vpid,unrestricted_guest >"$WORK/o.txt"
	[ $? -eq 0 ] && grep -q "OK: all 2 CPUs (0-1) offer ept, vpid, unrestricted_guest (as Linux's vmx flags say: allowed-1 bits only)" "$WORK/o.txt"
	ok $? "$L: cpuinfo: --require ept,vpid,unrestricted_guest exits 0, saying it is allowed-1 only"
	"$T" --sysroot "$R/ok" --require posted_intr >"$WORK/o.txt"
	[ $? -eq 1 ] && grep -q 'lack posted_intr' "$WORK/o.txt"
	ok $? "$L: cpuinfo: --require posted_intr exits 1 (not in Linux's line for these values)"
	for k in exit.load_pat eptp_switching ept_violation_ve; do
		"$T" --sysroot "$R/ok" --require $k >"$WORK/o.txt" 2>"$WORK/e.txt"
		rc=$?
		[ $rc -eq 2 ] && [ ! -s "$WORK/o.txt" ] && grep -q 'run as root (msr.ko) or load vmxcap.ko to know' "$WORK/e.txt"
		ok $? "$L: cpuinfo: --require $k exits 2, never a guess: $(cat "$WORK/e.txt")"
	done
	"$T" --sysroot "$R/ok" --dump >"$WORK/d.json"
	[ "$(jq -r '.sets | length' "$WORK/d.json")" = 1 ] &&
		[ "$(jq -r '.sets[0].linux.vmx_flags' "$WORK/d.json")" = "$line61" ] &&
		"$T" --input "$WORK/d.json" --require ept >/dev/null &&
		"$T" --input "$WORK/d.json" --dump | cmp -s - "$WORK/d.json"
	ok $? "$L: cpuinfo: --dump carries Linux's line; it reads back to the same answers and dump"
	"$T" --sysroot "$R/ok" --flags >"$WORK/o.txt"
	[ "$(sed -n 's/^cpu1 vmx flags\t: //p' "$WORK/o.txt")" = "$line61" ]
	ok $? "$L: cpuinfo: --flags gives Linux's own line"

	# -- firmware locked VMX off: CPUID has VMX, Linux's flags do not
	cp -r "$R/ok" "$R/off"
	proc_cpuinfo 2 no "" >"$R/off/proc/cpuinfo"
	"$T" --sysroot "$R/off" >"$WORK/o.txt"
	rc=$?
	[ $rc -eq 0 ] && grep -q '^VMX: disabled by firmware on all 2 CPUs' "$WORK/o.txt" &&
		grep -q 'CPUID reports VMX, but Linux cleared vmx' "$WORK/o.txt" &&
		tr -s "\n " "  " <"$WORK/o.txt" | grep -q 'enable VT-x (Intel Virtualization Technology) in the firmware setup' &&
		grep -q '^What VMX offers here is not known from this source' "$WORK/o.txt"
	ok $? "$L: cpuinfo: VMX in CPUID, not in Linux's flags: disabled by firmware, with the reasoning"
	sed 's/^/#   /' "$WORK/o.txt" | head -n 6
	"$T" --sysroot "$R/off" --require ept >"$WORK/o.txt"
	[ $? -eq 1 ] && grep -q '^vmxcap-show: NO: cpu 0-1: disabled by firmware' "$WORK/o.txt"
	ok $? "$L: cpuinfo: --require ept on firmware-disabled CPUs exits 1"
	"$T" --sysroot "$R/off" --flags >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ $? -eq 0 ] && [ ! -s "$WORK/o.txt" ] && grep -q "^vmxcap-show: cpu0: no line: Linux's flags lack vmx" "$WORK/e.txt"
	ok $? "$L: cpuinfo: --flags prints no line where Linux prints none, and says why on stderr"
	# Inside a VM: the host's configuration, not the firmware.
	cp -r "$R/off" "$R/offvm"
	for c in 0 1; do
		cpuid_lines GenuineIntel 0x50654 0x80000020 KVMKVMKVM >"$R/offvm/dev/cpu/$c/cpuid"
	done
	proc_cpuinfo 2 no "" hv >"$R/offvm/proc/cpuinfo"
	"$T" --sysroot "$R/offvm" | tr -s "\n " "  " >"$WORK/o.txt"
	grep -q 'enable nested virtualization for this VM in the host' "$WORK/o.txt" &&
		! grep -q 'firmware setup' "$WORK/o.txt" && grep -q 'Hypervisor: KVM (signature KVMKVMKVM)' "$WORK/o.txt"
	ok $? "$L: cpuinfo under KVM, VMX locked off: the host's configuration, not the firmware"
	# clearcpuid=vmx hides VMX from Linux whatever the firmware did.
	cp -r "$R/off" "$R/hid"
	echo "BOOT_IMAGE=/vmlinuz root=/dev/sda1 clearcpuid=pku,vmx quiet" >"$R/hid/proc/cmdline"
	"$T" --sysroot "$R/hid" | tr -s "\n " "  " >"$WORK/o.txt"
	grep -q '^VMX: unknown on all 2 CPUs' "$WORK/o.txt" && grep -q 'booted with clearcpuid=vmx' "$WORK/o.txt"
	ok $? "$L: cpuinfo with clearcpuid=vmx: unknown, not blamed on firmware"
	# The MSRs say usable, but KVM asks the kernel (boot_cpu_has(X86_FEATURE_VMX)),
	# which clearcpuid=vmx cleared: 6.1's kvm_intel then logs x86.c's "disabled
	# by bios" line and fails with EOPNOTSUPP (seen in Bochs: clrcpuid-6.1).
	make_root "$R/msrhid" $SKX 2
	proc_cpuinfo 2 no "" >"$R/msrhid/proc/cpuinfo"
	echo "BOOT_IMAGE=/vmlinuz clearcpuid=vmx quiet" >"$R/msrhid/proc/cmdline"
	out=$("$T" --sysroot "$R/msrhid" --require kvm --json)
	rc=$?
	[ $rc -eq 1 ] && [ "$(jq -r .verdict <<<"$out")" = refuses ] &&
		[ "$(jq -r .log <<<"$out")" = "kvm: support for 'kvm_intel' disabled by bios" ] &&
		[ "$(jq -r .errno <<<"$out")" = EOPNOTSUPP ] &&
		jq -r '.reasons[]' <<<"$out" | grep -qxF 'modprobe kvm_intel fails: Operation not supported (x86.c:9465)'
	ok $? "$L: msr source, booted clearcpuid=vmx: --require kvm refuses as kvm_intel does (disabled by bios, EOPNOTSUPP): $out"
	proc_cpuinfo 2 yes "$line61" >"$R/msrhid/proc/cpuinfo"
	echo "BOOT_IMAGE=/vmlinuz quiet" >"$R/msrhid/proc/cmdline"
	out=$("$T" --sysroot "$R/msrhid" --require kvm --json)
	[ $? -eq 0 ] && [ "$(jq -r .verdict <<<"$out")" = runs ]
	ok $? "$L: msr source, vmx in Linux's flags: --require kvm runs"

	# -- no VMX in CPUID: what is there instead
	cp -r "$R/ok" "$R/amd"
	for c in 0 1; do
		cpuid_lines AuthenticAMD 0xa00f11 0x80000000 KVMKVMKVM 0 >"$R/amd/dev/cpu/$c/cpuid"
	done
	sed -i 's/GenuineIntel/AuthenticAMD/; s/ vmx / /; /^vmx flags/d' "$R/amd/proc/cpuinfo"
	"$T" --sysroot "$R/amd" | tr -s "\n " "  " >"$WORK/o.txt"
	[ "${PIPESTATUS[0]}" -eq 1 ] && grep -q '^VMX: not in CPUID on all 2 CPUs' "$WORK/o.txt" &&
		grep -q 'an AMD CPU in a virtual machine: KVM offers it neither VMX nor SVM (no SVM in CPUID either)' "$WORK/o.txt"
	ok $? "$L: AMD guest without SVM in CPUID: exit 1, neither VMX nor SVM offered"
	for c in 0 1; do
		cpuid_lines AuthenticAMD 0xa00f11 0 "" 1 >"$R/amd/dev/cpu/$c/cpuid"
	done
	"$T" --sysroot "$R/amd" | tr -s "\n " "  " >"$WORK/o.txt"
	grep -q 'its virtualization is AMD-V (SVM, in CPUID here)' "$WORK/o.txt"
	ok $? "$L: AMD with SVM in CPUID: its virtualization is AMD-V"
	"$T" --sysroot "$R/amd" --require ept >"$WORK/o.txt"
	[ $? -eq 1 ] && grep -q '^vmxcap-show: NO: cpu 0-1 (AuthenticAMD) have no VMX in CPUID' "$WORK/o.txt"
	ok $? "$L: --require on CPUs without VMX: exit 1: $(cat "$WORK/o.txt")"

	# -- choosing the source, and its errors
	"$T" --sysroot "$R/ok" --source sysfs >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ $? -eq 2 ] && [ ! -s "$WORK/o.txt" ] && [ "$(wc -l <"$WORK/e.txt")" -eq 1 ] &&
		grep -q '^vmxcap-show: --source sysfs: vmxcap.ko: no ' "$WORK/e.txt"
	ok $? "$L: --source sysfs without the tree: exit 2, one line: $(cat "$WORK/e.txt")"
	"$T" --sysroot "$R/ok" --source msr >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ $? -eq 2 ] && [ ! -s "$WORK/o.txt" ] && grep -q '^vmxcap-show: --source msr: msr.ko: no ' "$WORK/e.txt"
	ok $? "$L: --source msr without the devices: exit 2: $(cat "$WORK/e.txt")"
	"$T" --sysroot "$R/msr" --source cpuinfo >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ $? -eq 2 ] && grep -q "proc/cpuinfo: No such file or directory" "$WORK/e.txt"
	ok $? "$L: --source cpuinfo without /proc/cpuinfo: exit 2: $(cat "$WORK/e.txt")"
	sed -i '/^0x48c /d' "$R/msr/dev/cpu/0/msr"
	"$T" --sysroot "$R/msr" >"$WORK/o.txt" 2>"$WORK/e.txt"
	[ $? -eq 2 ] && [ ! -s "$WORK/o.txt" ] && grep -q 'the copy has no line for MSR 0x48c' "$WORK/e.txt"
	ok $? "$L: an MSR that exists but is missing from a copy: exit 2: $(cat "$WORK/e.txt")"
}
