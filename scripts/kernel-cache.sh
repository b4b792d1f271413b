#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-cache.sh KERNEL      KERNEL in: 6.1 6.12 7.3 6.1-debug
#
# Downloads (once) Debian's kernel image, modules and headers for KERNEL and
# prints ONE line on stdout: the cache directory D, which holds
#   D/release    the uname -r string, e.g. 6.1.0-56-amd64
#   D/vmlinuz    the kernel image
#   D/boot/      the rest of the image package's /boot (config, System.map)
#   D/modules/   D/modules/lib/modules/<release>/... (.ko, unpacked, depmod run)
#   D/build      KDIR for M= builds (symlink into D/root, the unpacked headers)
#   D/debs/      the .deb files it came from
# Progress goes to stderr.
#
#   6.1   newest linux-image-6.1.0-N-amd64 the system's sources offer (bookworm)
#   6.12  newest 6.12 of bookworm-backports
#   7.3   newest 7.3 of trixie-backports; its kbuild programs need trixie: build
#         in scripts/trixie-chroot.sh, which mounts the cache at the same path,
#         so D/build is valid inside the chroot too.
#   6.1-debug  the debug kernel scripts/build-debug-kernel.sh builds (KASAN,
#         lockdep, kmemleak, ...), in the same layout: D's files point into
#         that script's cache directory; everything is built in (D/modules
#         holds only modules.builtin and depmod's files), no D/debs.
#
# Nothing is installed: packages are fetched with `apt-get download` and
# unpacked with `dpkg-deb -x`.  The backports suites are read through a private
# apt configuration under the cache, never through the system's sources.
# Once D exists the script touches no network.  A per-kernel flock makes
# parallel callers wait for each other instead of colliding.
# Cache root: ${VMXCAP_CACHE:-/var/cache/vmxcap}.
set -euo pipefail

# Resolved: paths written into the headers must also hold inside the chroot,
# where the cache is mounted at its real path.
CACHE=$(realpath -m "${VMXCAP_CACHE:-/var/cache/vmxcap}")
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
MIRROR=${VMXCAP_MIRROR:-http://deb.debian.org/debian}

die() { echo "kernel-cache.sh: $*" >&2; exit 1; }
log() { echo "kernel-cache.sh: $*" >&2; }

[ $# -eq 1 ] || die "usage: kernel-cache.sh 6.1|6.12|7.3|6.1-debug"
K=$1
if [ "$K" = 6.1-debug ]; then
	D=$CACHE/kernel/$K
	S=$("$(dirname "$0")/build-debug-kernel.sh") || die "the debug kernel did not build"
	# The layout points at one build of the fragment: rebuilt when it changes.
	if [ -f "$D/.complete" ] && [ "$(cat "$D/.from")" = "$S" ]; then
		echo "$D"
		exit 0
	fi
	release=$(cat "$S/release")
	N=$CACHE/kernel/.new-$K.$$
	rm -rf "$N" && mkdir -p "$N/modules/lib/modules/$release" || die "cannot create $N"
	cp "$S/release" "$N/release"
	ln -s "$S/bzImage" "$N/vmlinuz"
	ln -s "$S/build" "$N/build"
	mkdir -p "$N/boot"
	ln -s "$S/config" "$N/boot/config-$release"
	ln -s "$S/System.map" "$N/boot/System.map-$release"
	cp "$S/build/modules.builtin" "$S/build/modules.builtin.modinfo" "$S/build/modules.order" \
		"$N/modules/lib/modules/$release/"
	depmod -b "$N/modules" "$release" || die "depmod failed"
	echo "$S" >"$N/.from"
	touch "$N/.complete"
	rm -rf "$D" && mv "$N" "$D" || die "cannot move $N to $D"
	echo "$D"
	exit 0
fi
case "$K" in
6.1)	suite=""			# the system's sources
	image_re='^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
6.12)	suite=bookworm-backports
	image_re='^linux-image-6\.12\.[0-9]+\+deb12(\.[0-9]+)?-amd64$' ;;
7.3)	suite=trixie-backports
	image_re='^linux-image-7\.3\.[0-9]+\+deb13(\.[0-9]+)?-amd64$' ;;
