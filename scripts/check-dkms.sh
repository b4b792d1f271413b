#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-dkms.sh: install vmxcap with DKMS the way a user does, against the
# installed Debian 6.1 headers (/lib/modules/<6.1 release>/build, from
# linux-headers-amd64), and check that modprobe would find the result:
#   dkms add <tree>, dkms build, dkms install, then modinfo -k <release>
#   (version = VERSION, description, x86 CPU-feature alias for VMX),
#   modprobe --show-depends, and dkms remove leaving nothing behind.
# Needs root; takes over vmxcap/<version> in DKMS (removes it first if a
# previous run left it).  Prints TAP-ish lines and "N passed, N failed".
# Functions run from traps and subshells look unreachable to shellcheck.
# shellcheck disable=SC2317
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd -P)

n=0
passed=0
failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() {	# check DESCRIPTION COMMAND...: one test from a command's status
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
comment() { sed 's/^/# /'; }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if [ "$(id -u)" -ne 0 ] || ! command -v dkms >/dev/null; then
	not_ok "dkms: needs root and the dkms package (scripts/deps.sh build)"
	finish
fi

# The installed 6.1 headers: newest /lib/modules/6.1.*/build.
rel=$(for b in /lib/modules/6.1.*/build; do
	[ -f "$b/Makefile" ] && basename "$(dirname "$b")"
done | sort -V | tail -n 1)
if [ -z "$rel" ]; then
	not_ok "dkms: no installed 6.1 headers (/lib/modules/6.1.*/build; linux-headers-amd64)"
	finish
fi

# What a user's tree holds for DKMS; only these are copied (dkms add copies
# the whole directory to /usr/src/vmxcap-<version>).
stage=$(mktemp -d /tmp/vmxcap-dkms.XXXXXX)
ver=""
cleanup() {
	if [ -n "$ver" ]; then
		dkms remove "vmxcap/$ver" --all >/dev/null 2>&1
		rm -rf "/usr/src/vmxcap-$ver"
	fi
	rm -rf "$stage"
}
trap cleanup EXIT
src=$stage/vmxcap
mkdir -p "$src"
cp "$top/dkms.conf" "$top/Kbuild" "$src/"
[ -f "$top/VERSION" ] && cp "$top/VERSION" "$src/"
# Sources only: no objects of an earlier in-tree build.
(cd "$top" && find module include -name '*.[ch]' -print0 | xargs -0 -r cp --parents -t "$src")

# The version: VERSION's first line that starts with a digit (as Kbuild
# reads it; dkms.conf carries it as a literal, which must be the same).
ver=$(sed -n '/^[0-9]/{p;q}' "$top/VERSION" 2>/dev/null)
if [ -z "$ver" ]; then
	not_ok "dkms: no version in VERSION"
	finish
fi
# The same version dkms.conf yields when DKMS sources it.
confver=$(bash -c '. "$1"; echo "$PACKAGE_NAME $PACKAGE_VERSION"' sh "$src/dkms.conf")
check "dkms.conf: PACKAGE_NAME vmxcap, PACKAGE_VERSION $ver as VERSION says (got '$confver')" \
	test "$confver" = "vmxcap $ver"

# check-packages.sh installs vmxcap/<version> through DKMS too: never both
# at once.
cache=${VMXCAP_CACHE:-/var/cache/vmxcap}
mkdir -p "$cache/locks"
exec 9>"$cache/locks/dkms-vmxcap.lock"
flock 9

# A previous run that died half-way may have left it registered.
dkms remove "vmxcap/$ver" --all >/dev/null 2>&1
rm -rf "/usr/src/vmxcap-$ver"

echo "# kernel $rel, vmxcap $ver"
out=$(dkms add "$src" 2>&1)
rc=$?
echo "$out" | comment
check "dkms add" test $rc -eq 0

out=$(dkms build "vmxcap/$ver" -k "$rel" 2>&1)
rc=$?
echo "$out" | comment
check "dkms build -k $rel" test $rc -eq 0
built=no
[ $rc -eq 0 ] && built=yes
mlog=/var/lib/dkms/vmxcap/$ver/$rel/x86_64/log/make.log
[ -f "$mlog" ] || mlog=/var/lib/dkms/vmxcap/$ver/build/make.log
if [ -f "$mlog" ]; then
	comment <"$mlog"
	if grep -q 'warning:' "$mlog"; then
		not_ok "dkms build: no warnings in make.log"
	else
		ok "dkms build: no warnings in make.log"
	fi
else
	not_ok "dkms build: make.log exists"
fi

if [ "$built" = yes ]; then
	out=$(dkms install "vmxcap/$ver" -k "$rel" 2>&1)
	rc=$?
	echo "$out" | comment
	check "dkms install -k $rel" test $rc -eq 0
else
	not_ok "dkms install -k $rel (not tried: the build failed)"
fi

# modinfo -k and modprobe resolve the name through modules.dep of that kernel,
# exactly as loading would.
path=$(modinfo -k "$rel" -n vmxcap 2>/dev/null)
case "$path" in
"/lib/modules/$rel/"*vmxcap.ko*) ok "modinfo -k $rel finds $path" ;;
*) not_ok "modinfo -k $rel finds vmxcap under /lib/modules/$rel (got '$path')" ;;
esac
# (the signature's hex dump says nothing here)
modinfo -k "$rel" vmxcap 2>&1 | grep -Ev '^(signature:|[[:space:]])' | comment
dep=$(modprobe -S "$rel" --show-depends vmxcap 2>&1)
echo "$dep" | comment
case "$dep" in
*"insmod $path"*) ok "modprobe -S $rel would load $path" ;;
*) not_ok "modprobe -S $rel would load vmxcap" ;;
esac

v=$(modinfo -k "$rel" -F version vmxcap 2>/dev/null)
check "modinfo version '$v' = VERSION '$ver'" test "$v" = "$ver"
d=$(modinfo -k "$rel" -F description vmxcap 2>/dev/null)
check "modinfo description '$d' is set" test -n "$d"
# X86_FEATURE_VMX is word 4 bit 5 of the kernel's CPU feature words, 0x85:
# the x86cpu device table makes udev's alias carry it.
a=$(modinfo -k "$rel" -F alias vmxcap 2>/dev/null | tr '\n' ' ')
if echo "$a" | grep -Eq 'cpu:type:x86,[^ ]*feature:[^ ]*0085'; then
	ok "modinfo alias '$a' matches the VMX CPU feature (0085)"
else
	not_ok "modinfo alias '$a' matches cpu:type:x86,...feature:*0085*"
fi

out=$(dkms remove "vmxcap/$ver" --all 2>&1)
rc=$?
echo "$out" | comment
left=$(find "/lib/modules/$rel" -name 'vmxcap.ko*' 2>/dev/null)
st=$(dkms status vmxcap 2>/dev/null)
if [ $rc -eq 0 ] && [ -z "$left" ] && [ -z "$st" ]; then
	ok "dkms remove: no module file, no dkms status left"
else
	not_ok "dkms remove (rc $rc, left: $left, status: $st)"
fi
rm -rf "/usr/src/vmxcap-$ver"
ver=""
finish
