#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-kernel.sh: builds (once) a small x86-64 debug kernel from
# Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz) with the
# checkers of tests/vm/debug-kernel.config (KASAN, lockdep, kmemleak,
# DEBUG_KOBJECT_RELEASE, debugobjects, fault injection; the fragment says
# why each option is there) and prints ONE line on stdout: its cache
# directory D,
#   ${VMXCAP_CACHE:-/var/cache/vmxcap}/debug-kernel/<version>-<sha>/
# where <version> is linux-source-6.1's Debian version and <sha> the first
# 12 hex digits of the fragment's sha256.  D holds
#   D/bzImage     the kernel (boots with console=ttyS0 and a busybox
#                 initramfs under QEMU and Bochs, like tests/vm/)
#   D/config      its .config
#   D/System.map
#   D/release     `make kernelrelease`, e.g. 6.1.192-vmxcap-debug
#   D/build       KDIR for `make -C D/build M=DIR modules`: the whole source
#                 tree after the build, pruned of what only the kernel's own
#                 build needed: every *.o and *.a outside scripts/ and tools/
#                 (the host programs kbuild, modpost and objtool run from
#                 there are kept), vmlinux.o, .tmp_vmlinux*, and the
#                 intermediate images under arch/x86/boot.  Kept: the
#                 sources, Makefiles and Kconfig files, .config,
#                 include/config and include/generated, Module.symvers,
#                 scripts/ and tools/objtool/objtool, and vmlinux (symbols
#                 for reading reports; there is no debug info).
#   D/build.log   everything the build printed
#   D/done        written last: D is complete
# Progress and the summary (wall time, sizes) go to stderr.  When D/done
# exists it prints D and exits at once.
#
# Steps: scripts/deps.sh build (its group is a superset of what this
# needs); unpack; `make ARCH=x86_64 tinyconfig`; merge the fragment with
# scripts/kconfig/merge_config.sh -m; `make olddefconfig`; check that every
# option of the fragment ended up in .config as written (kconfig silently
# drops options whose dependencies are unmet) and fail naming the others;
# `nice -n 19 make -j2` (emulators run beside it: keep them responsive);
# prune; build a one-function module against D/build as a check.  On
# failure it prints the last 30 lines of D/build.log and exits 1; the next
# run starts D again from scratch.  A flock in $CACHE/locks makes parallel
# callers wait for one build.  VMXCAP_JOBS overrides -j2, VMXCAP_BUILD_NICE
# the build's nice level (19).
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd -P)
CACHE=${VMXCAP_CACHE:-/var/cache/vmxcap}
FRAG=$top/tests/vm/debug-kernel.config
TARBALL=/usr/src/linux-source-6.1.tar.xz
JOBS=${VMXCAP_JOBS:-2}
KMAKE=(make ARCH=x86_64)

me=build-debug-kernel.sh
say() { echo "$me: $*" >&2; }
die() { say "$*"; exit 1; }

[ -f "$FRAG" ] || die "no $FRAG"

src_version() { dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null; }
cache_dir() {
	local v sha
	v=$(src_version) || return 1
	[ -n "$v" ] && [ -f "$TARBALL" ] || return 1
	sha=$(sha256sum "$FRAG" | cut -c1-12)
	echo "$CACHE/debug-kernel/$v-$sha"
}

# Complete already: no dependencies, no lock needed (done is written last).
if D=$(cache_dir) && [ -f "$D/done" ]; then
	echo "$D"
	exit 0
fi

if ! "$top/scripts/deps.sh" build >&2; then
	die "cannot install the build dependencies (scripts/deps.sh build)"
fi
D=$(cache_dir) || die "linux-source-6.1 is not installed ($TARBALL)"

mkdir -p "$CACHE/locks" || die "cannot create $CACHE/locks"
exec 9>"$CACHE/locks/debug-kernel.lock"
flock 9
if [ -f "$D/done" ]; then	# another caller built it while we waited
	echo "$D"
	exit 0
fi

rm -rf "$D"
mkdir -p "$D" || die "cannot create $D"
B=$D/build
LOG=$D/build.log
: >"$LOG"
fail() {
	say "FAILED: $*"
	{ echo "--- last 30 lines of $LOG:"; tail -n 30 "$LOG"; } >&2
	exit 1
}
# run STEP CMD...: CMD's output goes to the log.
run() {
	local step=$1
	shift
	say "$step"
	echo "=== $step: $*" >>"$LOG"
	"$@" >>"$LOG" 2>&1 || fail "$step"
}

t0=$(date +%s)
say "building into $D (log: $LOG)"