*)	die "unknown kernel '$K' (want 6.1, 6.12 or 7.3)" ;;
esac

D=$CACHE/kernel/$K
# D only ever appears complete (renamed into place), so this needs no lock.
if [ -f "$D/.complete" ]; then
	echo "$D"
	exit 0
fi

mkdir -p "$CACHE/locks"
exec 9>"$CACHE/locks/kernel-$K.lock"
flock 9
if [ -f "$D/.complete" ]; then	# another caller finished it while we waited
	echo "$D"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "needs root the first time (writes $CACHE)"

# apt options: the system's configuration for bookworm, a private one for
# the backports suites.  Sandbox::User=root: downloads land in root-owned
# cache directories that the _apt user cannot write.
APT=(-q -o APT::Sandbox::User=root -o Acquire::Languages=none)
if [ -n "$suite" ]; then
	A=$CACHE/apt/$suite
	mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
	echo "deb [signed-by=$KEYRING] $MIRROR $suite main" >"$A/sources.list"
	APT+=(-o "Dir::Etc::SourceList=$A/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o Dir::Etc::Preferences=/dev/null
		-o Dir::Etc::PreferencesParts=/dev/null
		-o "Dir::State::Lists=$A/lists"
		-o "Dir::Cache=$A/cache")
	log "updating the private package lists of $suite"
	apt-get "${APT[@]}" update >&2 || die "apt-get update ($suite) failed"
fi

newest_image() {
	apt-cache "${APT[@]}" search --names-only "$image_re" 2>/dev/null |
		awk '{print $1}' | grep -E "$image_re" | sort -V | tail -n 1
}
image=$(newest_image)
if [ -z "$image" ] && [ -z "$suite" ]; then
	# The system's lists may never have been fetched.
	log "no 6.1 image in the system's package lists; running apt-get update"
	apt-get -q update >&2 || true
	image=$(newest_image)
fi
[ -n "$image" ] || die "no package matching $image_re"
abi=${image#linux-image-}
abi=${abi%-amd64}
release=$abi-amd64

candidate() {	# candidate version of package $1
	apt-cache "${APT[@]}" policy "$1" | awk '/Candidate:/ {print $2}'
}
depends() {	# Depends of $1=$2, one package name a line
	apt-cache "${APT[@]}" show "$1=$2" | awk -F': ' '/^Depends:/ {print $2; exit}' |
		tr ',|' '\n' | sed -E 's/^ +//; s/[ (].*//' | grep -v '^$'
}

iver=$(candidate "$image")
case "$iver" in ""|"(none)") die "$image has no candidate version" ;; esac
# 7.3's linux-image is a meta package: the kernel is in linux-binary-*, the
# modules in linux-modules-*, modules.builtin, config and System.map in
# linux-base-*.
images=$image
split=$(depends "$image" "$iver" | grep -Fx -e "linux-binary-$release" \
	-e "linux-modules-$release" -e "linux-base-$release" || true)
[ -n "$split" ] && images=$split

headers=linux-headers-$release
hver=$(candidate "$headers")
case "$hver" in ""|"(none)") die "$headers has no candidate version" ;; esac
hdeps=$(depends "$headers" "$hver" | grep -E '^linux-(headers-.*-common|kbuild-.*)$' || true)
echo "$hdeps" | grep -q '^linux-kbuild-' || die "$headers depends on no linux-kbuild package"

debs=$CACHE/debs/$K
mkdir -p "$debs"
fetch() {	# fetch package $1 version $2 into $debs unless already there
	local f
	f=$(compgen -G "$debs/${1}_${2//:/%3a}_*.deb" | head -n 1 || true)
	if [ -z "$f" ]; then
		log "downloading $1 $2"
		(cd "$debs" && apt-get "${APT[@]}" download "$1=$2" >&2) ||
			die "apt-get download $1=$2 failed"
		f=$(compgen -G "$debs/${1}_${2//:/%3a}_*.deb" | head -n 1)
	fi
	echo "$f"
}

N=$D.new
rm -rf "$N"
mkdir -p "$N/img" "$N/root" "$N/modules/lib/modules"

for p in $images; do
	f=$(fetch "$p" "$iver")
	log "unpacking $(basename "$f")"
	dpkg-deb -x "$f" "$N/img"
