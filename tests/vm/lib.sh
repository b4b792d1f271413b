# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Functions of the VM harness (sourced by run.sh and demo.sh): kernels,
# module builds, initramfs, ISO, and booting QEMU or Bochs with a timeout.
# Everything fetched or built is kept under $VMXCAP_CACHE/vm and reused.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VMXCAP_CACHE=${VMXCAP_CACHE:-/var/cache/vmxcap}
VMDIR=$VMXCAP_CACHE/vm

log() { echo "check-vm: $*" >&2; }

# The guests' kernel command line.  115200 baud: at the default 9600 the
# serial console sends under 1 KB per emulated second, so a test that
# prints a few KB quickly leaves the console seconds behind, and what is
# still queued at power-off is lost (with VMXCAP-END).
GUEST_CMDLINE="console=ttyS0,115200 quiet panic=-1"

# ---- kernels ------------------------------------------------------------

# Prints the cache directory of KERNEL (6.1, 6.12, 7.3): the build-matrix
# helper's scripts/kernel-cache.sh (release, vmlinuz, modules/, build).
kernel_dir() {
	"$ROOT/scripts/kernel-cache.sh" "$1"
}

# Whether module RELPATH-without-.ko is built into the kernel in D.
kmod_builtin() {	# D RELPATH
	grep -qx "$2.ko" "$1/modules/lib/modules/$(cat "$1/release")/modules.builtin" 2>/dev/null
}

# Copies a module of the kernel in D to FILE, unpacking .xz (busybox insmod
# cannot); nothing for one built into the kernel (the debug kernel's msr).
# Usage: copy_kmod D RELPATH-without-.ko DEST
copy_kmod() {
	local src
	src=$1/modules/lib/modules/$(cat "$1/release")/$2
	if kmod_builtin "$1" "$2"; then
		return 0
	elif [ -f "$src.ko" ]; then
		cp "$src.ko" "$3"
	elif [ -f "$src.ko.xz" ]; then
		xz -dc "$src.ko.xz" >"$3"
	else
		log "no $2.ko in $1"
		return 1
	fi
}

