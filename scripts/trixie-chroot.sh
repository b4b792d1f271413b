#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A minimal Debian trixie chroot for building against the 7.3 headers of
# trixie-backports, whose kbuild programs need trixie's glibc and whose
# headers expect gcc-14.  Lives in the shared cache; created once.
#
#   trixie-chroot.sh [root]
#       Create the chroot if needed (debootstrap, then the build packages)
#       and print its root directory.  Fast and offline once it exists.
#
#   trixie-chroot.sh run [-b DIR]... [--] COMMAND [ARG]...
#       Run COMMAND as root inside the chroot, from the current directory.
#       Visible inside at the SAME paths as outside: the cache
#       (${VMXCAP_CACHE:-/var/cache/vmxcap}, so D/build from
#       `kernel-cache.sh 7.3` works unchanged), the current directory, and
#       every -b DIR.  Also /proc, /dev and a fresh /tmp.  Exit status is
#       COMMAND's.  Example:
#         D=$(scripts/kernel-cache.sh 7.3)
#         scripts/trixie-chroot.sh run -b "$PWD" -- \
#                 make -C "$D/build" M="$PWD" W=1 C=1 modules
#
# The mounts are made in a private mount namespace (unshare -m), so the host
# never sees them and the kernel drops them when the command ends, even when
# it is killed; the trap unmounts them in order for a tidy exit as well.
# Creation holds a flock so parallel callers wait instead of colliding.
set -euo pipefail

# Resolved: paths written into the headers must also hold inside the chroot,
# where the cache is mounted at its real path.
CACHE=$(realpath -m "${VMXCAP_CACHE:-/var/cache/vmxcap}")
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
MIRROR=${VMXCAP_MIRROR:-http://deb.debian.org/debian}
T=$CACHE/trixie
R=$T/root
# What a module build needs: compiler the headers name (x86_64-linux-gnu-gcc-14),
# make, libc headers, the kbuild programs' libraries, pahole for module BTF,
# sparse for C=1, kmod for modinfo.
PACKAGES="gcc-14 make libc6-dev libelf-dev libssl3t64 zlib1g bc flex bison kmod sparse pahole"

die() { echo "trixie-chroot.sh: $*" >&2; exit 1; }
log() { echo "trixie-chroot.sh: $*" >&2; }

# Run "$@" inside the chroot with the given extra directories bound.
# Arguments: N DIR1..DIRN COMMAND...
in_chroot() {
	local n=$1
	shift
	local binds=("${@:1:n}")
	shift "$n"
	[ "$(id -u)" -eq 0 ] || die "needs root (chroot, mounts)"
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- /bin/bash -c '
		set -eu
		R=$1; shift
		n=$1; shift
		mounted=()
		cleanup() {
			local i
			for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
				umount -l "${mounted[i]}" 2>/dev/null || true
			done
		}
		trap cleanup EXIT
		bind() {	# bind $1 at $R$1, creating the mount point
			mkdir -p "$R$1"
			mount --rbind "$1" "$R$1"
			mounted+=("$R$1")
		}
		mount -t proc proc "$R/proc"; mounted+=("$R/proc")
		mount --rbind /dev "$R/dev"; mounted+=("$R/dev")
		mount -t tmpfs tmpfs "$R/tmp"; mounted+=("$R/tmp")
		for ((i = 0; i < n; i++)); do
			bind "$1"
			shift
		done
		cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
		cwd=$1; shift
		# No exec: the trap must run after the command.
		status=0
		chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
			/bin/sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$cwd" "$@" ||
			status=$?
		exit $status
	' in_chroot "$R" "$n" "${binds[@]}" "$@"
}

ensure() {
	local want="$PACKAGES"
	if [ -f "$T/.complete" ] && [ "$(cat "$T/.complete")" = "$want" ]; then
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || die "needs root the first time (debootstrap)"
	mkdir -p "$CACHE/locks"
	exec 8>"$CACHE/locks/trixie-chroot.lock"
	flock 8
	if [ -f "$T/.complete" ] && [ "$(cat "$T/.complete")" = "$want" ]; then
		exec 8>&-
		return 0
	fi
	if [ ! -f "$T/.bootstrapped" ]; then
		command -v debootstrap >/dev/null || die "debootstrap is not installed"
		log "debootstrap trixie into $R (a few minutes, once)"
		rm -rf "$R"
		mkdir -p "$T"
		debootstrap --variant=minbase --keyring="$KEYRING" trixie "$R" "$MIRROR" \
			>"$T/debootstrap.log" 2>&1 ||
			die "debootstrap failed; see $T/debootstrap.log"
		echo "deb $MIRROR trixie main" >"$R/etc/apt/sources.list"
		touch "$T/.bootstrapped"
	fi
	log "installing into the chroot: $want"
	# shellcheck disable=SC2086
	in_chroot 0 / /bin/sh -c "export DEBIAN_FRONTEND=noninteractive &&
		apt-get -q update && apt-get install -y -q --no-install-recommends $want &&
		apt-get clean" >"$T/apt.log" 2>&1 ||
		die "apt-get in the chroot failed; see $T/apt.log"
	echo "$want" >"$T/.complete"
	exec 8>&-
}

cmd=${1:-root}
case "$cmd" in
root)
	ensure
	echo "$R"
	;;
run)
	shift
	binds=()
	while [ $# -gt 0 ]; do
		case "$1" in
		-b)	[ $# -ge 2 ] || die "-b needs a directory"
			binds+=("$(realpath "$2")"); shift 2 ;;
		--)	shift; break ;;
		*)	break ;;
		esac
	done
	[ $# -gt 0 ] || die "run: no command"
	ensure
	cwd=$(pwd -P)
	binds+=("$(realpath "$CACHE")")
	# The current directory too, unless it is inside something bound already.
	inside=false
	for b in "${binds[@]}"; do
		case "$cwd/" in "$b"/*) inside=true ;; esac
	done
	$inside || [ "$cwd" = / ] || binds+=("$cwd")
	in_chroot "${#binds[@]}" "${binds[@]}" "$cwd" "$@"
	;;
-h|--help)
	sed -n '4,26p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	die "usage: trixie-chroot.sh [root] | run [-b DIR]... [--] COMMAND..."
	;;
esac