run "unpacking $TARBALL" tar -xJf "$TARBALL" -C "$D"
mv "$D/linux-source-6.1" "$B" || fail "renaming the source tree"
cd "$B" || fail "cd $B"

run "make tinyconfig" "${KMAKE[@]}" tinyconfig
run "merging $FRAG" scripts/kconfig/merge_config.sh -m .config "$FRAG"
run "make olddefconfig" "${KMAKE[@]}" olddefconfig

# Every option line of the fragment, as it ended up in .config.
say "checking .config against the fragment"
refused=""
while IFS= read -r line; do
	case $line in
	CONFIG_*=n)
		opt=${line%%=*}
		grep -q "^$opt=" .config && refused="$refused
  $line, but .config has: $(grep "^$opt=" .config)"
		;;
	CONFIG_*=*)
		opt=${line%%=*}
		grep -qxF -- "$line" .config || refused="$refused
  $line, but .config has: $(grep -E "^$opt=|^# $opt is not set" .config || echo "nothing ($opt is not visible)")"
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		grep -q "^$opt=" .config && refused="$refused
  $line, but .config has: $(grep "^$opt=" .config)"
		;;
	esac
done <"$FRAG"
if [ -n "$refused" ]; then
	echo "options of $FRAG that kconfig did not take:$refused" >>"$LOG"
	say "kconfig did not take these options of $FRAG (unmet dependencies?):$refused"
	exit 1
fi
echo "=== every option of $FRAG is in .config as written" >>"$LOG"

t1=$(date +%s)
# Nice 19 by default, to stay out of the way of whatever else runs;
# scripts/check.sh sets 0, as the other stages yield to this one there.
NICE=${VMXCAP_BUILD_NICE:-19}
run "nice -n $NICE make -j$JOBS (vmlinux, bzImage, modules; 933 s measured with the other stages of make check yielding)" \
	nice -n "$NICE" "${KMAKE[@]}" -j"$JOBS" all
t2=$(date +%s)

"${KMAKE[@]}" -s kernelrelease >"$D/release" 2>>"$LOG" || fail "make kernelrelease"
for f in arch/x86/boot/bzImage:bzImage .config:config System.map:System.map; do
	cp "${f%%:*}" "$D/${f#*:}" || fail "copying ${f%%:*} to $D"
done

# What only the kernel's own build needed (see the header).
say "pruning the build tree"
find . \( -path ./scripts -o -path ./tools \) -prune -o \
	-type f \( -name '*.o' -o -name '*.a' \) -print0 | xargs -0 -r rm -f
rm -f vmlinux.o .tmp_vmlinux* arch/x86/boot/bzImage arch/x86/boot/vmlinux.bin \
	arch/x86/boot/compressed/vmlinux arch/x86/boot/compressed/vmlinux.bin* \
	arch/x86/boot/compressed/piggy.S arch/x86/boot/setup.elf arch/x86/boot/setup.bin

# The tree must still build external modules: a one-function module.
say "building a test module against $B"
T=$(mktemp -d /tmp/vmxcap-debug-kernel-mod.XXXXXX) || fail "mktemp"
cat >"$T/dkhello.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
static int __init dkhello_init(void) { return 0; }
static void __exit dkhello_exit(void) { }
module_init(dkhello_init);
module_exit(dkhello_exit);
MODULE_LICENSE("GPL");
EOF
echo 'obj-m := dkhello.o' >"$T/Kbuild"
echo "=== test module: make -C $B M=$T modules" >>"$LOG"
make -C "$B" M="$T" modules >>"$LOG" 2>&1 || { rm -rf "$T"; fail "test module build against $B"; }
vm=$(modinfo -F vermagic "$T/dkhello.ko" 2>/dev/null)
rm -rf "$T"
case $vm in
"$(cat "$D/release") "*) echo "=== test module vermagic: $vm" >>"$LOG" ;;
*) fail "test module's vermagic '$vm' does not name $(cat "$D/release")" ;;
esac

t3=$(date +%s)
bz=$(stat -c %s "$D/bzImage")
tree=$(du -sm "$B" | cut -f1)
{
	echo "=== release $(cat "$D/release")"
	echo "=== wall time: $((t3 - t0)) s in all, $((t2 - t1)) s of it in make -j$JOBS"
	echo "=== bzImage: $bz bytes; build tree: $tree MiB"
} >>"$LOG"
touch "$D/done"
say "done: $D"
say "kernel $(cat "$D/release"); wall time $((t3 - t0)) s ($(((t3 - t0) / 60)) min $(((t3 - t0) % 60)) s), of it make -j$JOBS $((t2 - t1)) s"
say "bzImage $bz bytes ($((bz / 1024)) KiB); build tree $tree MiB"
echo "$D"