# Copies module NAME (its file name without .ko: kvm-intel) of the kernel in
# D and every module modules.dep says it needs into STAGE's /lib/modules,
# each at its path there (depmod -b then writes the guest's modules.dep).
# Usage: copy_kmod_deps D NAME STAGE
copy_kmod_deps() {
	local d=$1 rel dep line f
	rel=$(cat "$d/release")
	dep=$d/modules/lib/modules/$rel/modules.dep
	line=$(grep -E "(^|/)$2\.ko(\.[a-z]+)?:" "$dep") || { log "no $2 in $dep"; return 1; }
	for f in ${line%%:*} ${line#*:}; do
		f=${f%.ko*}
		mkdir -p "$3/lib/modules/$rel/${f%/*}" &&
			copy_kmod "$d" "$f" "$3/lib/modules/$rel/$f.ko" || return 1
	done
}

# ---- the module -----------------------------------------------------------

# Builds vmxcap.ko for KERNEL (cache directory D) from a copy of the tree and
# prints its path.  Cached by release and a hash of the module's sources and
# of the kernel it is built for (its .config and image): the debug kernel is
# rebuilt under the same release when its configuration changes, and a
# module built for the old one loads into the new one (no MODVERSIONS) with
# struct module laid out differently - rmmod then answered EBUSY.
build_module() {
	local k=$1 d=$2 rel hash out src rc
	rel=$(cat "$d/release")
	hash=$( (cd "$ROOT" && cat Kbuild VERSION module/* include/vmxcap/* 2>/dev/null
		cat "$d/build/.config" 2>/dev/null; readlink -f "$d/vmlinuz") |
		sha256sum | cut -c1-16)
	out=$VMDIR/modules/$rel-$hash
	if [ -f "$out/vmxcap.ko" ]; then
		echo "$out/vmxcap.ko"
		return 0
	fi
	rm -rf "$out" && mkdir -p "$out"
	src=$out/src
	mkdir -p "$src"
	cp -a "$ROOT/Kbuild" "$ROOT/VERSION" "$ROOT/module" "$ROOT/include" "$src/"
	if [ "${k%-debug}" != "$k" ]; then
		# The debug machines run under QEMU, whose CPUs have no VMX: a
		# test build that pretends they do (module parameter fake_vmx).
		make -C "$d/build" M="$src" VMXCAP_TEST_FAKE_VMX=1 modules >"$out/build.log" 2>&1
	elif [ "$k" = 7.3 ]; then
		# 7.3's kbuild programs need trixie; the chroot sees the cache
		# (and so D/build and $src) at the same paths.
		"$ROOT/scripts/trixie-chroot.sh" run -b "$src" -- \
			make -C "$d/build" M="$src" modules >"$out/build.log" 2>&1
	else
		make -C "$d/build" M="$src" modules >"$out/build.log" 2>&1
	fi
	rc=$?
	[ $rc -eq 0 ] && cp "$src/vmxcap.ko" "$out/"
	if [ $rc -ne 0 ] || [ ! -f "$out/vmxcap.ko" ]; then
		tail -n 20 "$out/build.log" | sed 's/^/# /' >&2
		return 1
	fi
	echo "$out/vmxcap.ko"
}

# ---- userspace ------------------------------------------------------------

# Builds the selftests (static) into DIR/vmxcap and writes DIR/list, the
# order kselftest's runner would use.
build_selftests() {
	local dir=$1 obj=$VMDIR/selftests-obj
	rm -rf "$dir" "$obj" && mkdir -p "$dir/vmxcap" "$obj" || return 1
	make -s -C "$ROOT/selftests/vmxcap" OUTPUT="$obj" VMXCAP_CACHE="$VMXCAP_CACHE" \
		all >"$obj/build.log" 2>&1 || { cat "$obj/build.log" >&2; return 1; }
	make -s -C "$ROOT/selftests/vmxcap" OUTPUT="$obj" VMXCAP_CACHE="$VMXCAP_CACHE" \
		emit_tests 2>/dev/null | sed 's/^.*://' >"$dir/list"
	# What kselftest's "install" would copy (it needs rsync; cp will do).
	(cd "$ROOT/selftests/vmxcap" && cp settings ./*.sh "$dir/vmxcap/") &&
	find "$obj" -maxdepth 1 -type f -perm -u+x -exec cp {} "$dir/vmxcap/" \; &&
	strip "$dir/vmxcap"/* 2>/dev/null
	return 0
}

# The vmxcap-show that goes into the guest: tools/vmxcap-show, or
# VMXCAP_VM_CLI (another build of it, e.g. of a snapshot of the tree).
cli_path() {
	echo "${VMXCAP_VM_CLI:-$ROOT/tools/vmxcap-show}"
}

# Builds tools/vmxcap-show, which build_initrd puts into the guest (the
# selftest vmxcap_cli.sh runs it there).  Build errors on stderr.  With
# VMXCAP_VM_CLI set, builds nothing and checks that file is there.
build_cli() {
	local log=$VMDIR/tools-build.log
	if [ -n "${VMXCAP_VM_CLI:-}" ]; then
		[ -x "$VMXCAP_VM_CLI" ] || { log "VMXCAP_VM_CLI=$VMXCAP_VM_CLI: no such program"; return 1; }
		return 0
	fi
	mkdir -p "$VMDIR"
	if ! make -s -C "$ROOT/tools" vmxcap-show >"$log" 2>&1; then
		tail -n 20 "$log" | sed 's/^/# /' >&2
		return 1
	fi
}

# ---- initramfs and ISO ----------------------------------------------------

# Copies the shared libraries ldd lists for FILE into STAGE at their paths.
copy_libs() {
	local m
	ldd "$2" 2>/dev/null | grep -o '/[^ ]*' | while read -r m; do
		cp -L --parents "$m" "$1/" 2>/dev/null
	done
}

# Usage: build_initrd D KO|"" SELFTESTS-DIR OUT.gz
build_initrd() {
	local d=$1 ko=$2 st=$3 out=$4 rel stage m
	rel=$(cat "$d/release")
	stage=$(mktemp -d "$VMDIR/initrd.XXXXXX") || return 1
	# mktemp's 0700 would become the guest's "/": unprivileged tests need 0755.
	chmod 755 "$stage"
	mkdir -p "$stage"/{bin,dev,proc,sys,tmp,etc,selftests} \
		"$stage/lib/modules/$rel/kernel/arch/x86/kernel" "$stage/lib/modules/$rel/extra"
	cp /bin/busybox "$stage/bin/busybox"
	for m in msr cpuid; do
		copy_kmod "$d" "kernel/arch/x86/kernel/$m" \
			"$stage/lib/modules/$rel/kernel/arch/x86/kernel/$m.ko" || return 1
	done
	# Debian's own KVM (kvm-intel.ko, kvm.ko, irqbypass.ko), which the
	# selftest vmxcap_kvm.sh loads to compare with vmxcap-show's prediction
	# (the debug kernel has no KVM: that test then skips).
	if [ -d "$d/debs" ]; then
		copy_kmod_deps "$d" kvm-intel "$stage" || return 1
	fi
	[ -n "$ko" ] && cp "$ko" "$stage/lib/modules/$rel/extra/vmxcap.ko"
	depmod -b "$stage" "$rel" 2>/dev/null
	cp -a "$st"/. "$stage/selftests/"
	[ -f "$ROOT/Documentation/ABI/testing/sysfs-kernel-vmxcap" ] &&
		cp "$ROOT/Documentation/ABI/testing/sysfs-kernel-vmxcap" "$stage/selftests/"
	# The CLI when it has been built (make tools), with its shared libraries
	# and libkmod, which it dlopen()s (so ldd does not list it) to explain a
	# missing tree and for --load.
	if [ -x "$(cli_path)" ]; then
		cp "$(cli_path)" "$stage/bin/vmxcap-show"
		copy_libs "$stage" "$(cli_path)"
		m=$(ldconfig -p | awk '$1 == "libkmod.so.2" && /x86-64/ { print $NF; exit }')
		if [ -n "$m" ]; then
			cp -L --parents "$m" "$stage/"
			copy_libs "$stage" "$m"
		else
			log "no libkmod.so.2 on the host: vmxcap-show --load cannot work in the guest"
		fi
	fi
	cp "$ROOT/tests/vm/guest-init" "$stage/init"
	cp "$ROOT/tests/vm/guest-demo" "$stage/demo"
	cp "$ROOT/tests/vm/guest-measure" "$stage/measure"
	chmod 755 "$stage/init" "$stage/demo" "$stage/measure"
	mknod "$stage/dev/console" c 5 1
	mknod "$stage/dev/null" c 1 3
	(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -6 >"$out"
	rm -rf "$stage"
}

# A one-off Bochs boot of KERNEL in DIR (make demo, make measure): module,
# selftests, initramfs and ISO, the guest running vmxcap_harness.mode=MODE.
# Prints the kernel's cache directory.
prepare_oneoff() {
	local dir=$1 k=$2 model=$3 mode=$4 d ko append
	d=$(kernel_dir "$k") || { echo "cannot get kernel $k" >&2; return 1; }
	ko=$(build_module "$k" "$d") || { echo "vmxcap.ko does not build for $k" >&2; return 1; }
	build_selftests "$dir/selftests" || return 1
	build_initrd "$d" "$ko" "$dir/selftests" "$dir/initrd.gz" || return 1
	append="$GUEST_CMDLINE vmxcap_harness.mode=$mode"
	# Bochs's Skylake-X XSAVE: 6.1 WARNs, 7.3 oopses in fpu__init_system_xstate.
	[ "$model" = corei7_skylake_x ] && append="$append noxsave"
	build_iso "$(readlink -f "$d/vmlinuz")" "$dir/initrd.gz" "$append" "$dir/boot.iso" ||
		return 1
	echo "$d"
}

# Bochs cannot boot a kernel directly: an isolinux El Torito ISO.
# Usage: build_iso VMLINUZ INITRD APPEND OUT.iso
build_iso() {
	local t
	t=$(mktemp -d "$VMDIR/iso.XXXXXX") || return 1
	mkdir -p "$t/isolinux"
	cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$t/isolinux/"
	cp "$1" "$t/vmlinuz"
	cp "$2" "$t/initrd.gz"
	cat >"$t/isolinux/isolinux.cfg" <<EOF
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd.gz
  APPEND $3
EOF
	xorriso -as mkisofs -quiet -o "$4" -b isolinux/isolinux.bin -c isolinux/boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table "$t" 2>/dev/null
	local rc=$?
	rm -rf "$t"
	return $rc
}

# ---- booting --------------------------------------------------------------

# Kills every process whose working directory is DIR: the emulator (and
# `script`) of one run, found by PID, never by name.
kill_in_dir() {
	local p pid
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/cwd" 2>/dev/null)" = "$1" ] || continue
		pid=${p#/proc/}
		[ "$pid" = "$BASHPID" ] || kill -9 "$pid" 2>/dev/null
	done
}

# Kills emulators left by an earlier, interrupted run of the harness.
kill_stray() {
	local p cwd pid
	for p in /proc/[0-9]*; do
		cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
		case $cwd in "$VMDIR"/run/*|"$VMDIR"/demo*) ;; *) continue ;; esac
		pid=${p#/proc/}
		[ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] || kill -9 "$pid" 2>/dev/null
	done
}

# Appends "SECONDS LINE" to DIR/times for each new complete console line
# that marks the guest's progress (VMXCAP-*, a selftest's start), SECONDS
# of wall time since T0: how long the boot and each selftest took.  Uses
# wait_guest's $seen (the lines already looked at).
stamp_console() {	# DIR T0
	local n
	[ -f "$1/serial.txt" ] || return 0
	n=$(wc -l <"$1/serial.txt") || return 0
	[ "$n" -gt "$seen" ] || return 0
	tail -n +$((seen + 1)) "$1/serial.txt" | head -n $((n - seen)) | tr -d '\r' |
		grep -E '^(# selftests: vmxcap: |VMXCAP-)' |
		sed "s/^/$(( $(date +%s) - $2 )) /" >>"$1/times"
	seen=$n
}

# Waits for the guest in DIR (emulator started in the background as PID),
# stopping it at VMXCAP-END, a panic, or after TIMEOUT seconds, or after
# BOOT_LIMIT seconds (when given) without /init's first line.  Prints "end",
# "panic", "exit" (emulator quit without the end marker), "timeout" or
# "boothang".
wait_guest() {
	local dir=$1 pid=$2 why=timeout grace=0 end t0 seen=0 boot_end=0 lock=${5:-}
	t0=$(date +%s)
	end=$((t0 + $3))
	[ -n "${4:-}" ] && boot_end=$((t0 + $4))
	: >"$dir/times"
	while [ "$(date +%s)" -lt "$end" ]; do
		stamp_console "$dir" "$t0"
		if [ $boot_end -gt 0 ] && [ "$(date +%s)" -ge $boot_end ] &&
			! grep -q VMXCAP-BEGIN "$dir/serial.txt" 2>/dev/null; then
			why=boothang
			break
		fi
		# Booted: the next guest may boot (boot_qemu's lock).
		if [ -n "$lock" ] && grep -q VMXCAP-BEGIN "$dir/serial.txt" 2>/dev/null; then
			flock -u "$lock"
			lock=
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			why="exit"
			grep -q VMXCAP-END "$dir/serial.txt" 2>/dev/null && why=end
			break
		fi
		if grep -q VMXCAP-END "$dir/serial.txt" 2>/dev/null; then
			why=end
			# poweroff -f normally ends the emulator within seconds.
			grace=$((grace + 1))
			[ $grace -ge 15 ] && break
		elif grep -q 'Kernel panic' "$dir/serial.txt" 2>/dev/null; then
			sleep 3
			why=panic
			break
		fi
		sleep 1
	done
	stamp_console "$dir" "$t0"
	kill_in_dir "$dir"
	wait "$pid" 2>/dev/null
	echo "$why"
}

# Usage: boot_qemu DIR VMLINUZ INITRD CPUS TIMEOUT APPEND
# A boot that prints nothing from /init in QEMU_BOOT_LIMIT seconds (a
# normal one takes 5-30) is retried, 5 boots in all, and each retry is
# recorded in DIR/boot-retries (run.sh shows them; a machine none of whose
# boots reached /init is a skip).  The debug kernel,
# under TCG on a loaded machine, stopped in about every other boot at
# "Running RCU-tasks wait API self tests" (PROVE_RCU's synchronize_rcu_tasks()
# at boot; TASKS_RCU comes with TRACING under PREEMPTION), both vCPUs idle.
# Reproduced 2026-12-02 without quiet: 2 of 4 boots side by side stopped
# there for more than 150 s, before smp_init; noapictimer did not help.
# Since 2026-12-04 the kernel has no PREEMPT_DYNAMIC, hence no TASKS_RCU
# and no such self-test (tests/vm/debug-kernel.config): 5 of 5 boots of a
# make check-debug reached /init first time; the retries stay as a guard.
# Guests boot one at a time (a lock in DIR's parent, held until /init
# speaks): four debug kernels booting together under TCG on 2 host cores,
# beside make check's other stages, all took more than 90 s (measured
# 2026-12-02: one machine failed its three boots, another retried once).
QEMU_BOOT_LIMIT=${VMXCAP_QEMU_BOOT_LIMIT:-90}
boot_qemu() {
	local dir=$1 pid why try lock
	rm -f "$dir/boot-retries"
	for try in 1 2 3 4 5; do
		rm -f "$dir/serial.txt"
		exec {lock}>>"$dir/../boot.lock"
		flock "$lock"
		(cd "$dir" && exec qemu-system-x86_64 -accel tcg -smp "$4" -m 512 \
			-kernel "$2" -initrd "$3" -append "$GUEST_CMDLINE $6" \
			-display none -monitor none -serial file:serial.txt -no-reboot \
			</dev/null >qemu.out 2>&1 {lock}>&-) &
		pid=$!
		why=$(wait_guest "$dir" "$pid" "$5" "$QEMU_BOOT_LIMIT" "$lock")
		exec {lock}>&-
		[ "$why" = boothang ] || break
		echo "boot $try: nothing from /init in $QEMU_BOOT_LIMIT s: $(tr -d '\r' <"$dir/serial.txt" | tail -n 1)" >>"$dir/boot-retries"
	done
	echo "$why"
}

# Usage: boot_bochs DIR ISO MODEL CPUS TIMEOUT
# Debian's Bochs 2.7: no headless display but "term" on a pty (script), the
# debugger stops before the first instruction unless an rc file says "c",
# and the sound thread aborts unless sound is off.
boot_bochs() {
	local dir=$1 pid
	rm -f "$dir/serial.txt"
	cat >"$dir/bochsrc" <<EOF
megs: 512
cpu: model=$3, count=$4, ips=200000000, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path=$2, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=serial.txt
clock: sync=none, time0=local
display_library: term
sound: driver=dummy
plugin_ctrl: speaker=0, sb16=0, es1370=0
log: bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
EOF
	printf 'c\nquit\n' >"$dir/dbg.rc"
	(cd "$dir" && exec script -qfec "bochs -q -f bochsrc -rc dbg.rc" /dev/null \
		</dev/null >bochs.out 2>&1) &
	pid=$!
	drain_bochs_screen "$dir"
	wait_guest "$dir" "$pid" "$5"
}

# The term display draws the guest's screen on a pty of its own ("Bochs
# connected to screen /dev/pts/N") that nobody reads: once its buffer is
# full, Bochs blocks in write() and the whole machine stops (seen after a
# few minutes with 2 CPUs).  Read and discard it, raw and without echo (an
# echo would come back to Bochs as keyboard input).
drain_bochs_screen() {
	local dir=$1 pts="" _
	for _ in $(seq 1 60); do
		pts=$(tr -d '\r' <"$dir/bochs.out" 2>/dev/null |
			sed -n 's/^Bochs connected to screen "\(\/dev\/pts\/[0-9]*\)".*/\1/p')
		[ -n "$pts" ] && break
		sleep 0.5
	done
	[ -n "$pts" ] || { log "bochs: no screen pty in $dir/bochs.out"; return; }
	(cd "$dir" && exec sh -c 'stty -F "$1" raw -echo && exec cat "$1"' sh "$pts" \
		>/dev/null 2>"$dir/drain.err") &
}
