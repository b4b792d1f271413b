#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-packages.sh (make check-packages): the Debian packages, built,
# linted, inspected, installed and purged.
#   1. One version everywhere: VERSION, debian/changelog's upstream version,
#      and dkms.conf's PACKAGE_VERSION both as DKMS reads it (bash sources
#      the file) and as dh_dkms reads it (a Perl regex over the text: no
#      shell, so a $(...) there becomes a directory name).
#   2. dpkg-buildpackage -us -uc (source and binaries) in a scratch copy of
#      the tree (the files git tracks or would track: uncommitted edits
#      count, build products do not); the checkout gets nothing.
#   3. lintian -I -E --pedantic on the .changes (the .dsc and the .debs): no
#      error and no warning; overrides only in debian/*.lintian-overrides,
#      each with its reason.
#   4. What lintian does not check (dpkg-deb -c, -e): dkms.conf at
#      /usr/src/vmxcap-VERSION/dkms.conf, DKMS_VERSION=VERSION in postinst
#      and prerm, BUILD_EXCLUSIVE_ARCH, the tool, its man page, completion,
#      the fact examples (executable), the systemd units of --prometheus
#      (ExecStart /usr/bin/vmxcap-show, the timer enabled by postinst) and the
#      example alert rules.
#   5. apt-get install ./vmxcap-dkms_*.deb ./vmxcap-tools_*.deb here: DKMS
#      builds for the installed 6.1 headers; dkms status, modinfo (version,
#      CPU-feature alias, DKMS's signature), vmxcap-show --version, man -w,
#      the completion, the units (systemd-analyze verify, the timer's
#      enablement symlink); then apt-get purge: every path dpkg -L listed gone
#      (directories only where no other package owns them), /usr/src and
#      the DKMS tree clean, no vmxcap.ko left, the same installed packages
#      as before.
#   6. The same in a throwaway overlay of the trixie chroot of the build
#      matrix (scripts/trixie-chroot.sh; the cached chroot itself is never
#      changed): trixie's apt, dpkg and dkms, the 7.3 headers of
#      scripts/kernel-cache.sh 7.3 appearing after the packages (as a new
#      kernel's headers do), DKMS's kernel hook building for them.
# Leaves the machine as it found it: a vmxcap/VERSION that scripts/check-
# dkms.sh (or `dkms add .`) left registered is set aside and put back, and
# a DKMS signing key this run created is removed.  Refuses (one failure)
# when vmxcap-dkms or vmxcap-tools is installed, rather than purge it.
# Downloads (trixie packages) are cached in ${VMXCAP_CACHE:-/var/cache/vmxcap}/packages.
# Needs root.  Prints TAP-ish lines and ends with "N passed, N failed".
# Functions run from traps and subshells look unreachable to shellcheck.
# shellcheck disable=SC2317
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd -P)
CACHE=$(realpath -m "${VMXCAP_CACHE:-/var/cache/vmxcap}")
t0=$SECONDS

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
elapsed() { echo "# $1: $((SECONDS - t0)) s since start"; }
# shellcheck source=scripts/check-packages-module.sh
. "$top/scripts/check-packages-module.sh"
finish() {
	echo "# check-packages: $((SECONDS - t0)) s"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if [ "$(id -u)" -ne 0 ]; then
	not_ok "check-packages needs root (it installs and purges the packages)"
	finish
fi
if scripts/deps.sh packages; then
	ok "packaging dependencies installed (scripts/deps.sh packages)"
else
	not_ok "scripts/deps.sh packages"
	finish
fi
export DEBIAN_FRONTEND=noninteractive
elapsed deps

# --- 1. versions ------------------------------------------------------------
ver=$(sed -n '/^[0-9]/{p;q}' VERSION 2>/dev/null)
if [ -z "$ver" ]; then
	not_ok "VERSION has a version line"
	finish
fi
debver=$(dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null)
upver=${debver%-*}
upver=${upver#*:}
check "debian/changelog's upstream version '$upver' ($debver) = VERSION '$ver'" \
	test "$upver" = "$ver"
bashver=$(bash -c '. "$1" && echo "$PACKAGE_NAME $PACKAGE_VERSION"' sh dkms.conf 2>&1)
check "dkms.conf sourced by bash (as DKMS does): 'vmxcap $ver' (got '$bashver')" \
	test "$bashver" = "vmxcap $ver"
# dh_dkms's own expressions (dh_dkms 3.0.10: last match wins, no shell).
dhname=$(perl -ne '/PACKAGE_NAME=(["\x27]?)(.*)\1/ && ($v = $2); END { print $v // "" }' dkms.conf)
dhver=$(perl -ne '/PACKAGE_VERSION=(["\x27]?)(.*)\1/ && ($v = $2); END { print $v // "" }' dkms.conf)
check "dkms.conf read as dh_dkms reads it: PACKAGE_NAME 'vmxcap' (got '$dhname'), PACKAGE_VERSION '$ver' (got '$dhver')" \
	test "$dhname" = vmxcap -a "$dhver" = "$ver"
# BUILD_EXCLUSIVE_ARCH as DKMS applies it to uname -m of each target.
arch_ok=$(bash -c '. "$1"; for a in x86_64 i686 i386 aarch64 riscv64 ppc64le s390x; do
	[[ $BUILD_EXCLUSIVE_ARCH && ! $a =~ $BUILD_EXCLUSIVE_ARCH ]] || printf "%s " "$a"; done' sh dkms.conf)
check "dkms.conf BUILD_EXCLUSIVE_ARCH builds for x86 only (builds for: $arch_ok)" \
	test "$arch_ok" = "x86_64 i686 i386 "
elapsed versions

# --- scratch tree, state of the machine -------------------------------------
W=$(mktemp -d /tmp/vmxcap-packages.XXXXXX)
chmod 755 "$W"	# apt's _apt user and lintian (as nobody) read the .debs
saved=""	# a vmxcap/$ver this run set aside, to put back
saved_state=""
installed_here=no	# packages installed by this run, to purge on the way out
key_existed=yes
[ -f /var/lib/dkms/mok.key ] || key_existed=no

restore_dkms() {
	local line k
	[ -n "$saved" ] || return 0
	echo "# putting back vmxcap/$ver as it was registered before this run"
	rm -rf "/usr/src/vmxcap-$ver"
	cp -a "$saved" "/usr/src/vmxcap-$ver"
	dkms add "vmxcap/$ver" 2>&1 | comment
	while IFS= read -r line; do
		# vmxcap/0.1.0, 6.1.0-57-amd64, x86_64: installed
		k=$(echo "$line" | sed -nE 's/^[^,]+, ([^,]+), [^:]+: (built|installed).*/\1/p')
		[ -n "$k" ] || continue
		case "$line" in
		*": installed"*) dkms install "vmxcap/$ver" -k "$k" 2>&1 | comment ;;
		*) dkms build "vmxcap/$ver" -k "$k" 2>&1 | comment ;;
		esac
	done <<<"$saved_state"
	saved=""
}
cleanup() {
	if [ "$installed_here" = yes ]; then
		apt-get purge -y -q vmxcap-dkms vmxcap-tools >/dev/null 2>&1
	fi
	restore_dkms
	# (kept when it signed a vmxcap put back just now)
	if [ "$key_existed" = no ] && [ -z "$saved_state" ]; then
		rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	fi
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

src=$W/vmxcap-$ver
mkdir -p "$src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z -c -o --exclude-standard |
		xargs -0 -r cp -a --parents -t "$src" 2>/dev/null)
	# (files git lists but an editor deleted just now are skipped: cp's status)
else
	tar -C "$top" --exclude=./.git -cf - . | tar -C "$src" -xf -
fi
if [ -f "$src/debian/control" ] && [ -f "$src/dkms.conf" ]; then
	ok "scratch copy of the tree in $src ($(find "$src" -type f | wc -l) files)"
else
	not_ok "scratch copy of the tree has debian/control and dkms.conf"
	finish
fi

# --- 2. build ---------------------------------------------------------------
# 3.0 (quilt): the upstream tarball is the tree without debian/.
tar -C "$W" -cJf "$W/vmxcap_$ver.orig.tar.xz" --exclude="vmxcap-$ver/debian" "vmxcap-$ver"
(cd "$src" && dpkg-buildpackage -us -uc) >"$W/build.log" 2>&1
rc=$?
comment <"$W/build.log"
check "dpkg-buildpackage -us -uc (exit $rc)" test $rc -eq 0
# What dpkg-buildpackage exits 0 on: a shell error in a debhelper step
# (dh_dkms runs its sed through sh).
bad=$(grep -E '^(sh: [0-9]+:|sed: |[a-z_]+: (warning|error):)|Bad substitution' "$W/build.log")
if [ -z "$bad" ]; then
	ok "build log: no shell or debhelper error lines"
else
	not_ok "build log: no shell or debhelper error lines: $(echo "$bad" | head -n 3 | tr '\n' '|')"
fi
arch=$(dpkg --print-architecture)
changes=$W/vmxcap_${debver}_$arch.changes
dkmsdeb=$W/vmxcap-dkms_${debver}_all.deb
toolsdeb=$W/vmxcap-tools_${debver}_$arch.deb
for f in "$changes" "$W/vmxcap_$debver.dsc" "$dkmsdeb" "$toolsdeb"; do
	check "built ${f#"$W"/}" test -f "$f"
done
if [ ! -f "$dkmsdeb" ] || [ ! -f "$toolsdeb" ]; then
	finish
fi
elapsed build

# --- 3. lintian -------------------------------------------------------------
# As nobody: lintian unpacks what it is given and says so when run as root.
lout=$(cd "$W" && runuser -u nobody -- env HOME="$W" \
	lintian -I -E --pedantic --color never --fail-on error,warning "$changes" 2>&1)
rc=$?
echo "$lout" | comment
nerr=$(echo "$lout" | grep -c '^E: ')
nwarn=$(echo "$lout" | grep -c '^W: ')
ninfo=$(echo "$lout" | grep -Ec '^[IPX]: ')
if [ $rc -eq 0 ] && [ "$nerr" -eq 0 ] && [ "$nwarn" -eq 0 ]; then
	ok "lintian $(lintian --print-version): 0 errors, 0 warnings ($ninfo info/pedantic/experimental tags)"
else
	not_ok "lintian: $nerr errors, $nwarn warnings (exit $rc)"
fi
elapsed lintian

# --- 4. contents and control files ------------------------------------------
for f in "$dkmsdeb" "$toolsdeb"; do
	echo "# dpkg-deb -c ${f#"$W"/}:"
	dpkg-deb -c "$f" | comment
done
dkmsfiles=$(dpkg-deb -c "$dkmsdeb" | awk '{ print $6 }')
toolsfiles=$(dpkg-deb -c "$toolsdeb" | awk '{ print $6 }')
has() { echo "$1" | grep -qxF -- "$2"; }
sd=./usr/src/vmxcap-$ver
for f in dkms.conf Kbuild VERSION module/vmxcap_main.c module/vmxcap_sysfs.c \
	module/vmxcap_mod.h include/vmxcap/decoder.c include/vmxcap/vmxcap.h; do
	check "vmxcap-dkms has $sd/$f" has "$dkmsfiles" "$sd/$f"
done
other=$(echo "$dkmsfiles" | grep '^\./usr/src/.' | grep -v "^$sd/")
check "vmxcap-dkms has nothing in /usr/src but $sd/${other:+ (also: $(echo "$other" | head -n 2 | tr '\n' ' '))}" \
	test -z "$other"
junk=$(echo "$dkmsfiles" | grep -E '\.(o|ko|cmd|mod|mod\.c)$|/\.[^/]+$')
check "vmxcap-dkms has no build products ${junk:+($junk)}" test -z "$junk"
dpkg-deb -e "$dkmsdeb" "$W/ctl-dkms"
dpkg-deb -x "$dkmsdeb" "$W/x-dkms"
for s in postinst prerm; do
	check "vmxcap-dkms $s has DKMS_NAME=vmxcap and DKMS_VERSION=$ver" \
		grep -qx "DKMS_VERSION=$ver" "$W/ctl-dkms/$s"
	grep -qx 'DKMS_NAME=vmxcap' "$W/ctl-dkms/$s" || not_ok "vmxcap-dkms $s: DKMS_NAME=vmxcap"
done
pkgconf=$(bash -c '. "$1" && echo "$PACKAGE_NAME $PACKAGE_VERSION $BUILD_EXCLUSIVE_ARCH"' sh \
	"$W/x-dkms/usr/src/vmxcap-$ver/dkms.conf" 2>&1)
check "packaged dkms.conf sourced: 'vmxcap $ver <x86 pattern>' (got '$pkgconf')" \
	test "$pkgconf" = "vmxcap $ver $(bash -c '. dkms.conf && echo "$BUILD_EXCLUSIVE_ARCH"')"
field() { dpkg-deb -f "$1" "$2"; }
echo "# vmxcap-dkms: Architecture $(field "$dkmsdeb" Architecture); Depends $(field "$dkmsdeb" Depends)"
echo "# vmxcap-tools: Depends $(field "$toolsdeb" Depends); Recommends $(field "$toolsdeb" Recommends)"
check "vmxcap-dkms is Architecture: all" test "$(field "$dkmsdeb" Architecture)" = all
check "vmxcap-dkms depends on dkms" grep -q '^dkms' <<<"$(field "$dkmsdeb" Depends)"
for f in ./usr/bin/vmxcap-show ./usr/share/man/man1/vmxcap-show.1.gz \
	./usr/share/bash-completion/completions/vmxcap-show \
	./usr/share/doc/vmxcap-tools/README.md.gz ./usr/share/doc/vmxcap-tools/tools/README.md.gz \
	./usr/share/doc/vmxcap-tools/copyright ./lib/systemd/system/vmxcap-prometheus.service \
	./lib/systemd/system/vmxcap-prometheus.timer ./usr/share/doc/vmxcap-tools/examples/vmxcap-alerts.yml; do
	check "vmxcap-tools has $f" has "$toolsfiles" "$f"
done
# The fact examples, executable as the engines run them (dh_fixperms leaves
# examples/ alone) and uncompressed (dh_compress too).
for f in vmxcap.fact vmxcap-facter.sh; do
	mode=$(dpkg-deb -c "$toolsdeb" | awk -v p="./usr/share/doc/vmxcap-tools/examples/$f" '$6 == p { print $1 }')
	check "vmxcap-tools has the fact example examples/$f, executable (${mode:-missing})" \
		test "$mode" = -rwxr-xr-x
done
dpkg-deb -x "$toolsdeb" "$W/x-tools"
dpkg-deb -e "$toolsdeb" "$W/ctl-tools"
check "vmxcap-tools: the service runs /usr/bin/vmxcap-show --prometheus --output into node_exporter's directory" \
	grep -qx 'ExecStart=/usr/bin/vmxcap-show --prometheus --output /var/lib/prometheus/node-exporter/vmxcap.prom' \
	"$W/x-tools/lib/systemd/system/vmxcap-prometheus.service"
check "vmxcap-tools postinst enables vmxcap-prometheus.timer (dh_installsystemd)" \
	grep -q "deb-systemd-helper enable 'vmxcap-prometheus.timer'" "$W/ctl-tools/postinst"
dep=$(field "$toolsdeb" Depends)
shlibs_ok() { [[ $dep == *libc6* && $dep == *libjson-c5* && $dep == *libsmartcols1* ]]; }
check "vmxcap-tools Depends (shlibs) has libc6, libjson-c5, libsmartcols1" shlibs_ok
check "vmxcap-tools Recommends libkmod2 (dlopen()ed, invisible to shlibs)" \
	grep -qw libkmod2 <<<"$(field "$toolsdeb" Recommends)"
elapsed inspect

# --- 5. install and purge here ----------------------------------------------
rel=$(for b in /lib/modules/6.1.*/build; do
	[ -f "$b/Makefile" ] && basename "$(dirname "$b")"
done | sort -V | tail -n 1)

installed_list() { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^.i/ { print $2 }' | sort; }
already=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' vmxcap-dkms vmxcap-tools 2>/dev/null |
	awk '$1 !~ /^un/ && $1 !~ /^pn/')
if [ -n "$already" ]; then
	not_ok "vmxcap-dkms/vmxcap-tools not installed before the test (found: $already); purge them to run it"
	finish
fi
if [ -z "$rel" ]; then
	not_ok "installed 6.1 headers (/lib/modules/6.1.*/build; linux-headers-amd64)"
	finish
fi

exec 9>"$CACHE/locks/dkms-vmxcap.lock" 2>/dev/null || { mkdir -p "$CACHE/locks"; exec 9>"$CACHE/locks/dkms-vmxcap.lock"; }
flock 9
# A vmxcap/$ver registered from a checkout (scripts/check-dkms.sh, a user's
# `dkms add .`): the package's postinst would remove it and dpkg would write
# over its /usr/src tree.  Set it aside; cleanup puts it back.
saved_state=$(dkms status "vmxcap/$ver" 2>/dev/null)
if [ -n "$saved_state" ]; then
	echo "$saved_state" | comment
	mkdir -p "$W/saved"
	if [ -d "/usr/src/vmxcap-$ver" ]; then
		cp -a "/usr/src/vmxcap-$ver" "$W/saved/src"
		saved=$W/saved/src
	fi
	dkms remove "vmxcap/$ver" --all 2>&1 | comment
	rm -rf "/usr/src/vmxcap-$ver"
	echo "# set aside vmxcap/$ver registered before this run (put back at the end)"
fi
others=$(dkms status vmxcap 2>/dev/null)
[ -n "$others" ] && echo "$others" | comment

before_pkgs=$(installed_list)
before_dkms=$(dkms status 2>/dev/null)
before_mod=$(ls -A "/lib/modules/$rel")
echo "# kernel $rel (headers), running $(uname -r)"
mkdir -p "$W/debs"
cp "$dkmsdeb" "$toolsdeb" "$W/debs/"
chmod 644 "$W"/debs/*.deb
installed_here=yes
s=$SECONDS
out=$(cd "$W/debs" && apt-get install -y -q ./vmxcap-dkms_*.deb ./vmxcap-tools_*.deb 2>&1)
rc=$?
echo "$out" | comment
check "apt-get install ./vmxcap-dkms_*.deb ./vmxcap-tools_*.deb (exit $rc, $((SECONDS - s)) s)" test $rc -eq 0

module_checks "" "$rel" "$ver"
vout=$(/usr/bin/vmxcap-show --version 2>&1)
check "/usr/bin/vmxcap-show --version: '$vout'" grep -q "^vmxcap-show $ver " <<<"$vout"
check "man -w vmxcap-show: $(man -w vmxcap-show 2>&1)" \
	test "$(man -w vmxcap-show 2>/dev/null)" = /usr/share/man/man1/vmxcap-show.1.gz
comp=$(bash -c '. /usr/share/bash-completion/completions/vmxcap-show && complete -p vmxcap-show' 2>&1)
check "bash completion registers: $comp" grep -q 'vmxcap-show$' <<<"$comp"
# systemd-analyze exits 0 on unknown keys: its words are the verdict.
if command -v systemd-analyze >/dev/null; then
	vout=$(systemd-analyze verify --man=no /lib/systemd/system/vmxcap-prometheus.service \
		/lib/systemd/system/vmxcap-prometheus.timer 2>&1)
	check "systemd-analyze verify of the installed units: no word${vout:+ ($vout)}" test -z "$vout"
else
	echo "# no systemd-analyze here: the installed units not verified"
fi
wants=/etc/systemd/system/timers.target.wants/vmxcap-prometheus.timer
check "the timer is enabled: $wants -> $(readlink "$wants")" test -L "$wants"

listed=$(dpkg -L vmxcap-dkms vmxcap-tools 2>/dev/null | sort -u)
echo "# dpkg -L: $(echo "$listed" | wc -l) paths"
kos=$(find /lib/modules -name 'vmxcap.ko*' 2>/dev/null)
echo "$kos" | comment
s=$SECONDS
out=$(apt-get purge -y -q vmxcap-dkms vmxcap-tools 2>&1)
rc=$?
echo "$out" | comment
check "apt-get purge vmxcap-dkms vmxcap-tools (exit $rc, $((SECONDS - s)) s)" test $rc -eq 0
installed_here=no
left=$(paths_left "$listed")
check "purge: every path of dpkg -L gone (but directories other packages own)${left:+; left:$left}" \
	test -z "$left"
lk=$(find /lib/modules -name 'vmxcap.ko*' 2>/dev/null)
check "purge: no vmxcap.ko under /lib/modules${lk:+ (left: $lk)}" test -z "$lk"
check "purge: the timer's enablement symlink gone" test ! -e "$wants" -a ! -L "$wants"
check "purge: /usr/src/vmxcap-$ver and /var/lib/dkms/vmxcap/$ver gone" \
	test ! -e "/usr/src/vmxcap-$ver" -a ! -e "/var/lib/dkms/vmxcap/$ver"
not_found() { ! modinfo -k "$rel" -n vmxcap >/dev/null 2>&1; }
check "purge: modinfo -k $rel no longer finds vmxcap (depmod ran)" not_found
# Bookworm's dkms runs depmod even for a kernel that has headers and no
# image, creating modules.dep and the rest for it; dkms remove leaves them.
# Not the package's files: remove the ones this run created, say which.
new=$(comm -13 <(echo "$before_mod") <(ls -A "/lib/modules/$rel") | grep '^modules\.')
if [ -n "$new" ]; then
	echo "# removing what depmod created in /lib/modules/$rel: $(echo "$new" | tr '\n' ' ')"
	(cd "/lib/modules/$rel" && echo "$new" | xargs rm -f)
fi
check "purge: /lib/modules/$rel holds what it held before" \
	test "$(ls -A "/lib/modules/$rel")" = "$before_mod"
after_dkms=$(dkms status 2>/dev/null)
check "purge: dkms status as before the install" test "$after_dkms" = "$before_dkms"
after_pkgs=$(installed_list)
diff=$(diff <(echo "$before_pkgs") <(echo "$after_pkgs") | grep '^[<>]' | tr '\n' ' ')
check "purge: the same installed packages as before${diff:+ ($diff)}" test -z "$diff"
restore_dkms
exec 9>&-
elapsed host

# --- 6. trixie ----------------------------------------------------------------
# A throwaway overlay of the cached chroot: apt, dpkg and dkms write only to
# the overlay's upper layer, which goes with $W.  Downloaded packages and
# apt's lists persist in $CACHE/packages/trixie.
if ! R=$(scripts/trixie-chroot.sh root 2>"$W/chroot.err"); then
	comment <"$W/chroot.err"
	not_ok "trixie: scripts/trixie-chroot.sh root"
	finish
fi
if ! D=$(scripts/kernel-cache.sh 7.3 2>"$W/k73.err"); then
	comment <"$W/k73.err"
	not_ok "trixie: scripts/kernel-cache.sh 7.3"
	finish
fi
krel=$(cat "$D/release")
PC=$CACHE/packages/trixie
mkdir -p "$PC/archives/partial" "$PC/lists/partial" "$W/ov/upper" "$W/ov/work" "$W/ov/root"
if [ ! -f "$PC/lists/.seeded" ]; then
	cp -a "$R/var/lib/apt/lists/." "$PC/lists/" && touch "$PC/lists/.seeded"
fi

# The test inside the chroot; prints "ok - ..." / "not ok - ..." lines and
# comments, renumbered outside.
cat >"$W/debs/in-trixie.sh" <<'EOF'
#!/bin/bash
set -u
ver=$1 krel=$2 D=$3
export DEBIAN_FRONTEND=noninteractive
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
check() { local w=$1; shift; if "$@"; then ok "$w"; else not_ok "$w"; fi; }
comment() { sed 's/^/# /'; }
echo "# $(. /etc/os-release && echo "$PRETTY_NAME"), running kernel $(uname -r) (the host's)"
cd /debs || exit 1
# openssl too: DKMS makes its signing key with it, and neither bookworm's
# nor trixie's dkms depends on it (the README says so).
install_debs() { apt-get install -y -q ./vmxcap-dkms_*.deb ./vmxcap-tools_*.deb openssl; }
s=$SECONDS
out=$(install_debs 2>&1)
rc=$?
if [ $rc -ne 0 ]; then
	echo "$out" | comment
	echo "# apt's lists may be stale: apt-get update and again"
	apt-get update -q 2>&1 | tail -n 3 | comment
	out=$(install_debs 2>&1)
	rc=$?
fi
echo "$out" | comment
check "trixie: apt-get install ./vmxcap-dkms_*.deb ./vmxcap-tools_*.deb openssl, dkms from trixie (exit $rc, $((SECONDS - s)) s)" test $rc -eq 0
echo "# dkms $(dpkg-query -W -f='${Version}' dkms), kmod $(dpkg-query -W -f='${Version}' kmod)"
st=$(dkms status "vmxcap/$ver" 2>&1)
echo "$st" | comment
check "trixie: no headers yet, so dkms status: vmxcap/$ver: added" grep -qx "vmxcap/$ver: added" <<<"$st"
vout=$(/usr/bin/vmxcap-show --version 2>&1)
check "trixie: /usr/bin/vmxcap-show --version with trixie's libraries: '$vout'" grep -q "^vmxcap-show $ver " <<<"$vout"
# (no man-db in the minbase chroot)
check "trixie: /usr/share/man/man1/vmxcap-show.1.gz" test -f /usr/share/man/man1/vmxcap-show.1.gz
comp=$(bash -c '. /usr/share/bash-completion/completions/vmxcap-show && complete -p vmxcap-show' 2>&1)
check "trixie: bash completion registers: $comp" grep -q 'vmxcap-show$' <<<"$comp"

# Kernel 7.3 arrives: its image's depmod files (trixie's dkms runs depmod
# only for a kernel whose modules.dep exists), then its headers, announced
# as linux-headers-$krel's postinst does, through the hook dkms installs.
mkdir -p "/lib/modules/$krel"
cp "$D/modules/lib/modules/$krel"/modules.* "/lib/modules/$krel/"
ln -s "$D/build" "/lib/modules/$krel/build"
s=$SECONDS
out=$(/etc/kernel/header_postinst.d/dkms "$krel" 2>&1)
rc=$?
echo "$out" | comment
check "trixie: /etc/kernel/header_postinst.d/dkms $krel (exit $rc, $((SECONDS - s)) s)" test $rc -eq 0
. /debs/check-packages-module.sh
module_checks "trixie: " "$krel" "$ver"

listed=$(dpkg -L vmxcap-dkms vmxcap-tools 2>/dev/null | sort -u)
echo "# dpkg -L: $(echo "$listed" | wc -l) paths"
out=$(apt-get purge -y -q vmxcap-dkms vmxcap-tools 2>&1)
rc=$?
echo "$out" | comment
check "trixie: apt-get purge vmxcap-dkms vmxcap-tools (exit $rc)" test $rc -eq 0
left=$(paths_left "$listed")
check "trixie: purge: every path of dpkg -L gone${left:+; left:$left}" test -z "$left"
lk=$(find /lib/modules -name 'vmxcap.ko*' 2>/dev/null)
check "trixie: purge: no vmxcap.ko, /usr/src/vmxcap-$ver and /var/lib/dkms/vmxcap gone${lk:+ ($lk)}" \
	test -z "$lk" -a ! -e "/usr/src/vmxcap-$ver" -a ! -e /var/lib/dkms/vmxcap
check "trixie: purge: dkms status empty" test -z "$(dkms status 2>/dev/null)"
gone=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' vmxcap-dkms vmxcap-tools 2>/dev/null | awk '$1 !~ /^[up]n/')
check "trixie: purge: dpkg knows neither package any more${gone:+ ($gone)}" test -z "$gone"
EOF
chmod 755 "$W/debs/in-trixie.sh"
cp "$top/scripts/check-packages-module.sh" "$W/debs/"

s=$SECONDS
# Shared hold on the chroot's lock: trixie-chroot.sh changes the chroot (the
# overlay's lower layer) only under it, exclusively.
exec 8>"$CACHE/locks/trixie-chroot.lock"
flock -s 8
# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --propagation private -- /bin/bash -c '
	set -e
	R=$1 O=$2 PC=$3 D=$4 DEBS=$5
	shift 5
	M=$O/root
	mount -t overlay overlay -o "lowerdir=$R,upperdir=$O/upper,workdir=$O/work" "$M"
	mount -t proc proc "$M/proc"
	mount --rbind /dev "$M/dev"
	mount -t tmpfs tmpfs "$M/tmp"
	mount --bind "$PC/archives" "$M/var/cache/apt/archives"
	mount --bind "$PC/lists" "$M/var/lib/apt/lists"
	mkdir -p "$M/debs" "$M$D"
	mount --bind "$DEBS" "$M/debs"
	# The 7.3 headers at their real path (their symlinks say so), read-only.
	mount --rbind "$D" "$M$D"
	mount -o remount,bind,ro "$M$D"
	cp /etc/resolv.conf "$M/etc/resolv.conf"
	set +e
	chroot "$M" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 /debs/in-trixie.sh "$@"
' trixie "$R" "$W/ov" "$PC" "$(realpath "$D")" "$W/debs" "$ver" "$krel" "$(realpath "$D")" \
	>"$W/trixie.log" 2>&1
rc=$?
exec 8>&-
summary=0
while IFS= read -r line; do
	case "$line" in
	"ok - "*)	ok "${line#ok - }"; summary=$((summary + 1)) ;;
	"not ok - "*)	not_ok "${line#not ok - }"; summary=$((summary + 1)) ;;
	*)		echo "$line" ;;
	esac
done <"$W/trixie.log"
if [ $summary -eq 0 ] || [ $rc -ne 0 ]; then
	not_ok "trixie: the test in the chroot overlay ran to its end (exit $rc, $summary results)"
fi
echo "# trixie: $((SECONDS - s)) s"
echo "# not checked in the chroot: loading (it shares the host's $(uname -r) kernel, and no VMX)," \
	"udev's autoload, the headers arriving as a package (the hook was run by hand), Secure Boot"
finish