done
for p in $headers $hdeps; do
	f=$(fetch "$p" "$hver")
	log "unpacking $(basename "$f")"
	dpkg-deb -x "$f" "$N/root"
done

# Modules: /lib/modules (6.1, 6.12) or /usr/lib/modules (7.3, merged /usr).
mdir=""
for m in "$N/img/lib/modules/$release" "$N/img/usr/lib/modules/$release"; do
	[ -d "$m" ] && mdir=$m
done
[ -n "$mdir" ] || die "no modules directory for $release in $images"
mv "$mdir" "$N/modules/lib/modules/$release"
M=$N/modules/lib/modules/$release
if [ -f "$N/img/boot/vmlinuz-$release" ]; then
	mv "$N/img/boot/vmlinuz-$release" "$N/vmlinuz"
elif [ -f "$M/vmlinuz" ]; then
	mv "$M/vmlinuz" "$N/vmlinuz"
else
	die "no vmlinuz for $release in $images"
fi
[ -d "$N/img/boot" ] && mv "$N/img/boot" "$N/boot"
for f in config System.map; do	# 7.3 keeps these beside its modules
	[ -f "$M/$f" ] && mkdir -p "$N/boot" && mv "$M/$f" "$N/boot/$f-$release"
done
rm -rf "$N/img"

# busybox insmod/modprobe cannot read compressed modules.
log "decompressing modules"
find "$M" -name '*.ko.xz' -print0 | xargs -0 -r -n 64 -P "$(nproc)" xz -d
find "$M" -name '*.ko.zst' -print0 | xargs -0 -r -n 64 -P "$(nproc)" zstd -q -d --rm
find "$M" -name '*.ko.gz' -print0 | xargs -0 -r -n 64 -P "$(nproc)" gzip -d
depmod -b "$N/modules" "$release" || die "depmod failed"

# Headers: Debian's arch Makefile names /usr/src by absolute path (the
# -common Makefile it includes; 7.3 also sets KBUILD_OUTPUT), and some
# symlinks are absolute; point them all into the final D/root.
H=$N/root/usr/src/linux-headers-$release
[ -f "$H/Makefile" ] || die "no $H/Makefile"
sed -i "s#/usr/src/#$D/root/usr/src/#g" "$H/Makefile"
find "$N/root" -type l -lname '/*' -print0 |
while IFS= read -r -d '' l; do
	ln -sfn "$D/root$(readlink "$l")" "$l"
done

# Debian's 7.3 kbuild package lacks scripts/checker-valid.sh, which the
# Makefile runs before honouring C=1: without it kbuild skips sparse with a
# one-line note.  Supply an equivalent: it prints 1 when the checker runs
# and parses __typeof_unqual__ (these headers use it), else 0.
S=$(readlink -f "$H/scripts")
if grep -qs 'scripts/checker-valid.sh' "$N"/root/usr/src/linux-headers-*-common/Makefile &&
	[ ! -e "$S/checker-valid.sh" ]; then
	log "adding scripts/checker-valid.sh, missing from Debian's kbuild package"
	cat >"$S/checker-valid.sh" <<'END'
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Written by vmxcap's scripts/kernel-cache.sh: Debian's linux-kbuild package
# lacks this file, and kbuild ignores C=1 without it.  Usage: CHECKER FLAGS...
# Prints 1 when CHECKER runs and parses __typeof_unqual__, else 0.
command -v "$1" >/dev/null 2>&1 || { echo 0; exit 0; }
t=$(mktemp) || { echo 0; exit 0; }
printf 'int f(const int *p)\n{\n\t__typeof_unqual__(*p) x = *p;\n\n\treturn x;\n}\n' >"$t"
if "$@" "$t" 2>&1 | grep -q 'error'; then echo 0; else echo 1; fi
rm -f "$t"
END
	chmod 755 "$S/checker-valid.sh"
fi
ln -s "root/usr/src/linux-headers-$release" "$N/build"
mv "$debs" "$N/debs"
echo "$release" >"$N/release"
touch "$N/.complete"

rm -rf "$D"
mv "$N" "$D"
log "cached $release in $D"
echo "$D"
